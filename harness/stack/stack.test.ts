import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../server/index.js';
import { startOkHersys, v3Body } from '../../server/testing/index.js';
import { StackError, type StartedStack, startStack } from './index.js';
import { trackedResources } from './registry.js';
import { parseVerificationKey } from './targets/url.js';
import { processGone, refusesConnections } from './testing.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function started(stack: StartedStack): Promise<StartedStack> {
  stops.push(() => stack.stop());
  return stack;
}

async function upload(apiUrlBase: string, n = 1): Promise<void> {
  for (let i = 0; i < n; i++) {
    const response = await fetch(`${apiUrlBase}/v3/diagnosis`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(v3Body(`1234567${i}`, undefined, { idempotencyKey: crypto.randomUUID() })),
    });
    expect(response.status, await response.text()).toBeLessThan(300);
  }
}

describe('embedded target', () => {
  it('starts HER-SYS and the server, answers /ready, publishes nothing, and frees both ports on stop', async () => {
    const stack = await started(await startStack({ target: 'embedded', seed: 7, serverBehaviour: 'v3' }));
    const base = stack.server.apiUrlBase.replace(/\/api$/, '');
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    expect(stack.server.verificationKeys[0]).toMatchObject({ keyId: '440', version: 'v1' });
    expect(stack.hersys.controlToken).not.toBe('');
    const outcome = await stack.publish();
    expect(outcome).toMatchObject({ ok: true, files: [] });
    expect(stack.logs().some((l) => l.source === 'hersys' && l.line.includes('seed 7'))).toBe(true);
    await stack.stop();
    await stack.stop();
    expect(await refusesConnections(base)).toBe(true);
    expect(await refusesConnections(stack.hersys.url)).toBe(true);
  });

  it('rejects options naming the field', async () => {
    await expect(startStack({ target: 'url' })).rejects.toMatchObject({
      code: 'STACK_OPTIONS_INVALID',
      subject: 'serverUrl',
    });
    await expect(
      startStack({ target: 'url', serverUrl: 'http://127.0.0.1:1', serverBehaviour: 'v3' }),
    ).rejects.toMatchObject({ subject: 'serverBehaviour' });
  });
});

describe('process target', () => {
  it('runs the reference server as a child process pointed at the stub, then kills it on stop', async () => {
    const stack = await started(await startStack({ target: 'process', configurationSet: 'cocoa-1.1.4' }));
    const pid = trackedResources().find((r) => r.kind === 'pid');
    expect(pid).toBeDefined();
    const base = stack.server.apiUrlBase.replace(/\/api$/, '');
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    expect(stack.logs().some((l) => l.source === 'server' && /listening on http/.test(l.line))).toBe(true);
    // The server verifies numbers at the stub: an unknown number is refused by HER-SYS, not by a 503.
    const response = await fetch(`${stack.server.apiUrlBase}/v3/diagnosis`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(v3Body('99999999')),
    });
    expect(response.status).toBe(406);
    expect(await stack.publish()).toMatchObject({ ok: true, files: [] });
    await stack.stop();
    expect(processGone((pid as { pid: number }).pid)).toBe(true);
    expect(await refusesConnections(base)).toBe(true);
  });

  it('names the failing task and stops HER-SYS when the server command exits during startup', async () => {
    const error = (await startStack({
      target: 'process',
      serverCommand: `node -e "console.error('no database'); process.exit(1)"`,
    }).catch((e: unknown) => e)) as StackError;
    expect(error).toBeInstanceOf(StackError);
    expect(error.code).toBe('STACK_TASK_FAILED');
    expect(error.message).toMatch(
      /stack task "server process \(node -e .*\)" failed: server process exited \(1\)/,
    );
    expect(error.message).toContain('no database');
    const hersysUrl = error.logs?.map((l) => /listening on (http\S+)/.exec(l.line)?.[1]).find(Boolean);
    expect(hersysUrl).toBeDefined();
    expect(await refusesConnections(hersysUrl!)).toBe(true);
    expect(error.logs?.some((l) => l.source === 'harness' && l.line === 'stopped HER-SYS stub')).toBe(true);
  });
});

describe('url target', () => {
  async function externalServer(options: { intervalMs?: number } = {}) {
    const hersys = await startOkHersys();
    stops.push(() => hersys.stop());
    const server = await startReferenceServer({
      hersys: { url: hersys.url },
      export: { intervalMs: options.intervalMs ?? 0 },
    });
    stops.push(() => server.stop());
    return server;
  }

  it('reaches a server started separately and publishes through an HTTP call', async () => {
    const server = await externalServer();
    const stack = await started(
      await startStack({
        target: 'url',
        serverUrl: server.url,
        publish: {
          http: {
            url: `${server.url}/api/admin/publish`,
            headers: { authorization: `Bearer ${server.adminToken}` },
          },
        },
      }),
    );
    expect(stack.server.verificationKeys).toEqual(server.verificationKeys);
    await upload(stack.server.apiUrlBase, 2);
    const outcome = await stack.publish();
    expect(outcome.ok).toBe(true);
    expect(outcome.files).toHaveLength(1);
    expect(outcome.files[0]!.keyCount).toBe(2);
    expect(outcome.files[0]!.url).toMatch(/\/c19r\/440\/\d+\.zip$/);
    expect(await stack.publish()).toMatchObject({ ok: true, files: [] });
  });

  it('publishes through a command and reports a failing command without throwing', async () => {
    const server = await externalServer();
    const script = `fetch(process.argv[1],{method:'POST',headers:{authorization:'Bearer ${server.adminToken}'}}).then(r=>process.exit(r.ok?0:3))`;
    const key = readFileSync('fixtures/signing/test-export-signing-key.pub.pem', 'utf8');
    const stack = await started(
      await startStack({
        target: 'url',
        serverUrl: server.url,
        verificationKey: key,
        publish: { command: `node -e "${script}" ${server.url}/api/admin/publish` },
      }),
    );
    expect(stack.server.verificationKeys[0]!.publicKeyBase64).toBe(
      server.verificationKeys[0]!.publicKeyBase64,
    );
    await upload(stack.server.apiUrlBase);
    const outcome = await stack.publish();
    expect(outcome.files.map((f) => f.keyCount)).toEqual([1]);
    const failing = await startStack({
      target: 'url',
      serverUrl: server.url,
      publish: { command: 'exit 4' },
    });
    stops.push(() => failing.stop());
    expect(await failing.publish()).toMatchObject({ ok: false, detail: expect.stringContaining('exited 4') });
  });

  it('publishes by polling list.json until the server batch of its own writes a new export', async () => {
    const server = await externalServer({ intervalMs: 200 });
    const stack = await started(
      await startStack({
        target: 'url',
        serverUrl: server.url,
        publish: { poll: { deadlineMs: 10_000, everyMs: 50 } },
      }),
    );
    const nothing = await startStack({
      target: 'url',
      serverUrl: server.url,
      publish: { poll: { deadlineMs: 300, everyMs: 50 } },
    });
    stops.push(() => nothing.stop());
    expect(await nothing.publish()).toMatchObject({
      ok: true,
      files: [],
      detail: expect.stringContaining('no new export'),
    });
    const pending = stack.publish();
    await upload(stack.server.apiUrlBase);
    const outcome = await pending;
    expect(outcome.files.reduce((n, f) => n + f.keyCount, 0)).toBe(1);
  });
});

describe('parseVerificationKey', () => {
  it('accepts PEM and base64 SPKI of the same key alike and rejects anything else naming the option', () => {
    const pem = readFileSync('fixtures/signing/test-export-signing-key.pub.pem', 'utf8');
    const fromPem = parseVerificationKey(pem, '440', 'v1');
    expect(parseVerificationKey(fromPem.publicKeyBase64, '440', 'v1')).toEqual(fromPem);
    expect(() => parseVerificationKey('bm90IGEga2V5', '440', 'v1')).toThrow(
      /verificationKey: not a P-256 public key/,
    );
  });
});
