/**
 * Which stored keys an export batch may publish (server/export/publish.ts): not yet exported, of the
 * region, no older than the window ($2), and whose rolling period has ended by $3 (an interval number:
 * now less the embargo). A key still being broadcast is never exported: anyone holding it could
 * replay its RPIs (gaen.md §2; ENS publishes a key only after its rolling period). The period's end is
 * start + period: comparing the start alone would publish today's live keys.
 */
export const EXPORTABLE = `exported = false AND region = $1 AND rolling_start_interval_number >= $2
                 AND rolling_start_interval_number + rolling_period <= $3`;
