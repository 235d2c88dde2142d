/**
 * One contract for every app: a built-in build reaches the phone only through the app protocol's
 * messages (the same table, checks and framework host an external app uses over stdio), and the
 * phone's verdict is the app's answer, never a second decision of its own.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COCOA_1_1_4 } from '../apps/cocoa.js';
import type { AppBuild } from '../apps/types.js';
import { testProfile } from '../test-profile.js';
import { publishExport, startTestServer, type TestServer } from '../test-server.js';
import { World } from '../world.js';
import { InProcessEndpoint } from './endpoint.js';
import { PhoneFrameworkHost } from './framework-host.js';
import { closeExternalApps, handshake, registerExternalApp } from './open.js';
import { StdioEndpoint } from './stdio.js';

const DAY0 = 1_601_510_400; // 2020-10-01T00:00:00Z
const CHECK = DAY0 + 2 * 86_400 + 3600;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await server.close();
});

const profile = (id: string, platform: 'android' | 'ios') => testProfile(id, platform);

/** Two phones in contact, the sender's keys published with TRL 0 under 1.1.4's configuration. */
async function chain(resolveApp?: (id: string) => Promise<AppBuild>, app = 'cocoa-1.1.4') {
  const world = new World({ seed: 1, ...(resolveApp ? { resolveApp } : {}) });
  const u = world.addPhone({ ...profile('u', 'ios'), app });
  const r = world.addPhone({ ...profile('r', 'android'), app });
  world.encounter({
    a: 'u',
    b: 'r',
    startEpochSeconds: DAY0 + 3 * 3600,
    durationSeconds: 1200,
    distanceM: 1,
    environment: 'office',
  });
  publishExport(server, u.framework.getDiagnosisKeys(CHECK), 0, 'cocoa-1.1.4', {
    from: DAY0,
    to: CHECK - 3600,
  });
  const evidence = await r.detectExposures({ nowEpochSeconds: CHECK, server: server.endpoints });
  await world.close();
  return evidence;
}

/** The messages of one background check, whichever transport carries them. */
const ONE_CHECK = [
  'app initialize',
  'app phone/initialize',
  'app background/detectExposures',
  'framework en/provideDiagnosisKeys',
  'app phone/shutdown',
];

/** Records the messages of a chain: ichiren's requests to the app and the app's calls of the framework. */
function recordCalls(endpoint: typeof InProcessEndpoint | typeof StdioEndpoint): string[] {
  const calls: string[] = [];
  const request = endpoint.prototype.request;
  vi.spyOn(endpoint.prototype, 'request').mockImplementation(function (this: InProcessEndpoint, m, p) {
    calls.push(`app ${m}`);
    return request.call(this, m, p as never) as never;
  });
  const provide = PhoneFrameworkHost.prototype.provideDiagnosisKeys;
  vi.spyOn(PhoneFrameworkHost.prototype, 'provideDiagnosisKeys').mockImplementation(function (
    this: PhoneFrameworkHost,
    p,
  ) {
    calls.push('framework en/provideDiagnosisKeys');
    return provide.call(this, p);
  });
  return calls;
}

describe('built-in builds go through the app protocol', () => {
  it('a detection is background/detectExposures to the app and en/provideDiagnosisKeys to the host, in that order', async () => {
    const calls = recordCalls(InProcessEndpoint);
    const evidence = await chain();
    expect(calls).toEqual(ONE_CHECK);
    // The 1.1.4 Android defect, reached through the contract: matched, scored 8 < 21, not notified.
    expect(evidence.match.matchedKeyCount).toBe(1);
    expect(evidence.score).toMatchObject({ value: 0, threshold: 21, passed: false });
    expect(evidence.notify.notified).toBe(false);
  });

  it("the verdict is the app's own decision: a build that always alerts is notified on the same chain", async () => {
    const alerting: AppBuild = {
      ...COCOA_1_1_4,
      id: 'always-alerts',
      decide: (output, config, now) => ({
        ...COCOA_1_1_4.decide(output, config, now),
        passed: true,
        stored: [{ always: true }],
      }),
    };
    const evidence = await chain(async () => alerting);
    expect(evidence.score.passed).toBe(true);
    expect(evidence.notify).toMatchObject({ notified: true, exposureCount: 1 });
  });

  it('the external Python 1.1.4 goes through the same messages and host, to the same evidence', async () => {
    const builtIn = await chain();
    const calls = recordCalls(StdioEndpoint);
    const id = registerExternalApp({
      command: 'python3 cocoa.py --build 1.1.4',
      cwd: fileURLToPath(new URL('../../../examples/external-app/', import.meta.url)),
    });
    try {
      const external = await chain(undefined, id);
      expect(calls).toEqual(ONE_CHECK);
      expect(external.match).toEqual(builtIn.match);
      expect(external.score).toMatchObject({ mode: 'v1', value: 0, threshold: 21, passed: false });
      expect(external.notify).toEqual({ ...builtIn.notify, reason: external.notify.reason });
    } finally {
      await closeExternalApps();
    }
  }, 60_000);

  it('refuses an app that speaks another major version', async () => {
    const future = new InProcessEndpoint(
      'future-app',
      () =>
        ({
          initialize: async () => ({ protocolVersion: '2.0', app: { name: 'future' }, enApi: 2, traits: [] }),
        }) as never,
    );
    await expect(handshake(future)).rejects.toThrow(
      /app "future-app": initialize: speaks protocol 2\.0; ichiren speaks 1\.0/,
    );
  });
});
