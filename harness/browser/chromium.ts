import { existsSync } from 'node:fs';
import type { Browser } from 'playwright';

/** Debian's Chromium when present (Playwright's own download is not available everywhere). */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** Launches headless Chromium (report PDF and checks, the HER-SYS web screen); the caller closes it. */
export async function launchChromium(chromiumPath?: string): Promise<Browser> {
  const { chromium } = await import('playwright');
  const executablePath = chromiumPath ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);
  // Signals are ichiren's (an interrupted run writes its reports, then closes the browser): Playwright's
  // own SIGINT handler would exit 130 as soon as the browser closed, before the reports are written.
  return chromium.launch({
    executablePath,
    args: [...CHROMIUM_ARGS],
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
