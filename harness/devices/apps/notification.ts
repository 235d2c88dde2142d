/**
 * COCOA's user-visible outcome of a check (cocoa.md §4): a local notification when the check stored
 * new exposure records, and the contact screen listing every record held. A build with its own
 * alerting rule (AppDecision.notified) is shown as that rule says.
 */
import type { AppDecision, NotificationState } from './types.js';

export function presentNotification(
  decision: AppDecision,
  exposures: readonly Readonly<Record<string, unknown>>[],
): NotificationState {
  const fresh = decision.stored.length;
  const shown = decision.notified ?? fresh > 0;
  return {
    shown,
    exposureCount: exposures.length,
    reason:
      decision.reason ??
      (fresh > 0 ? `${fresh} new exposure record(s) stored` : 'no new exposure record stored'),
  };
}
