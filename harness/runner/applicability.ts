/**
 * Which cells apply to the apps under test. A scenario that `requires` an app trait (for example
 * that keys from before the infectious period never notify) says nothing about a build without it;
 * such cells are listed as not applicable rather than run and failed. Loading every app up front
 * also turns an unknown app build or a broken vendor module into one usage error before anything
 * starts.
 */
import type { AppBuild } from '../devices/apps/types.js';
import type { Plan } from '../scenario/plan.js';
import { STACK_TRAITS } from '../scenario/stack-traits.js';

export interface NotApplicableCell {
  readonly cell: string;
  readonly app: string;
  readonly missing: readonly string[];
}

/** What applicability reads of an app: a build's fields, or an external app's handshake. */
export type AppClaims = Pick<AppBuild, 'enApi' | 'traits'>;

export async function selectApplicable(
  plan: Plan,
  loadApp: (idOrPath: string) => Promise<AppClaims>,
  /** What the system under test offers of STACK_TRAITS (default: all, as the reference server does). */
  stackTraits: readonly string[] = STACK_TRAITS,
): Promise<{ readonly plan: Plan; readonly notApplicable: readonly NotApplicableCell[] }> {
  const apps = new Map<string, AppClaims>();
  for (const s of plan.scenarios)
    for (const c of s.cells)
      for (const p of c.phones) if (!apps.has(p.app)) apps.set(p.app, await loadApp(p.app));

  const notApplicable: NotApplicableCell[] = [];
  const scenarios = plan.scenarios
    .map((s) => ({
      ...s,
      cells: s.cells.filter((c) => {
        // A step after now moves the server's clock: that needs a clock the run can move.
        const needs =
          c.afterNow && !s.requires.includes('movable-clock') ? [...s.requires, 'movable-clock'] : s.requires;
        const stackMissing = needs.filter(
          (t) => (STACK_TRAITS as readonly string[]).includes(t) && !stackTraits.includes(t),
        );
        if (stackMissing.length > 0) {
          notApplicable.push({ cell: c.id, app: 'server', missing: stackMissing });
          return false;
        }
        for (const p of c.phones) {
          const app = apps.get(p.app);
          const traits: readonly string[] = app
            ? [...(app.traits ?? []), `en-api-${app.enApi}`, ...STACK_TRAITS]
            : [];
          const missing = s.requires.filter((t) => !traits.includes(t));
          if (missing.length > 0) {
            notApplicable.push({ cell: c.id, app: p.app, missing });
            return false;
          }
        }
        return true;
      }),
    }))
    .filter((s) => s.cells.length > 0);
  return { plan: { ...plan, scenarios }, notApplicable };
}
