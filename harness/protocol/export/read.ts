import { type UnzipFileInfo, unzipSync } from 'fflate';
import { decodeExportBin, decodeSignatureList } from './bin.js';
import { ExportFileError } from './errors.js';
import type { ParsedExport } from './types.js';

export const EXPORT_BIN_ENTRY = 'export.bin';
export const EXPORT_SIG_ENTRY = 'export.sig';

export interface ReadExportOptions {
  /** Largest accepted export.bin / export.sig, uncompressed. Default 256 MiB (10^6 keys ≈ 30 MB). */
  readonly maxEntryBytes?: number;
  /** Largest accepted number of zip entries. Default 16. */
  readonly maxEntries?: number;
}

const DEFAULT_MAX_ENTRY_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_ENTRIES = 16;

/** Android refuses entries that could land outside the extraction folder (ProvideDiagnosisKeys.getValidatedName). */
function isTraversal(name: string): boolean {
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name) || name.includes('\0'))
    return true;
  return name.split(/[\\/]/).some((part) => part === '..');
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads a bare export.bin (no signatures): what iOS is handed next to export.sig. */
export function readExportBin(bytes: Uint8Array): ParsedExport {
  const exportBin = toBuffer(bytes);
  return { exportBin, export: decodeExportBin(exportBin), signatures: [] };
}

/**
 * Reads an export zip: checks entry names and sizes before inflating anything, then decodes
 * export.bin and export.sig. Every failure is an ExportFileError with a stable code.
 */
export function readExportZip(bytes: Uint8Array, options: ReadExportOptions = {}): ParsedExport {
  const maxEntryBytes = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  let seen = 0;
  const filter = (file: UnzipFileInfo): boolean => {
    seen++;
    if (seen > maxEntries) {
      throw new ExportFileError('EXPORT_TOO_LARGE', `zip: more than ${maxEntries} entries`);
    }
    if (isTraversal(file.name)) {
      throw new ExportFileError(
        'EXPORT_PATH_TRAVERSAL',
        `zip: entry name ${JSON.stringify(file.name)} escapes the folder`,
        file.name,
      );
    }
    if (file.name !== EXPORT_BIN_ENTRY && file.name !== EXPORT_SIG_ENTRY) return false;
    if (file.originalSize > maxEntryBytes || file.size > maxEntryBytes) {
      throw new ExportFileError(
        'EXPORT_TOO_LARGE',
        `${file.name}: ${Math.max(file.originalSize, file.size)} bytes exceeds the limit of ${maxEntryBytes}`,
        file.name,
      );
    }
    if (file.compression !== 0 && file.compression !== 8) {
      throw new ExportFileError(
        'EXPORT_ZIP_CORRUPT',
        `${file.name}: unsupported compression method ${file.compression}`,
        file.name,
      );
    }
    return true;
  };
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter });
  } catch (error) {
    if (error instanceof ExportFileError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new ExportFileError('EXPORT_ZIP_CORRUPT', `zip: cannot be read (${detail})`, undefined, {
      cause: error,
    });
  }
  const bin = entries[EXPORT_BIN_ENTRY];
  const sig = entries[EXPORT_SIG_ENTRY];
  for (const [name, data] of [
    [EXPORT_BIN_ENTRY, bin],
    [EXPORT_SIG_ENTRY, sig],
  ] as const) {
    if (data === undefined) {
      throw new ExportFileError('EXPORT_ENTRY_MISSING', `zip: entry ${name} is missing`, name);
    }
  }
  const parsed = readExportBin(bin);
  return { ...parsed, signatures: decodeSignatureList(sig) };
}

/** A zip starts with a local file header "PK\x03\x04" (or is an empty archive "PK\x05\x06"). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}
