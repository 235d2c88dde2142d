/**
 * What a scenario may require of the system under test rather than of the apps (`requires`):
 * `isolated-server`, a server of the cell's own (server/cells.ts), which every target ichiren starts
 * gives and a deployed server (url target), shared by every cell, cannot.
 */
export const STACK_TRAITS = ['isolated-server'] as const;
