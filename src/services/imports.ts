// CSV imports of sales and targets (issue 6), the one entry callers use. A file is first checked
// (a dry run: every row meets the rules of /logsale, each problem is reported with its row
// number, nothing is stored but the file: imports/check.ts), then committed on request: the rows
// are checked again and inserted all or nothing, with one audit entry per import
// (imports/commit.ts).
export {
  IMPORT_OF_SOMEONE_ELSE,
  UNCOMMITTED_IMPORT_TTL_MS,
  checkImport,
  checkOnly,
  problemText,
  type CheckImportRequest,
  type ImportFile,
  type ImportOutcome,
  type ImportReport,
  type RowProblem,
} from './imports/check.js';
export { commitImport, importNow, type CommitImportRequest } from './imports/commit.js';
