/** Stable codes for everything that can be wrong with an export file (zip, bin or sig). */
export type ExportFileErrorCode =
  | 'EXPORT_ZIP_CORRUPT'
  | 'EXPORT_ENTRY_MISSING'
  | 'EXPORT_ENTRY_UNEXPECTED'
  | 'EXPORT_PATH_TRAVERSAL'
  | 'EXPORT_TOO_LARGE'
  | 'EXPORT_BAD_HEADER'
  | 'EXPORT_PROTO_INVALID'
  | 'EXPORT_SIGNATURE_INVALID'
  | 'EXPORT_SIGNER_KEY_INVALID'
  | 'EXPORT_CONTENT_INVALID';

export class ExportFileError extends Error {
  override readonly name = 'ExportFileError';
  constructor(
    readonly code: ExportFileErrorCode,
    message: string,
    /** The zip entry or part concerned, e.g. "export.bin", "export.sig". */
    readonly entry?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
