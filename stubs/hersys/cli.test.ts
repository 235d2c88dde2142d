import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HerSysControlClient } from './client.js';
import { describeHerSysConformance } from './testing/conformance.js';
import { settlePort } from './testing/settle.js';
import { type SpawnedStub, spawnHerSysCli } from './testing/spawn-cli.js';

// Real HTTP from another process: `ichiren hersys --port 0` in a child, fetch from here.
let stub: SpawnedStub;
let client: HerSysControlClient;

describeHerSysConformance(
  'over real HTTP from another process (ichiren hersys)',
  async () => {
    stub = await spawnHerSysCli(['--port', '0', '--seed', '5']);
    client = new HerSysControlClient(stub.controlUrl, stub.token);
    return {
      verifyUrl: `${stub.url}/api/verify`,
      client,
      controlUrl: stub.controlUrl,
      downStyle: 'refuse-port',
      settle: () => settlePort(stub.url, client),
    };
  },
  async () => {
    await stub?.stop();
  },
);

describe('ichiren hersys', () => {
  let s: SpawnedStub;
  beforeAll(async () => {
    s = await spawnHerSysCli(['--port', '0', '--seed', '9', '--token', 'tok-123']);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('prints its URL on loopback and the given control token', () => {
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.token).toBe('tok-123');
    expect(s.seed).toBe(9);
  });

  it('refuses "down" with a count over HTTP, explaining why', async () => {
    const c = new HerSysControlClient(s.controlUrl, s.token);
    await expect(c.setFault({ mode: 'down', count: 1 })).rejects.toThrow(/cannot be counted/);
  });

  it('never prints a full processing number in its log', async () => {
    const c = new HerSysControlClient(s.url, s.token);
    const { processingNumber } = await c.registerPatient({ testDate: '2020-10-01' });
    await fetch(`${s.url}/api/verify`, { method: 'POST', body: JSON.stringify({ processingNumber }) });
    await expect.poll(() => s.stderr(), { timeout: 3_000 }).toContain(`******${processingNumber.slice(-2)}`);
    expect(s.stderr()).not.toContain(processingNumber);
  });

  it('exits 0 on SIGTERM after stopping', async () => {
    const extra = await spawnHerSysCli(['--port', '0']);
    expect(await extra.stop()).toBe(0);
    expect(extra.stdout()).toContain('HER-SYS stub stopped');
    await expect(fetch(`${extra.url}/health`)).rejects.toThrow();
  });

  it('exits 2 with a message for a bad --port', async () => {
    await expect(spawnHerSysCli(['--port', 'x'], 10_000)).rejects.toThrow(/--port must be an integer/);
  });
});
