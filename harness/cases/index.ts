/** The standard test cases document (`ichiren cases`): data, page, PDF. */
export { renderCasesPage } from './html.js';
export { AuditFileError, type CaseBookOptions, loadCaseBook } from './load.js';
export {
  buildCaseBook,
  type CaseBook,
  type CaseBookInput,
  type DefectEntry,
  linksChecked,
  type StandardCase,
  scenarioOfCell,
} from './model.js';
export { printCasesPdf } from './pdf.js';
export { writeCases } from './write.js';
