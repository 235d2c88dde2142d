import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOkHersys } from './testing/ok-hersys.js';
import { spawnServer } from './testing/spawn-server.js';
import { v3Body, wireKey } from './testing/uploads.js';

describe('ichiren server (process mode)', () => {
  let hersys: Awaited<ReturnType<typeof startOkHersys>>;
  beforeAll(async () => {
    hersys = await startOkHersys();
  });
  afterAll(() => hersys.stop());

  it('prints one listening line, serves /ready, logs JSON without numbers or keys, stops on SIGTERM', async () => {
    const server = await spawnServer(['--behaviour', 'v3', '--config-set', 'cocoa-1.1.4'], {
      HERSYS_URL: hersys.url,
      ICHIREN_SERVER_ADMIN_TOKEN: 'admin-token-123',
    });
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    const cfg = await (await fetch(`${server.url}/c19r/Configration.json`)).json();
    expect(cfg.MinimumRiskScore).toBe(21);
    const key = wireKey({ reportType: 1 });
    const res = await fetch(`${server.url}/api/v3/diagnosis`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(v3Body('98765432', [key])),
    });
    expect(res.status).toBe(200);
    server.child.kill('SIGTERM');
    const result = await server.child;
    expect(result.exitCode).toBe(0);
    const lines = server.stdout().trim().split('\n');
    expect(lines[0]).toMatch(/^ichiren server listening on http:\/\/127\.0\.0\.1:\d+$/);
    for (const line of lines.slice(1)) expect(() => JSON.parse(line)).not.toThrow();
    expect(server.stdout()).toContain('upload accepted');
    expect(server.stdout()).not.toContain('98765432');
    expect(server.stdout()).not.toContain(key.keyData);
  });

  it('prints the admin token it generated when none is configured, and that token publishes', async () => {
    const server = await spawnServer(
      [],
      { HERSYS_URL: hersys.url, ICHIREN_SERVER_ADMIN_TOKEN: '' },
      'cli',
      100_000,
    );
    try {
      const deadline = Date.now() + 10_000;
      while (!server.stdout().includes('adminToken') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const line = server
        .stdout()
        .split('\n')
        .find((l) => l.includes('adminToken'))!;
      const { adminToken } = JSON.parse(line) as { adminToken: string };
      expect(adminToken.length).toBeGreaterThanOrEqual(24);
      const res = await fetch(`${server.url}/api/admin/publish`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(res.status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.child;
    }
  }, 120_000);

  it('exits 2 with a message naming the variable for a bad configuration', async () => {
    const { execa } = await import('execa');
    const r = await execa('node', ['bin/ichiren.js', 'server'], {
      env: { ICHIREN_SERVER_BEHAVIOUR: '1.1.4' },
      reject: false,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/behaviour.*ICHIREN_SERVER_BEHAVIOUR/);
  });
});
