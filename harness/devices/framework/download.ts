/**
 * Reads downloaded export zips and keeps only files whose signature verifies against the phone's
 * configured keys (gaen.md §2). A rejected file is recorded with a stable code and never matched.
 */
import { ExportFileError, readExportZip, verifyExport } from '../../protocol/export/index.js';
import type { VerificationPublicKey } from '../../stack/types.js';
import type { DownloadedKey, DownloadReport, FileRejection } from './types.js';

export interface DownloadResult {
  readonly report: DownloadReport;
  /** keys then revised_keys of every accepted file, in file order. */
  readonly keys: readonly DownloadedKey[];
}

/** The header fields Android de-duplicates provided files by (platform.ts deduplicatesFilesByHeader). */
export const headerIdentity = (e: { startTimestamp: number; endTimestamp: number; batchNum: number }) =>
  `${e.startTimestamp}/${e.endTimestamp}/${e.batchNum}`;

/**
 * `providedHeaders`, when given (Android), holds the header identities of files already taken in; a
 * verified file whose identity is there is skipped, else its identity is added.
 */
export function readDiagnosisFiles(
  files: readonly Uint8Array[],
  verificationKeys: readonly VerificationPublicKey[],
  providedHeaders?: Set<string>,
): DownloadResult {
  const rejectReasons: FileRejection[] = [];
  const keys: DownloadedKey[] = [];
  let filesAccepted = 0;
  files.forEach((bytes, file) => {
    let parsed: ReturnType<typeof readExportZip>;
    try {
      parsed = readExportZip(bytes);
    } catch (error) {
      if (error instanceof ExportFileError) {
        rejectReasons.push({ file, code: error.code, reason: error.message });
      } else {
        rejectReasons.push({
          file,
          code: 'EXPORT_UNREADABLE',
          reason: error instanceof Error ? error.message : String(error),
        });
      }
      return;
    }
    const verification = verifyExport(parsed, verificationKeys);
    if (!verification.valid) {
      rejectReasons.push({ file, code: 'EXPORT_SIGNATURE_INVALID', reason: verification.reason });
      return;
    }
    if (providedHeaders) {
      const identity = headerIdentity(parsed.export);
      if (providedHeaders.has(identity)) {
        rejectReasons.push({
          file,
          code: 'EXPORT_DUPLICATE_HEADER',
          reason: `skipped: start/end/batch ${identity} repeat a file provided before (Android de-duplicates by header)`,
        });
        return;
      }
      providedHeaders.add(identity);
    }
    filesAccepted++;
    for (const k of parsed.export.keys) keys.push(k);
    for (const k of parsed.export.revisedKeys) keys.push({ ...k, revised: true });
  });
  return {
    report: { filesAccepted, filesRejected: rejectReasons.length, rejectReasons, keysRead: keys.length },
    keys,
  };
}
