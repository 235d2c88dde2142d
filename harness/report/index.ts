/**
 * Reporters: one per format, all reading the run's data (runner/results.ts) through the Reporter
 * hooks, behind a multiplexer that isolates their failures (style.md principle 9).
 */
import { htmlReporter } from './html/index.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { multiplex, type ReporterMultiplexer } from './multiplexer.js';
import { pdfReporter } from './pdf.js';
import { terminalReporter } from './terminal.js';
import { type Reporter, type ReporterOptions, UnknownReporterError } from './types.js';

export { renderHtml } from './html/index.js';
export { LINK_LABELS, verdictText } from './i18n.js';
export { renderJUnit } from './junit.js';
export type { ReporterMultiplexer } from './multiplexer.js';
export { renderPdf } from './pdf.js';
export { runResultJsonSchema, runResultSchema } from './schema.js';
export { formatCellLine, formatSummary } from './terminal.js';
export {
  type Reporter,
  ReporterError,
  type ReporterOptions,
  type ScenarioHeader,
  UnknownReporterError,
} from './types.js';

/** name → factory; `--reporter <name>` picks from these. */
export const REPORTERS: Readonly<Record<string, (options: ReporterOptions) => Reporter>> = {
  terminal: (o) => terminalReporter({ stream: o.stream }),
  junit: (o) => junitReporter(o),
  json: (o) => jsonReporter(o),
  html: (o) => htmlReporter(o),
  pdf: (o) => pdfReporter(o),
};

/** What `ichiren run` uses when no --reporter is given (pdf needs Chromium: on request only). */
export const DEFAULT_REPORTERS = ['terminal', 'json', 'junit', 'html'] as const;

/**
 * Builds the reporters named (duplicates once, in order; `pdf: true` adds "pdf") behind one
 * multiplexer. Throws UnknownReporterError for a name not in REPORTERS. Check `errors()` after onEnd:
 * any reporter failure must fail the run.
 */
export function createReporters(names: readonly string[], options: ReporterOptions): ReporterMultiplexer {
  const wanted = [...new Set([...names, ...(options.pdf ? ['pdf'] : [])])];
  const reporters = wanted.map((name) => {
    const factory = Object.hasOwn(REPORTERS, name) ? REPORTERS[name] : undefined;
    if (!factory) throw new UnknownReporterError(name, Object.keys(REPORTERS));
    return factory(options);
  });
  return multiplex(reporters, process.stderr);
}
