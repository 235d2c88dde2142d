import type { Command } from 'commander';
import { UsageError } from '../main.js';
import { shellQuote } from '../shell-quote.js';

/**
 * `ichiren cases [paths…]`: the scenario library as the standard test cases document (cases.html and
 * cases.pdf, Japanese first with English beside). Which audit defects each case catches is read from
 * a stored `ichiren audit` result given with --audit; without one the document says "not measured".
 */
export function register(program: Command): void {
  program
    .command('cases')
    .description('write the standard test cases document (cases.html, cases.pdf) from the scenario library')
    .argument('[paths...]', 'scenario files or folders', ['scenarios'])
    .option('--release <name|file>', 'release whose phones and app builds the cases run on', 'latest')
    .option('--audit <audit.json>', 'a stored `ichiren audit` result: which defects each case caught')
    .option('--catalog <file>', 'audit catalog of defects (default: the built-in catalog)')
    .option('--report-dir <dir>', 'where cases.html and cases.pdf go', 'reports')
    .option('--no-pdf', 'write cases.html only (no browser needed)')
    .action(
      async (
        paths: string[],
        opts: { release: string; audit?: string; catalog?: string; reportDir: string; pdf: boolean },
      ) => {
        const { AuditFileError, loadCaseBook, writeCases } = await import('../../cases/index.js');
        const { ScenarioErrors } = await import('../../scenario/index.js');
        const { CatalogError } = await import('../../audit/catalog.js');
        let book: Awaited<ReturnType<typeof loadCaseBook>>;
        try {
          book = await loadCaseBook({
            paths: paths.length > 0 ? paths : ['scenarios'],
            release: opts.release,
            ...(opts.catalog ? { catalog: opts.catalog } : {}),
            ...(opts.audit ? { auditFile: opts.audit } : {}),
          });
        } catch (e) {
          if (e instanceof ScenarioErrors) throw new UsageError(`invalid scenario or release\n${e.message}`);
          if (e instanceof CatalogError || e instanceof AuditFileError) throw new UsageError(e.message);
          throw e;
        }
        const generatedBy = ['ichiren', ...process.argv.slice(2)].map(shellQuote).join(' ');
        const written = await writeCases(opts.reportDir, book, { generatedBy, pdf: opts.pdf });
        const caught = book.audit ? `, audit ${book.audit.file}` : ', audit not given (catches not measured)';
        process.stdout.write(
          `${book.cases.length} standard cases (release ${book.release}${caught})\nwrote ${written.join(', ')}\n`,
        );
      },
    );
}
