import { describe, expect, it } from 'vitest';
import { loadServerConfigFromEnv, parseServerConfig, ServerConfigError } from './config.js';

describe('server configuration', () => {
  it('defaults to the latest behaviour, cocoa-2.x, region 440, 5 s HER-SYS timeout, 30 keys', () => {
    const c = parseServerConfig({});
    expect(c.behaviour).toBe('v3');
    expect(c.configSet).toBe('cocoa-2.x');
    expect(c.region).toBe('440');
    expect(c.hersys.timeoutMs).toBe(5000);
    expect(c.hersys.statusTable.OK).toBe(200);
    expect(c.hersys.statusTable.EXPIRED).toBe(406);
    expect(c.limits.maxKeysPerUpload).toBe(30);
    expect(c.export.maxKeysPerFile).toBe(250_000);
    expect(c.export.intervalMs).toBe(0);
    expect(c.deviceVerification.enabled).toBe(false);
  });

  it('reads the documented environment variables', () => {
    const c = loadServerConfigFromEnv({
      ICHIREN_SERVER_PORT: '7001',
      ICHIREN_SERVER_BEHAVIOUR: '2020-09',
      ICHIREN_SERVER_CONFIG_SET: 'cocoa-1.1.4',
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/db',
      HERSYS_URL: 'http://127.0.0.1:7002/api/verify',
      HERSYS_TIMEOUT_MS: '250',
      HERSYS_STATUS_TABLE: '{"OK":200,"NOPE":406}',
      ICHIREN_SERVER_API_SECRET: 'secret',
    });
    expect(c).toMatchObject({
      port: 7001,
      behaviour: '2020-09',
      configSet: 'cocoa-1.1.4',
      databaseUrl: 'postgres://u@127.0.0.1:5432/db',
      apiSecret: 'secret',
      hersys: {
        url: 'http://127.0.0.1:7002/api/verify',
        timeoutMs: 250,
        statusTable: { OK: 200, NOPE: 406 },
      },
    });
  });

  it('names the field and the variable of a bad value', () => {
    expect(() => loadServerConfigFromEnv({ ICHIREN_SERVER_BEHAVIOUR: '1.1.4' })).toThrow(
      /behaviour.*ICHIREN_SERVER_BEHAVIOUR/,
    );
    expect(() => loadServerConfigFromEnv({ ICHIREN_SERVER_PORT: 'abc' })).toThrow(ServerConfigError);
    expect(() => parseServerConfig({ hersys: { timeoutMs: 0 } })).toThrow(/hersys\.timeoutMs/);
  });

  it('lets explicit overrides win over the environment', () => {
    const c = loadServerConfigFromEnv({ ICHIREN_SERVER_PORT: '7001' }, { port: 0, behaviour: '2021-02-17' });
    expect(c.port).toBe(0);
    expect(c.behaviour).toBe('2021-02-17');
  });
});
