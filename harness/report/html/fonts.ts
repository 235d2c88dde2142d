/**
 * The report's fonts come from npm (Fontsource, SIL OFL 1.1), embedded in the page as data URLs, so
 * the HTML report, its PDF and every screenshot look the same on every machine, with or without
 * system CJK fonts. Fontsource splits each font into files by unicode-range; only the files holding
 * a character of the page are embedded (a report needs a few hundred kB, not the 4 MB of the font).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

interface FontSpec {
  /** Our own family name, so a system "Noto Sans JP" of another version never stands in. */
  readonly family: string;
  readonly pkg: string;
  readonly weights: readonly number[];
}

/** Bold text uses 700 (800 is drawn with the nearest, 700). */
export const REPORT_FONTS: readonly FontSpec[] = [
  { family: 'ichiren Sans JP', pkg: '@fontsource/noto-sans-jp', weights: [400, 700] },
  { family: 'ichiren Mono', pkg: '@fontsource/noto-sans-mono', weights: [400] },
  { family: 'ichiren Symbols', pkg: '@fontsource/noto-sans-symbols-2', weights: [400] }, // ✔ ✘
];

interface FontFile {
  readonly family: string;
  readonly weight: number;
  readonly file: string;
  readonly unicodeRange: string;
  readonly ranges: readonly (readonly [number, number])[];
}

const require = createRequire(import.meta.url);

function parseRanges(unicodeRange: string): [number, number][] {
  return unicodeRange.split(',').map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
    return [Number.parseInt(from, 16), Number.parseInt(to ?? from, 16)];
  });
}

/** The woff2 files of one weight of a Fontsource package, with the characters each holds. */
function filesOf(spec: FontSpec, weight: number): FontFile[] {
  const dir = path.dirname(require.resolve(`${spec.pkg}/package.json`));
  const css = readFileSync(path.join(dir, `${weight}.css`), 'utf8');
  return [...css.matchAll(/url\(\.\/(files\/[^)]+\.woff2)\)[^;]*;\s*unicode-range:\s*([^;]+);/g)].map(
    (m) => ({
      family: spec.family,
      weight,
      file: path.join(dir, m[1]),
      unicodeRange: m[2].trim(),
      ranges: parseRanges(m[2]),
    }),
  );
}

let catalogue: FontFile[] | undefined;
function allFiles(): FontFile[] {
  catalogue ??= REPORT_FONTS.flatMap((spec) => spec.weights.flatMap((w) => filesOf(spec, w)));
  return catalogue;
}

/** Why the report fonts cannot be embedded (a package missing), or undefined when they can. */
export function reportFontsUnavailable(): string | undefined {
  for (const spec of REPORT_FONTS) {
    try {
      require.resolve(`${spec.pkg}/package.json`);
    } catch {
      return `font package ${spec.pkg} is not installed: run \`npm ci\``;
    }
  }
  return undefined;
}

const dataUrls = new Map<string, string>();
function dataUrl(file: string): string {
  let url = dataUrls.get(file);
  if (!url) {
    url = `data:font/woff2;base64,${readFileSync(file).toString('base64')}`;
    dataUrls.set(file, url);
  }
  return url;
}

/** True when a sorted list of code points has one in [from, to] (binary search). */
function anyIn(sorted: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] <= to;
}

/** @font-face rules (data URLs) for the font files that hold a character of `text`. */
export function fontFaceCss(text: string): string {
  const seen = new Set<number>();
  for (const ch of text) seen.add(ch.codePointAt(0) as number);
  const codePoints = [...seen].sort((a, b) => a - b);
  return allFiles()
    .filter((f) => f.ranges.some(([from, to]) => anyIn(codePoints, from, to)))
    .map(
      (f) =>
        `@font-face{font-family:'${f.family}';font-style:normal;font-weight:${f.weight};font-display:block;src:url(${dataUrl(f.file)}) format('woff2');unicode-range:${f.unicodeRange}}`,
    )
    .join('\n');
}
