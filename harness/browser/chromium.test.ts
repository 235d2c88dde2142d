import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../environment/errors.js';
import {
  type ChromiumCandidate,
  defaultCandidates,
  findChromium,
  fontconfigEnv,
  launchChromium,
} from './chromium.js';
import { membersOf } from './temp-dir.js';

/** A candidate whose browser is `path` (or none), recording whether it was asked. */
function candidate(source: ChromiumCandidate['source'], path: string | undefined, asked: string[]) {
  return {
    source,
    locate: async () => {
      asked.push(source);
      return path;
    },
  } satisfies ChromiumCandidate;
}

/** This process's child running `executable` (the browser Playwright started) and its TMPDIR. */
function browserChild(executable: string): { pid: number; tmp?: string } | undefined {
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
      if (ppid !== process.pid || argv0 !== executable) continue;
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      return { pid: Number(pid), tmp: env.find((e) => e.startsWith('TMPDIR='))?.slice('TMPDIR='.length) };
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

// `node` stands in for a browser: an executable that answers --version.
const EXECUTABLE = process.execPath;

describe('the Chromium fallback chain', () => {
  it('takes the first candidate that has a browser, in order, and names it', async () => {
    const asked: string[] = [];
    const choice = await findChromium({
      env: {},
      candidates: [
        candidate('playwright', undefined, asked),
        candidate('system', EXECUTABLE, asked),
        candidate('@sparticuz/chromium', '/never/asked', asked),
      ],
    });
    expect(asked).toEqual(['playwright', 'system']);
    expect(choice).toEqual({ source: 'system', executablePath: EXECUTABLE, version: process.version });
  });

  it('uses ICHIREN_CHROMIUM alone: a wrong path is an environment error, with no fallback', async () => {
    const asked: string[] = [];
    const chain = [candidate('system', EXECUTABLE, asked)];
    const choice = await findChromium({ env: { ICHIREN_CHROMIUM: EXECUTABLE }, candidates: chain });
    expect(choice.source).toBe('ICHIREN_CHROMIUM');
    const error = await findChromium({ env: { ICHIREN_CHROMIUM: '/nonexistent' }, candidates: chain }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).piece).toBe('chromium');
    expect((error as Error).message).toMatch(
      /^Chromium not found: ICHIREN_CHROMIUM=\/nonexistent .*unset it/,
    );
    expect((error as Error).message).not.toContain('\n');
    expect(asked).toEqual([]);
  });

  it('says how to get a browser when no candidate has one', async () => {
    const asked: string[] = [];
    const error = await findChromium({
      env: {},
      candidates: [candidate('playwright', undefined, asked), candidate('system', undefined, asked)],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toMatch(/npm ci.*@sparticuz\/chromium/);
  });

  it('a candidate that is there but does not start is an environment error too', async () => {
    const error = await findChromium({
      env: {},
      candidates: [{ source: 'system', locate: async () => '/bin/false' }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toContain('/bin/false does not start');
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'gets a working headless Chromium from the npm package @sparticuz/chromium',
    async () => {
      const npm = defaultCandidates().filter((c) => c.source === '@sparticuz/chromium');
      const choice = await findChromium({ env: {}, candidates: npm });
      expect(choice.version).toMatch(/^Chromium \d+\./);
      const browser = await launchChromium(choice.executablePath);
      let child: ReturnType<typeof browserChild>;
      try {
        const page = await browser.newPage();
        await page.setContent('<p>接触通知</p>');
        expect(await page.locator('p').textContent()).toBe('接触通知');
        child = browserChild(choice.executablePath);
        expect(child?.tmp).toMatch(/ichiren-chromium-/);
        // The browser leads its process group; its helpers (zygotes, renderer, GPU…) are in it.
        expect(membersOf(new Set([child?.pid as number])).length).toBeGreaterThan(1);
      } finally {
        await browser.close();
      }
      // Closed means every helper has ended and Chromium's own temp files are gone with the folder.
      expect(membersOf(new Set([child?.pid as number]))).toEqual([]);
      expect(existsSync(child?.tmp as string)).toBe(false);
    },
  );
});

describe.runIf(process.platform === 'linux')('fonts for Chromium on a machine without fontconfig', () => {
  it('points Chromium at the fonts @sparticuz/chromium unpacked, only when the machine has none', () => {
    const unpacked = (file: string) =>
      file.endsWith(path.join('fonts', 'fonts.conf')) && !file.startsWith('/etc');
    expect(fontconfigEnv({}, unpacked)?.FONTCONFIG_PATH).toBe(path.join(tmpdir(), 'fonts'));
    expect(fontconfigEnv({}, () => true)).toBeUndefined(); // /etc/fonts/fonts.conf exists
    expect(fontconfigEnv({ FONTCONFIG_FILE: '/x.conf' }, unpacked)).toBeUndefined();
    expect(fontconfigEnv({}, () => false)).toBeUndefined();
  });
});
