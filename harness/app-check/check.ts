/**
 * `ichiren app-check`: the app protocol's conformance checks against an external app — the handshake,
 * each method on a phone of each platform (through the same Phone code a run uses, against a tiny
 * local server), then a one-contact chain per platform through the embedded stack. Each failure is
 * one line with its fix.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import {
  AppProtocolError,
  closeExternalApps,
  openExternalApp,
  PROTOCOL_VERSION,
  registerExternalApp,
} from '../devices/app-protocol/index.js';
import { startTestServer } from '../devices/test-server.js';
import type { DeviceProfile, Platform } from '../devices/types.js';
import { World } from '../devices/world.js';

export interface CheckLine {
  readonly check: string;
  readonly ok: boolean;
  /** What went wrong (failures) or what was seen (passes). */
  readonly detail: string;
  readonly fix?: string;
}

export interface AppCheckOptions {
  readonly command: string;
  /** Working directory of the app (default: ichiren's). */
  readonly cwd?: string;
  /** Time-out of each call, ms. */
  readonly timeoutMs?: number;
  /** Run the one-contact chain through the embedded stack (default true). */
  readonly chain?: boolean;
}

/** The fix for a fault of the app, by what the transport saw. */
export function fixFor(e: unknown): string {
  if (!(e instanceof AppProtocolError)) return 'see docs/app-protocol.md';
  const m = e.message;
  if (/could not start/.test(m))
    return "give a command that exists and runs in the app's working directory (--cwd, or `cwd` in the release)";
  if (/exited with code/.test(m))
    return 'keep the process running, answering requests, until ichiren closes its stdin (its last stderr line is quoted)';
  if (/no answer within/.test(m))
    return `answer every request within the time-out: read Content-Length frames from stdin and flush stdout after each message`;
  if (/malformed message/.test(m))
    return 'write each message as "Content-Length: N\\r\\n\\r\\n" then exactly N bytes of UTF-8 JSON-RPC 2.0';
  if (/wrong shape/.test(m))
    return `answer ${e.method} as schema.json's appMethods["${e.method}"].result says`;
  if (/unknown method|unknown notification/.test(m))
    return 'call only en/getTekHistory and en/provideDiagnosisKeys; notify only app/showNotification and app/log (schema.json)';
  if (/wrong parameters|unknown phone/.test(m))
    return `send ${e.method} the parameters schema.json gives, with the phone id of the request being served`;
  if (/speaks protocol/.test(m)) return `answer initialize with protocolVersion "${PROTOCOL_VERSION}"`;
  if (/answered with an error/.test(m))
    return `handle ${e.method} without raising (the app's own error is quoted)`;
  return 'see docs/app-protocol.md';
}

const failure = (check: string, e: unknown): CheckLine => ({
  check,
  ok: false,
  detail: e instanceof Error ? e.message : String(e),
  fix: fixFor(e),
});

/** A fix per chain link, for a one-contact chain that broke there. */
const LINK_FIXES: Readonly<Record<string, string>> = {
  upload:
    'submit the keys en/getTekHistory returned to the server (PUT {apiUrlBase}/…diagnosis) and answer with its status',
  publish:
    'submit keys the server accepts (the processing number the user entered, the keys as the framework gave them)',
  download:
    'fetch {cdnUrlBase}{blobContainer}/{region}/list.json and every new file, and pass them to en/provideDiagnosisKeys',
  match: 'pass the downloaded export files to en/provideDiagnosisKeys unchanged (base64 of the zip)',
  score: 'decide from the framework’s answer with the configuration the server serves',
  notify: 'send app/showNotification when the app alerts the user',
};

const profile = (platform: Platform, app: string): DeviceProfile => ({
  id: `app-check-${platform}`,
  platform,
  osVersion: platform === 'ios' ? '14.4' : '11',
  enVersion: 2,
  model: platform === 'ios' ? 'iPhone 11' : 'Pixel 4',
  app,
  backgroundCheckRuns: true,
  clockSkewSeconds: 0,
});

/** Each method on one phone per platform, against a local server with an empty list.json. */
async function methodChecks(app: string): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  const server = await startTestServer();
  server.routes.set('/c19r/440/list.json', { status: 200, body: '[]' });
  const now = Math.floor(Date.now() / 1000);
  try {
    for (const platform of ['android', 'ios'] as const) {
      const world = new World({ seed: 1 });
      const phone = world.addPhone(profile(platform, app));
      const step = async (check: string, work: () => Promise<string>) => {
        try {
          lines.push({ check: `${check} (${platform})`, ok: true, detail: await work() });
        } catch (e) {
          lines.push(failure(`${check} (${platform})`, e));
        }
      };
      await step('background/detectExposures', async () => {
        const d = await phone.detectExposures({
          nowEpochSeconds: now,
          server: server.endpoints,
          forced: true,
        });
        return `${d.score.mode}, configuration ${d.configuration?.status ?? 'not read'}`;
      });
      await step('user/submitDiagnosis', async () => {
        const u = await phone.uploadDiagnosis({
          processingNumber: '12345678',
          nowEpochSeconds: now,
          server: server.endpoints,
        });
        return `${u.endpoint} → HTTP ${u.httpStatus ?? 'none'}, "${u.appMessage}"`;
      });
      await step('phone/shutdown', async () => {
        await world.close();
        return 'ok';
      });
    }
  } finally {
    await server.close();
  }
  return lines;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIO = fileURLToPath(new URL('./one-contact.yaml', import.meta.url));

interface ResultCell {
  readonly id: string;
  readonly platform: string;
  readonly status: string;
  readonly firstBrokenLink: string | null;
  readonly errors: readonly string[];
  readonly phones: readonly { links: readonly { name: string; status: string; detail: string }[] }[];
}

/** The one-contact scenario through the embedded stack (a run of its own), one line per platform. */
async function chainChecks(options: AppCheckOptions): Promise<CheckLine[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ichiren-app-check-'));
  try {
    const app = {
      command: options.command,
      cwd: path.resolve(options.cwd ?? process.cwd()),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    };
    const release = path.join(dir, 'release.yaml');
    await writeFile(
      release,
      `${JSON.stringify({
        extends: 'latest',
        name: 'app-check',
        title: { ja: 'app-check', en: 'app-check' },
        apps: { android: app, ios: app },
      })}\n`,
    );
    const r = await execa(
      process.execPath,
      [
        path.join(ROOT, 'bin/ichiren.js'),
        'run',
        SCENARIO,
        '--release',
        release,
        '--reporter',
        'json',
        '--report-dir',
        dir,
      ],
      { reject: false, cwd: ROOT },
    );
    const text = await readFile(path.join(dir, 'results.json'), 'utf8').catch(() => null);
    if (text === null)
      return [
        {
          check: 'one-contact chain',
          ok: false,
          detail: (r.stderr || r.stdout).trim().split('\n').at(-1) ?? '',
          fix: 'see the message',
        },
      ];
    const cells = (JSON.parse(text) as { scenarios: { cells: ResultCell[] }[] }).scenarios.flatMap(
      (s) => s.cells,
    );
    return cells.map((c): CheckLine => {
      const check = `one-contact chain (${c.platform})`;
      if (c.status === 'passed') return { check, ok: true, detail: 'contact → … → notify' };
      if (c.errors.length > 0) {
        const detail = c.errors[0] ?? '';
        return {
          check,
          ok: false,
          detail,
          fix: fixFor(new AppProtocolError('', /: ([^:]+):/.exec(detail)?.[1] ?? '', detail)),
        };
      }
      const link = c.firstBrokenLink ?? 'unknown';
      const broken = c.phones.flatMap((p) => p.links).find((l) => l.name === link && l.status === 'failed');
      return {
        check,
        ok: false,
        detail: `broken at ${link}: ${broken?.detail ?? c.status}`,
        fix: LINK_FIXES[link] ?? 'see docs/app-protocol.md',
      };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function appCheck(options: AppCheckOptions): Promise<CheckLine[]> {
  const id = registerExternalApp({
    command: options.command,
    ...(options.cwd ? { cwd: path.resolve(options.cwd) } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const lines: CheckLine[] = [];
  try {
    try {
      const { declaration } = await openExternalApp(id);
      lines.push({
        check: 'initialize',
        ok: true,
        detail: `${declaration.app.name}: protocol ${declaration.protocolVersion}, EN API ${declaration.enApi}, traits ${declaration.traits.join(', ') || 'none'}`,
      });
    } catch (e) {
      return [failure('initialize', e)];
    }
    lines.push(...(await methodChecks(id)));
  } finally {
    await closeExternalApps();
  }
  if (options.chain !== false && lines.every((l) => l.ok)) lines.push(...(await chainChecks(options)));
  return lines;
}

/** "✔ check: detail" or "✘ check: problem — fix: …", one line each. */
export const formatLine = (l: CheckLine): string =>
  l.ok ? `✔ ${l.check}: ${l.detail}` : `✘ ${l.check}: ${l.detail} — fix: ${l.fix}`;
