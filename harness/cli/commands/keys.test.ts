import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { reference, titled } from '../../../test/reference-data.js';
import { UsageError } from '../main.js';
import { rpisReport } from './keys.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const vectorsRef = reference('gaen-test-vectors');
interface Vectors {
  tek: string;
  rollingStartIntervalNumber: number;
  metadata: string;
  rpik: string;
  aemk: string;
  advertised: { rpi: string; aem: string }[];
}
// Read only when present: the suite below is skipped otherwise.
const vectors = (vectorsRef.available ? vectorsRef.json<Vectors>() : {}) as Vectors;

describe.skipIf(!vectorsRef.available)(titled(vectorsRef, 'keys rpis'), () => {
  it("derives all 144 RPIs and AEMs of Google's test vectors", async () => {
    const json = JSON.parse(
      await rpisReport({
        tek: vectors.tek,
        interval: String(vectors.rollingStartIntervalNumber),
        metadata: vectors.metadata,
        json: true,
      }),
    );
    expect(json.rpik).toBe(vectors.rpik);
    expect(json.aemk).toBe(vectors.aemk);
    expect(json.rpis.map((r: { rpi: string; aem: string }) => [r.rpi, r.aem])).toEqual(
      vectors.advertised.map((a: { rpi: string; aem: string }) => [a.rpi, a.aem]),
    );
  });

  it('rejects a short TEK, a bad interval and bad metadata as usage errors', async () => {
    await expect(rpisReport({ tek: 'abcd', interval: '1' })).rejects.toBeInstanceOf(UsageError);
    await expect(rpisReport({ tek: vectors.tek, interval: '-5' })).rejects.toThrow(/--interval/);
    await expect(rpisReport({ tek: vectors.tek, interval: '1', metadata: 'zz' })).rejects.toThrow(
      /--metadata/,
    );
    await expect(rpisReport({ tek: vectors.tek })).rejects.toThrow(/--interval is required/);
  });

  it('runs through the real CLI: text output, and exit 2 on bad usage', async () => {
    const bin = join(root, 'bin/ichiren.js');
    const ok = await execa(
      'node',
      [
        bin,
        'keys',
        'rpis',
        '--tek',
        vectors.tek,
        '--interval',
        String(vectors.rollingStartIntervalNumber),
        '--count',
        '2',
      ],
      {
        cwd: root,
      },
    );
    expect(ok.stdout).toContain(vectors.advertised[1].rpi);
    expect(ok.stdout.split('\n').filter((l) => /^\d+ /.test(l))).toHaveLength(2);
    const bad = await execa('node', [bin, 'keys', 'rpis', '--tek', 'xyz', '--interval', '1'], {
      cwd: root,
      reject: false,
    });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--tek must be 16 bytes/);
  });
});
