/**
 * docs/links.md, written from the link definitions in links.ts so the docs and the judges cannot
 * drift apart: `npx tsx harness/runner/links-doc.ts` after changing a definition.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LINKS } from './links.js';

export const LINKS_DOC = fileURLToPath(new URL('../../docs/links.md', import.meta.url));

export function linksMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '# The chain links',
    '',
    '<!-- Generated from harness/runner/links.ts by `npx tsx harness/runner/links-doc.ts`; do not edit. -->',
    '',
    "Each receiving phone is judged against each phone it met (the sender), along the sender's keys",
    'whose RPIs the receiver recorded; the report shows the sender whose chain got furthest. A link',
    'holds only on positive evidence about those keys: nothing passes vacuously. Keys are named by',
    'their rolling start date (UTC) and the first 8 hex digits of SHA-256 over the key data.',
    '',
    '| # | Link | Holds when | 成立の条件 |',
    '|---|------|------------|------------|',
    ...LINKS.map((l, i) => `| ${i + 1} | ${l.name} | ${cell(l.definition.en)} | ${cell(l.definition.ja)} |`),
    '',
    'A negative expectation (`notified: false`) names the link or links it expects the chain to break',
    'at (`brokenLink: score` or `brokenLink: [contact, score]`). A break elsewhere fails the phone; a',
    'named link that held reads "held; expected a break here" in every report.',
    '',
    'Both directions are judged. A phone expected not to be notified that was notified fails where the',
    "notification got through: at score when the app's decision said notify, at notify when it said no",
    'and a notification was shown anyway. A notified phone fails at notify when shown more notifications',
    'than its scenario allows (`notifications: 1`, `notifications: "<= 2"`; by default one per exposure',
    'day, scenarios/README.md "Notifications are counted").',
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(LINKS_DOC, linksMarkdown());
  console.log(`wrote ${LINKS_DOC}`);
}
