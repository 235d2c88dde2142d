import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { reference, titled } from '../../../test/reference-data.js';
import { writeSignedExport } from '../../protocol/export/index.js';
import { UsageError } from '../main.js';
import { inspectExport, register } from './export.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin/ichiren.js');
const googleSample = reference('google-sample-export');
const googleRoundtrip = reference('google-roundtrip-export');
const googleZip = googleSample.path;
const googleBin = googleRoundtrip.path;
const GOOGLE_310 =
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE49JY6kekDgxj3Crm4y6kEHdfoKQFSNDM4mV9cgDb+e5nOAw0GeRoRThCu9/wX5wDT2QloFoOjl2pGZHI0f3C3w==';

const dir = mkdtempSync(join(tmpdir(), 'ichiren-export-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pubPem = join(dir, 'pub.pem');
writeFileSync(pubPem, publicKey.export({ format: 'pem', type: 'spki' }));
const { zip, exportBin } = writeSignedExport(
  {
    startTimestamp: 1_600_000_000,
    endTimestamp: 1_600_003_600,
    region: '440',
    batchNum: 1,
    batchSize: 1,
    keys: [
      {
        keyData: randomBytes(16),
        rollingStartIntervalNumber: 2_666_736,
        rollingPeriod: 144,
        transmissionRiskLevel: 0,
        reportType: 1,
        daysSinceOnsetOfSymptoms: -3,
      },
    ],
    revisedKeys: [],
  },
  [{ keyId: '440', version: 'v1', privateKey }],
);
const goodZip = join(dir, 'good.zip');
writeFileSync(goodZip, zip);
const badBin = Buffer.from(exportBin);
badBin[badBin.length - 1] ^= 0x01;
const { zipSync, unzipSync } = await import('fflate');
const badZip = join(dir, 'bad.zip');
writeFileSync(badZip, zipSync({ 'export.bin': badBin, 'export.sig': unzipSync(zip)['export.sig'] }));

const ichiren = (...args: string[]) => execa('node', [bin, ...args], { cwd: root, reject: false });

describe('inspectExport', () => {
  it.skipIf(!googleSample.available)(
    titled(googleSample, 'verifies the Google sample with the 310 key matched to what the file declares'),
    async () => {
      const out = await inspectExport(googleZip, { publicKey: GOOGLE_310, json: true });
      const json = JSON.parse(out.stdout);
      expect(out.exitCode).toBe(0);
      expect(json).toMatchObject({ valid: true, region: 'US', batchNum: 1, batchSize: 1 });
      expect(json.keys).toHaveLength(140);
    },
  );

  it('reads without a key and exits 0 with valid null', async () => {
    const out = await inspectExport(goodZip, { json: true });
    const json = JSON.parse(out.stdout);
    expect(out.exitCode).toBe(0);
    expect(json.valid).toBeNull();
    expect(json.keys[0]).toMatchObject({
      transmissionRiskLevel: 0,
      reportType: 1,
      daysSinceOnsetOfSymptoms: -3,
      rollingPeriod: 144,
    });
  });

  it('fails when --key-id names a key the file was not signed with', async () => {
    const out = await inspectExport(goodZip, { publicKey: pubPem, keyId: '999' });
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toMatch(/INVALID/);
  });

  it('throws UsageError for --key-id without --public-key and for a garbage key', async () => {
    await expect(inspectExport(goodZip, { keyId: '440' })).rejects.toBeInstanceOf(UsageError);
    await expect(inspectExport(goodZip, { publicKey: 'not-a-key' })).rejects.toBeInstanceOf(UsageError);
  });

  it('registers `export inspect` on a fresh program', () => {
    const program = new Command();
    register(program);
    const inspect = program.commands
      .find((c) => c.name() === 'export')
      ?.commands.find((c) => c.name() === 'inspect');
    expect(inspect?.options.map((o) => o.long)).toEqual([
      '--public-key',
      '--key-id',
      '--key-version',
      '--json',
    ]);
  });
});

describe('ichiren export inspect (real CLI)', () => {
  it.skipIf(!googleSample.available)(
    titled(googleSample, "prints the Google sample's header, signature info, verdict and keys; exits 0"),
    async () => {
      const r = await ichiren('export', 'inspect', googleZip, '--public-key', GOOGLE_310);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/region:\s+US/);
      expect(r.stdout).toMatch(/310-v1\s+1\.2\.840\.10045\.4\.3\.2/);
      expect(r.stdout).toMatch(/VALID: verified by 310-v1/);
      expect(r.stdout).toMatch(/keys \(140\)/);
    },
  );

  it('verifies a harness-written zip with a PEM file and prints JSON', async () => {
    const r = await ichiren('export', 'inspect', goodZip, '--public-key', pubPem, '--json');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      valid: true,
      region: '440',
      signatureInfos: [{ verificationKeyId: '440' }],
    });
  });

  it('exits 1 with one clear line for a tampered export.bin', async () => {
    const r = await ichiren('export', 'inspect', badZip, '--public-key', pubPem);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/signature invalid/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 naming the problem for a file that is not an export, also in JSON', async () => {
    const junk = join(dir, 'junk.zip');
    writeFileSync(junk, Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(64)]));
    const r = await ichiren('export', 'inspect', junk);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/EXPORT_ZIP_CORRUPT/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const j = await ichiren('export', 'inspect', junk, '--json');
    expect(j.exitCode).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ valid: false, errorCode: 'EXPORT_ZIP_CORRUPT' });
  });

  it.skipIf(!googleRoundtrip.available)(
    titled(googleRoundtrip, "reads Google's bare round-trip export.bin"),
    async () => {
      const r = await ichiren('export', 'inspect', googleBin, '--json');
      expect(r.exitCode).toBe(0);
      const key = JSON.parse(r.stdout).keys.find(
        (k: { keyData: string }) => k.keyData === '2b714d3ec93c14e5d345003e59027aea',
      );
      expect(key.rollingStartIntervalNumber).toBe(2646801);
    },
  );

  it('exits 2 for usage errors', async () => {
    expect((await ichiren('export', 'inspect')).exitCode).toBe(2);
    expect((await ichiren('export', 'inspect', goodZip, '--key-id', '440')).exitCode).toBe(2);
    expect((await ichiren('export', 'inspect', join(dir, 'missing.zip'))).exitCode).toBe(2);
  });
});
