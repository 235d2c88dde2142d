/**
 * The reference server's configuration sets (fixtures/exposure-configuration/, the project's own
 * files) against what COCOA published: same members and values, or a difference documented with its
 * reason in differences-from-published.json — and no other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { reference, titled } from '../reference-data.js';

const cocoa = reference('cocoa-peer-data');
const SETS = fileURLToPath(new URL('../../fixtures/exposure-configuration/', import.meta.url));

interface Differences {
  documents: Record<string, { published: string; differences: Record<string, string> }>;
}
const documented: Differences = JSON.parse(readFileSync(`${SETS}differences-from-published.json`, 'utf8'));

/** Member paths where two documents differ (objects walked; arrays and scalars compared whole). */
function differing(a: unknown, b: unknown, path = ''): string[] {
  const isObj = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differing(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return isDeepStrictEqual(a, b) ? [] : [path];
}

describe.skipIf(!cocoa.available)(
  titled(cocoa, 'served configuration sets against the published files'),
  () => {
    for (const [served, { published, differences }] of Object.entries(documented.documents)) {
      it(`${served} equals ${published} except where documented`, () => {
        const ours = JSON.parse(readFileSync(`${SETS}${served}`, 'utf8'));
        const theirs = cocoa.json(published);
        expect(differing(ours, theirs)).toEqual(Object.keys(differences).sort());
        for (const reason of Object.values(differences)) expect(reason.length).toBeGreaterThan(20);
      });
    }

    it('documents every served document of every set', () => {
      const servedFiles = readdirSync(SETS, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) => readdirSync(`${SETS}${d.name}`).map((f) => `${d.name}/${f}`))
        .sort();
      expect(servedFiles).toEqual(Object.keys(documented.documents).sort());
    });
  },
);
