/**
 * What a scenario may require of the system under test rather than of the apps (`requires`), which
 * every target ichiren starts gives and a deployed server (url target) cannot: `isolated-server`, a
 * server of the cell's own (server/cells.ts), and `movable-clock`, a server clock the run moves on
 * (harness/runner/clock.ts; implied by any step after now).
 */
export const STACK_TRAITS = ['isolated-server', 'movable-clock'] as const;
