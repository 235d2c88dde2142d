/**
 * The standard test cases as one self-contained page, Japanese first with English beside (both
 * shown: the document is attached to contracts and read in either language). The report's CSS and
 * its fonts embedded from npm, so the page and its PDF look the same on every machine.
 */
import { readFileSync } from 'node:fs';
import { fontFaceCss } from '../report/html/fonts.js';
import { esc } from '../report/html/page.js';
import { LINK_LABELS } from '../report/i18n.js';
import { CHAIN_LINKS, type ChainLinkName } from '../runner/results.js';
import type { CaseBook, CaseCheck, DefectRow, StandardCase } from './model.js';
import { classLabel, type Pair, CASES_TEXT as T } from './text.js';

const REPORT_CSS = readFileSync(new URL('../report/html/report.css', import.meta.url), 'utf8');
const CASES_CSS = readFileSync(new URL('./cases.css', import.meta.url), 'utf8');
const FONTS_PLACEHOLDER = '/* ichiren fonts */';

/** Japanese, then English beside it (never hidden: no language switch on this page). */
const pair = ([ja, en]: Pair): string =>
  `<span class="ja" lang="ja">${esc(ja)}</span><span class="en" lang="en-GB">${esc(en)}</span>`;
const link = (l: ChainLinkName) => pair([LINK_LABELS[l].ja, LINK_LABELS[l].en]);
const code = (s: string) => `<code>${esc(s)}</code>`;

function linkChips(c: StandardCase): string {
  return `<ol class="chain">${CHAIN_LINKS.map((l) => {
    const state = c.breaks.includes(l) ? 'break' : c.links.includes(l) ? 'hold' : 'none';
    return `<li class="chip ${state}" data-link="${l}" data-state="${state}">${link(l)}</li>`;
  }).join('')}</ol>`;
}

const PLATFORM = { android: 'Android', ios: 'iOS' } as const;

function checkLine(k: CaseCheck): string {
  const who = `${code(k.phone)} (${PLATFORM[k.platform]} ${esc(k.osVersion)}, ${esc(k.app)}, EN ${esc(k.enPath)})`;
  if (k.rate) return `<li class="must">${who}: ${pair(T.rate(k.rate))}</li>`;
  if (k.notified === true) return `<li class="must">${who}: ${pair(T.mustNotify)}</li>`;
  if (k.notified === 'any') return `<li class="any">${who}: ${pair(T.recordedOnly)}</li>`;
  const at = k.mustBreakAt.map(link).join(' / ');
  return `<li class="must-not">${who}: ${pair(T.mustNotNotify)} — ${pair(T.breaksAt)} ${at}</li>`;
}

function catchesCell(c: StandardCase, book: CaseBook): string {
  if (!book.audit) return pair(T.notMeasured);
  if (!c.catches || c.catches.length === 0) return pair(T.catchesNone);
  return c.catches.map(code).join(', ');
}

function caseCard(c: StandardCase, book: CaseBook): string {
  const stats = c.statistics
    ? `<li>${pair(T.trials)} ${c.statistics.trials}: ${c.statistics.rates.map((r) => code(`${r.phone} notified ${r.bound}`)).join(', ')}${c.statistics.differential ? `, ${pair(T.differential)} ${code(c.statistics.differential)}` : ''}</li>`
    : '';
  const senders = c.senders
    .map((s) => `<li>${code(s.phone)}: ${pair(T.uploadsMust)} ${code(s.uploads.join(' → '))}</li>`)
    .join('');
  const na =
    c.notApplicable.length > 0
      ? `<p class="muted">${pair(T.notApplicable)} ${c.notApplicable.map(code).join(', ')}</p>`
      : '';
  return `<article class="case" id="case-${esc(c.id)}" data-case="${esc(c.id)}">
<h3>${pair([c.title.ja, c.title.en])} <small>${code(c.id)}</small></h3>
<p class="purpose">${pair([c.purpose.ja, c.purpose.en])}</p>
${linkChips(c)}
<table class="facts"><tbody>
<tr><th>${pair(T.runsOn)}</th><td>${c.platforms.map((p) => PLATFORM[p]).join(', ') || '—'} · ${esc(c.osVersions.join(', ') || '—')} · EN ${esc(c.enPaths.join(', ') || '—')} · ${esc(c.apps.join(', ') || '—')} · ${c.cells} ${pair(T.cells)}</td></tr>
<tr><th>${pair(T.expectations)}</th><td><ul class="checks">${c.checks.map(checkLine).join('')}${senders}${stats}</ul></td></tr>
<tr><th>${pair(T.catches)}</th><td class="catches">${catchesCell(c, book)}</td></tr>
<tr><th>${pair(T.file)}</th><td>${code(c.file)}${c.tags.length ? ` · ${esc(c.tags.join(', '))}` : ''}</td></tr>
</tbody></table>${na}
</article>`;
}

function coverageTable(book: CaseBook): string {
  const head = book.columns.map((col) => `<th>${PLATFORM[col.platform]}<br>EN ${col.enPath}</th>`).join('');
  const rows = CHAIN_LINKS.map((l) => {
    const cells = book.coverage[l]
      .map((ids, i) => {
        const col = book.columns[i];
        const gap = ids.length === 0;
        return `<td class="${gap ? 'gap' : 'covered'}" data-link="${l}" data-platform="${col.platform}" data-en="${col.enPath}">${gap ? pair(T.gap) : ids.length}</td>`;
      })
      .join('');
    return `<tr><th>${link(l)}</th>${cells}</tr>`;
  }).join('\n');
  return `<table class="coverage"><thead><tr><th>${pair(T.link)}</th>${head}</tr></thead><tbody>
${rows}
</tbody></table>
<p class="muted">${pair(T.coverageNote)}</p>`;
}

function byLink(book: CaseBook): string {
  return CHAIN_LINKS.map((l) => {
    const breaking = book.cases.filter((c) => c.breaks.includes(l));
    const holding = book.cases.filter((c) => c.links.includes(l) && !c.breaks.includes(l));
    const list = (cs: readonly StandardCase[]) =>
      cs.length === 0 ? '—' : cs.map((c) => `<a href="#case-${esc(c.id)}">${code(c.id)}</a>`).join(', ');
    return `<section class="by-link" data-link="${l}"><h3>${link(l)}</h3>
<p><b>${pair(T.mustBreakHere)}</b> (${breaking.length}): ${list(breaking)}</p>
<p><b>${pair(T.mustHoldHere)}</b> (${holding.length}): ${list(holding)}</p></section>`;
  }).join('\n');
}

function defectRow(d: DefectRow, book: CaseBook): string {
  const status: Pair = !book.audit
    ? T.notMeasured
    : d.status === 'caught'
      ? T.caught
      : d.status === 'survived'
        ? T.survived
        : d.status === 'errors-only'
          ? T.errorsOnly
          : d.status === 'error'
            ? T.error
            : T.notPlayed;
  // The control must survive: its survival is the good outcome.
  const good = d.expected === 'none' ? d.status === 'survived' : d.status === 'caught';
  const cls = d.status === undefined ? '' : good ? 'covered' : 'gap';
  const by = d.caughtBy.length
    ? `(${d.caughtBy.length}) ` +
      d.caughtBy.map((id) => `<a href="#case-${esc(id)}">${code(id)}</a>`).join(', ')
    : d.blindSpot
      ? `${pair(T.blindSpot)} ${esc(d.blindSpot)}`
      : '—';
  return `<tr data-defect="${esc(d.id)}"><td>${code(d.id)}<br><small>${esc(d.story)}</small></td><td>${esc(d.where)}</td><td>${esc(d.expected)}</td><td class="${cls}">${pair(status)}</td><td>${by}</td></tr>`;
}

function byDefectClass(book: CaseBook): string {
  const classes = [...new Set(book.defects.map((d) => d.class))];
  return classes
    .map((cls) => {
      const rows = book.defects.filter((d) => d.class === cls);
      return `<section class="by-class" data-class="${esc(cls)}"><h3>${pair(classLabel(cls))} ${code(cls)}</h3>
<table class="defects"><colgroup><col style="width:34%"><col style="width:8%"><col style="width:10%"><col style="width:12%"><col></colgroup><thead><tr><th>${pair(T.defect)}</th><th>${pair(T.where)}</th><th>${pair(T.expectedLink)}</th><th>${pair(T.result)}</th><th>${pair(T.caughtBy)}</th></tr></thead><tbody>
${rows.map((d) => defectRow(d, book)).join('\n')}
</tbody></table></section>`;
    })
    .join('\n');
}

function auditSourceLine(book: CaseBook): string {
  const a = book.audit;
  if (!a) return `<p class="warning">${pair(T.noAudit)}</p>`;
  const mismatch =
    a.release === book.release
      ? ''
      : `<p class="warning">${pair(T.releaseMismatch(a.release, book.release))}</p>`;
  return `<p>${pair(T.auditFrom(a.file, a.caught, a.total))} ${code(a.command)} (ichiren ${esc(a.ichirenVersion)}, release ${esc(a.release)}, seed ${a.seed})</p>${mismatch}`;
}

export function renderCasesPage(book: CaseBook, generatedBy: string): string {
  const checked = book.cases.filter((c) => c.links.length > 0).length;
  const main = `<section id="summary"><h2>${pair(T.summaryHeading)}</h2>
<p>${pair(T.summary(book.cases.length, checked, book.release))}</p>
<p>${pair(T.purposeOfDocument)}</p>
${auditSourceLine(book)}
<p class="muted">${pair(T.generatedBy)} ${code(generatedBy)}</p></section>
<section id="coverage"><h2>${pair(T.coverageHeading)}</h2>${coverageTable(book)}</section>
<section id="by-link"><h2>${pair(T.byLinkHeading)}</h2>${byLink(book)}</section>
<section id="by-defect-class"><h2>${pair(T.byClassHeading)}</h2>${byDefectClass(book)}</section>
<section id="cases"><h2>${pair(T.casesHeading)}</h2>
${book.cases.map((c) => caseCard(c, book)).join('\n')}</section>`;
  const page = `<!doctype html>
<html lang="ja" class="cases-book">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(generatedBy)}">
<title>${esc(T.title[0])} / ${esc(T.title[1])}</title>
<style>
${FONTS_PLACEHOLDER}
${REPORT_CSS}
${CASES_CSS}</style>
</head>
<body>
<header class="top"><h1><span class="brand">ichiren 一連</span>${pair(T.title)}</h1></header>
<main>
${main}
</main>
</body>
</html>
`;
  return page.replace(FONTS_PLACEHOLDER, () => fontFaceCss(page));
}
