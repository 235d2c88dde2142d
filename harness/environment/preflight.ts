/**
 * Before the first cell: is everything ichiren itself needs for this run here? A missing browser,
 * font or Docker engine stops the run with one line naming the piece and the fix (EnvironmentError,
 * exit 1), so it can never surface as a broken chain link.
 */
import { EnvironmentError, type MissingPiece } from './errors.js';

export interface Needs {
  /** A cell issues its number through the HER-SYS web screen, or the PDF reporter runs. */
  readonly browser: boolean;
  /** The HTML or PDF reporter runs (embedded fonts). */
  readonly font: boolean;
  /** The container target. */
  readonly docker: boolean;
}

/** What the run found, for its metadata. */
export interface Found {
  readonly browser?: string;
}

/** One check per piece: resolves to what it found (for the metadata) or throws EnvironmentError. */
export type Checks = Readonly<Record<Exclude<MissingPiece, 'postgres'>, () => Promise<string | undefined>>>;

const DEFAULT_CHECKS: Checks = {
  async chromium() {
    const { chooseChromium, describeChromium } = await import('../browser/chromium.js');
    return describeChromium(await chooseChromium());
  },
  async font() {
    const { reportFontsUnavailable } = await import('../report/html/fonts.js');
    const why = reportFontsUnavailable();
    if (why) throw new EnvironmentError('font', `Japanese report font missing: ${why}`);
    return undefined;
  },
  async docker() {
    const { dockerAvailable } = await import('../stack/targets/docker.js');
    if (!dockerAvailable())
      throw new EnvironmentError(
        'docker',
        'Docker engine not running (container target): start one (docs/vendors.md, "Server targets") or choose another --target',
      );
    return undefined;
  },
};

/** Runs the checks this run needs, cheapest first; the first missing piece throws. */
export async function preflight(needs: Needs, checks: Checks = DEFAULT_CHECKS): Promise<Found> {
  if (needs.font) await checks.font();
  if (needs.docker) await checks.docker();
  const browser = needs.browser ? await checks.chromium() : undefined;
  return browser ? { browser } : {};
}
