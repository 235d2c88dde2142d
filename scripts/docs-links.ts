/**
 * Relative links and anchors in the project's Markdown: every `[text](path#anchor)` of README.md,
 * docs/**\/*.md and the folder READMEs must name a file or folder that exists and, for a Markdown
 * target, a heading it has (GitHub's anchors, by github-slugger). Links in code are not links.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import { lexer, type Token } from 'marked';

export interface BrokenLink {
  readonly file: string;
  readonly line: number;
  readonly href: string;
  readonly problem: string;
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.cache']);

/** README.md files anywhere in the tree, and every Markdown file under docs/, relative to root. */
export function markdownFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(rel);
      } else if (entry.name === 'README.md' || (rel.startsWith(`docs${path.sep}`) && rel.endsWith('.md')))
        out.push(rel);
    }
  };
  walk('.');
  return out.map((f) => f.replace(/^\.\//, '')).sort();
}

/** Link and image tokens, with the line each starts on. */
function links(markdown: string): { href: string; line: number }[] {
  const out: { href: string; line: number }[] = [];
  const lineOf = (raw: string, from: number) =>
    markdown.slice(0, markdown.indexOf(raw, from)).split('\n').length;
  let offset = 0;
  const walk = (tokens: readonly Token[]) => {
    for (const t of tokens) {
      if ((t.type === 'link' || t.type === 'image') && 'href' in t)
        out.push({ href: String(t.href), line: lineOf(t.raw, offset) });
      if ('tokens' in t && Array.isArray(t.tokens)) walk(t.tokens);
      if (t.type === 'list') for (const item of t.items as Token[]) walk([item]);
      if (t.type === 'table') {
        const cells = [...(t.header as { tokens: Token[] }[]), ...(t.rows as { tokens: Token[] }[][]).flat()];
        for (const cell of cells) walk(cell.tokens);
      }
    }
  };
  for (const block of lexer(markdown)) {
    walk([block]);
    offset = Math.max(0, markdown.indexOf(block.raw, offset));
  }
  return out;
}

/** The plain text of inline tokens, as GitHub renders a heading before slugging it. */
function plain(tokens: readonly Token[]): string {
  return tokens
    .map((t) =>
      'tokens' in t && Array.isArray(t.tokens) ? plain(t.tokens) : 'text' in t ? String(t.text) : '',
    )
    .join('');
}

const anchorCache = new Map<string, Set<string>>();
/** GitHub's anchors of a Markdown file's headings (a repeated heading gets -1, -2…). */
export function anchorsOf(file: string): Set<string> {
  let anchors = anchorCache.get(file);
  if (!anchors) {
    const slugger = new GithubSlugger();
    anchors = new Set(
      lexer(readFileSync(file, 'utf8'))
        .filter((t) => t.type === 'heading')
        .map((t) => slugger.slug(plain((t as { tokens: Token[] }).tokens))),
    );
    anchorCache.set(file, anchors);
  }
  return anchors;
}

export function brokenLinks(root: string, files: readonly string[]): BrokenLink[] {
  anchorCache.clear();
  const broken: BrokenLink[] = [];
  for (const file of files) {
    const source = path.join(root, file);
    for (const { href, line } of links(readFileSync(source, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // https:, mailto:: not relative
      const [target, anchor] = href.split('#', 2);
      const resolved = target ? path.resolve(path.dirname(source), decodeURI(target)) : source;
      const report = (problem: string) => broken.push({ file, line, href, problem });
      if (!existsSync(resolved)) {
        report(`${path.relative(root, resolved)} does not exist`);
        continue;
      }
      if (anchor === undefined || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) continue;
      if (!anchorsOf(resolved).has(decodeURIComponent(anchor)))
        report(`${path.relative(root, resolved)} has no heading with anchor #${anchor}`);
    }
  }
  return broken;
}
