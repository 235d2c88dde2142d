/**
 * Missing glyphs ("tofu") on a page, as Chromium drew it. Two views of the same question, both
 * independent of the machine's own fonts:
 * - Chromium's font coverage (CDP `CSS.getPlatformFontsForNode`): every rendered text node is drawn
 *   only with fonts the page embeds (isCustomFont). A character no embedded font holds falls back to
 *   a system font, which on a machine without CJK fonts draws an empty box;
 * - the page's loaded fonts (`document.fonts`): every character of every rendered text node lies in
 *   the unicode-range of a loaded font face.
 * Only rendered text counts: open <details> and choose the language before calling.
 */
import type { Page } from 'playwright';

export interface GlyphProblem {
  /** The text node's text (shortened). */
  readonly text: string;
  /** What is wrong: the system fonts Chromium fell back to, or the characters no loaded face covers. */
  readonly problem: string;
}

interface CdpNode {
  nodeId: number;
  nodeType: number;
  nodeValue?: string;
  children?: CdpNode[];
  contentDocument?: CdpNode;
}

const short = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s).replace(/\s+/g, ' ').trim();

/** Text nodes drawn with a font the page did not embed (CDP font coverage). */
async function systemFontFallbacks(page: Page): Promise<GlyphProblem[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1 })) as { root: CdpNode };
    const texts: CdpNode[] = [];
    const walk = (n: CdpNode) => {
      if (n.nodeType === 3 && n.nodeValue?.trim()) texts.push(n);
      for (const c of n.children ?? []) walk(c);
      if (n.contentDocument) walk(n.contentDocument);
    };
    walk(root);
    // Sent all at once: CDP answers them in order, without a round trip each.
    const answers = (await Promise.all(
      texts.map((node) => cdp.send('CSS.getPlatformFontsForNode', { nodeId: node.nodeId })),
    )) as { fonts: { familyName: string; isCustomFont: boolean; glyphCount: number }[] }[];
    const problems: GlyphProblem[] = [];
    texts.forEach((node, i) => {
      const system = answers[i].fonts.filter((f) => !f.isCustomFont && f.glyphCount > 0);
      if (system.length > 0)
        problems.push({
          text: short(node.nodeValue ?? ''),
          problem: `drawn with system font ${system.map((f) => `${f.familyName} (${f.glyphCount} glyphs)`).join(', ')}`,
        });
    });
    return problems;
  } finally {
    await cdp.detach();
  }
}

/**
 * Characters of rendered text outside every loaded font face's unicode-range. Plain JavaScript in a
 * string: a transpiler's helpers (tsx's `__name`) do not exist inside the page.
 */
const UNCOVERED_CHARACTERS_SCRIPT = `(() => {
  const ranges = [];
  for (const face of document.fonts) {
    if (face.status !== 'loaded') continue;
    for (const part of face.unicodeRange.split(',')) {
      const [from, to] = part.trim().replace(/^U\\+/i, '').split('-');
      ranges.push([parseInt(from, 16), parseInt(to ?? from, 16)]);
    }
  }
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue ?? '';
    const parent = n.parentElement;
    if (!text.trim() || !parent || parent.getClientRects().length === 0) continue;
    if (parent.closest('script, style')) continue;
    const missing = new Set();
    for (const ch of text) {
      const cp = ch.codePointAt(0);
      if (/\\s/.test(ch) || ranges.some(([a, b]) => cp >= a && cp <= b)) continue;
      missing.add(ch + ' U+' + cp.toString(16).toUpperCase().padStart(4, '0'));
    }
    if (missing.size > 0)
      problems.push({ text: text.replace(/\\s+/g, ' ').trim().slice(0, 60), problem: 'no loaded font covers ' + [...missing].join(', ') });
  }
  return problems;
})()`;

function uncoveredCharacters(page: Page): Promise<GlyphProblem[]> {
  return page.evaluate(UNCOVERED_CHARACTERS_SCRIPT) as Promise<GlyphProblem[]>;
}

/** Every missing-glyph problem of the page as it is rendered now; empty when every glyph is drawn. */
export async function findMissingGlyphs(page: Page): Promise<GlyphProblem[]> {
  await page.evaluate(async () => {
    await document.fonts.ready;
  });
  return [...(await uncoveredCharacters(page)), ...(await systemFontFallbacks(page))];
}
