import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LINKS } from './links.js';
import { LINKS_DOC, linksMarkdown } from './links-doc.js';
import { CHAIN_LINKS } from './results.js';

describe('link definitions', () => {
  it('define each chain link once, in chain order, in both languages', () => {
    expect(LINKS.map((l) => l.name)).toEqual([...CHAIN_LINKS]);
    for (const l of LINKS) expect(l.definition.en.length * l.definition.ja.length).toBeGreaterThan(0);
  });

  it('are the table in docs/links.md (run links-doc.ts after changing one)', () => {
    expect(readFileSync(LINKS_DOC, 'utf8')).toBe(linksMarkdown());
  });
});
