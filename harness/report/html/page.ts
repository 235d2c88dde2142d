/**
 * The shell every ichiren page shares (run report, population, audit): one self-contained file with
 * the report's CSS, the fonts it needs embedded, the language switch, Japanese first.
 */
import { readFileSync } from 'node:fs';
import { fontFaceCss } from './fonts.js';

const CSS = readFileSync(new URL('./report.css', import.meta.url), 'utf8');
const SCRIPT = readFileSync(new URL('./client.js', import.meta.url), 'utf8');
/** Replaced by the embedded @font-face rules (fonts.ts) once the page is complete. */
const FONTS_PLACEHOLDER = '/* ichiren fonts */';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Both languages; CSS shows the chosen one. */
export const bilingual = (ja: string, en: string): string =>
  `<span lang="ja">${esc(ja)}</span><span lang="en">${esc(en)}</span>`;

export interface PageParts {
  readonly title: { readonly ja: string; readonly en: string };
  readonly heading: { readonly ja: string; readonly en: string };
  readonly main: string;
  readonly generator?: string;
  /** A skip link to the page's first section. */
  readonly skipTo?: { readonly id: string; readonly ja: string; readonly en: string };
  readonly footer?: string;
}

export function standalonePage(p: PageParts): string {
  const page = `<!doctype html>
<html lang="ja" data-lang="ja" data-title-ja="${esc(p.title.ja)}" data-title-en="${esc(p.title.en)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${p.generator ? `<meta name="generator" content="${esc(p.generator)}">\n` : ''}<title>${esc(p.title.ja)}</title>
<style>
${FONTS_PLACEHOLDER}
${CSS}</style>
</head>
<body>
${p.skipTo ? `<a class="skip-link" href="#${p.skipTo.id}">${bilingual(p.skipTo.ja, p.skipTo.en)}</a>\n` : ''}<header class="top">
<h1><span class="brand">ichiren 一連</span>${bilingual(p.heading.ja, p.heading.en)}</h1>
<div class="lang-switch" role="group" aria-label="言語 / Language">
<button type="button" data-set-lang="ja" aria-pressed="true">日本語</button>
<button type="button" data-set-lang="en" aria-pressed="false">English</button>
</div>
</header>
<main>
${p.main}
</main>
${p.footer ? `<footer>${p.footer}</footer>\n` : ''}<script>
${SCRIPT}</script>
</body>
</html>
`;
  // The fonts are embedded last: only the files holding a character of the page.
  return page.replace(FONTS_PLACEHOLDER, () => fontFaceCss(page));
}
