import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright';
import { EnvironmentError } from '../environment/errors.js';
import { createBrowserTempDir } from './temp-dir.js';

/**
 * The one Chromium of a run (report PDF and checks, the HER-SYS web screen). Where it comes from, in
 * order: ICHIREN_CHROMIUM (then only that one), Playwright's own download, a system Chromium, and
 * the build shipped in the npm package @sparticuz/chromium (Linux x64; an optional
 * dependency, so `npm ci` alone gives every Linux machine a browser).
 */
export type ChromiumSource = 'ICHIREN_CHROMIUM' | 'playwright' | 'system' | '@sparticuz/chromium';

export interface ChromiumCandidate {
  readonly source: ChromiumSource;
  /** The executable, or undefined when this source has none here. */
  locate(): Promise<string | undefined>;
}

export interface ChromiumChoice {
  readonly source: ChromiumSource;
  readonly executablePath: string;
  /** `chromium --version`, e.g. "Chromium 143.0.7499.169"; for the run metadata. */
  readonly version: string;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', // ichiren runs as root in CI containers, where the sandbox cannot start
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** System browsers, Debian's first (Ubuntu's /usr/bin/chromium-browser is a snap wrapper: last). */
export const SYSTEM_CHROMIUMS = [
  '/usr/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/usr/bin/chromium-browser',
] as const;

export const CHROMIUM_ENV = 'ICHIREN_CHROMIUM';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const firstExecutable = async (files: readonly string[]) => files.find(isExecutable);

async function playwrightChromium(): Promise<string | undefined> {
  const { chromium } = await import('playwright');
  return firstExecutable([chromium.executablePath()]);
}

/** Unpacks the package's brotli archive once into the temp directory (`/tmp/chromium`, reused). */
async function npmChromium(): Promise<string | undefined> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined; // the package ships x64 only
  let mod: { default: { executablePath(): Promise<string>; setGraphicsMode: boolean } };
  try {
    mod = (await import('@sparticuz/chromium')) as typeof mod;
  } catch {
    return undefined; // the optional dependency is not installed on this platform
  }
  mod.default.setGraphicsMode = false; // no WebGL needed: skips unpacking SwiftShader
  return firstExecutable([await mod.default.executablePath()]);
}

/** The fallback chain after ICHIREN_CHROMIUM, in order. */
export function defaultCandidates(): ChromiumCandidate[] {
  return [
    { source: 'playwright', locate: playwrightChromium },
    { source: 'system', locate: () => firstExecutable(SYSTEM_CHROMIUMS) },
    { source: '@sparticuz/chromium', locate: npmChromium },
  ];
}

const MISSING_FIX =
  'run `npm ci` on Linux x64 (installs @sparticuz/chromium), `npx playwright install chromium`, or set ICHIREN_CHROMIUM to a Chromium binary';

/** The loader's or the browser's own complaint (e.g. "libnss3.so: cannot open shared object file"). */
const firstLine = (error: unknown) =>
  (String((error as { stderr?: unknown }).stderr ?? '').trim() || (error as Error).message).split('\n')[0];

async function versionOf(executablePath: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(executablePath, ['--version'], { timeout: 15_000 });
    return stdout.trim() || 'unknown version';
  } catch (error) {
    throw new EnvironmentError(
      'chromium',
      `Chromium at ${executablePath} does not start (${firstLine(error)}): ${MISSING_FIX}`,
      { cause: error },
    );
  }
}

/**
 * Finds the browser: ICHIREN_CHROMIUM when set (and nothing else: a wrong path is an error, not a
 * silent fallback), else the first candidate that has one. Throws EnvironmentError naming the fix.
 */
export async function findChromium(
  options: { env?: NodeJS.ProcessEnv; candidates?: readonly ChromiumCandidate[] } = {},
): Promise<ChromiumChoice> {
  const explicit = (options.env ?? process.env)[CHROMIUM_ENV];
  if (explicit) {
    if (!isExecutable(explicit))
      throw new EnvironmentError(
        'chromium',
        `Chromium not found: ${CHROMIUM_ENV}=${explicit} is not an executable file (point it at a Chromium binary, or unset it to use Playwright's, the system's or @sparticuz/chromium)`,
      );
    return { source: 'ICHIREN_CHROMIUM', executablePath: explicit, version: await versionOf(explicit) };
  }
  for (const candidate of options.candidates ?? defaultCandidates()) {
    const found = await candidate.locate().catch(() => undefined);
    if (found) return { source: candidate.source, executablePath: found, version: await versionOf(found) };
  }
  throw new EnvironmentError('chromium', `Chromium not found: ${MISSING_FIX}`);
}

let chosen: Promise<ChromiumChoice> | undefined;

/** findChromium once per process (the choice is named in the run metadata). */
export function chooseChromium(): Promise<ChromiumChoice> {
  chosen ??= findChromium();
  chosen.catch(() => {
    chosen = undefined; // a later call looks again (e.g. after the caller installed one)
  });
  return chosen;
}

/** "Chromium 143.0.7499.169 (@sparticuz/chromium)", for run metadata and reports. */
export const describeChromium = (c: ChromiumChoice) => `${c.version} (${c.source}: ${c.executablePath})`;

/**
 * Chromium draws no text at all, web fonts included, unless fontconfig knows one TrueType font. A
 * machine without fontconfig (no /etc/fonts) gets the Open Sans that @sparticuz/chromium unpacks
 * beside its binary, as the package itself does on AWS Lambda.
 */
export function fontconfigEnv(
  env: NodeJS.ProcessEnv = process.env,
  exists: (file: string) => boolean = existsSync,
): NodeJS.ProcessEnv | undefined {
  if (process.platform !== 'linux' || env.FONTCONFIG_FILE || env.FONTCONFIG_PATH) return undefined;
  if (exists('/etc/fonts/fonts.conf')) return undefined;
  const dir = path.join(tmpdir(), 'fonts');
  return exists(path.join(dir, 'fonts.conf')) ? { ...env, FONTCONFIG_PATH: dir } : undefined;
}

/**
 * Launches headless Chromium; the caller closes it. `chromiumPath` overrides the chain. The browser
 * runs with a TMPDIR of its own (temp-dir.ts): closing it resolves once its helper processes have
 * ended and that folder is gone.
 */
export async function launchChromium(chromiumPath?: string): Promise<Browser> {
  const { chromium } = await import('playwright');
  const executablePath = chromiumPath ?? (await chooseChromium()).executablePath;
  const temp = createBrowserTempDir();
  let browser: Browser;
  try {
    // Signals are the run's to handle (it writes its reports, then closes the browser, whose temp
    // profile Playwright removes on close and on process exit).
    browser = await chromium.launch({
      executablePath,
      args: [...CHROMIUM_ARGS],
      headless: true,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      env: { ...(fontconfigEnv() ?? process.env), TMPDIR: temp.path },
    });
  } catch (error) {
    await temp.release();
    throw error;
  }
  temp.adoptProcesses();
  // Also when the browser ends by itself (a crash); close() waits for the same release.
  browser.on('disconnected', () => void temp.release().catch(() => undefined));
  const close = browser.close.bind(browser);
  browser.close = async (options) => {
    try {
      await close(options);
    } finally {
      await temp.release();
    }
  };
  return browser;
}

/** launchChromium for a run: a browser that is there but does not start is an EnvironmentError. */
export async function launchRunChromium(): Promise<Browser> {
  const choice = await chooseChromium();
  try {
    return await launchChromium(choice.executablePath);
  } catch (error) {
    throw new EnvironmentError(
      'chromium',
      `${describeChromium(choice)} did not start (${firstLine(error)}): ${MISSING_FIX}`,
      { cause: error },
    );
  }
}
