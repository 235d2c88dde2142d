import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ParsedExport, TemporaryExposureKeyExport } from '../../protocol/export/index.js';
import type { TemporaryExposureKey } from '../../protocol/tek.js';
import type { VerificationPublicKey } from '../../stack/types.js';
import { UsageError } from '../main.js';

export interface InspectOptions {
  readonly publicKey?: string;
  readonly keyId?: string;
  readonly keyVersion?: string;
  readonly json?: boolean;
}

export interface InspectOutcome {
  readonly exitCode: 0 | 1;
  readonly stdout: string;
  readonly stderr: string;
}

const REPORT_TYPE_NAMES = [
  'UNKNOWN',
  'CONFIRMED_TEST',
  'CONFIRMED_CLINICAL_DIAGNOSIS',
  'SELF_REPORT',
  'RECURSIVE',
  'REVOKED',
];

/** `--public-key`: a PEM file, a DER/base64 file, or base64 SPKI on the command line → base64 SPKI DER. */
async function spkiBase64(value: string): Promise<string> {
  const { createPublicKey } = await import('node:crypto');
  const text = existsSync(value) ? readFileSync(value, 'utf8') : value;
  try {
    if (text.includes('-----BEGIN')) {
      return createPublicKey(text).export({ format: 'der', type: 'spki' }).toString('base64');
    }
    const der = Buffer.from(text.trim(), 'base64');
    return createPublicKey({ key: der, format: 'der', type: 'spki' })
      .export({ format: 'der', type: 'spki' })
      .toString('base64');
  } catch {
    throw new UsageError(
      `--public-key: not a PEM public key file or base64 SubjectPublicKeyInfo: ${JSON.stringify(value.slice(0, 60))}`,
    );
  }
}

/**
 * The keys the simulated phone is configured with. With no --key-id the one public key is offered
 * under every id/version the file declares, so a signature is checked whatever it claims to be.
 */
function configuredKeys(parsed: ParsedExport, spki: string, opts: InspectOptions): VerificationPublicKey[] {
  if (opts.keyId !== undefined) {
    const declared = parsed.export.signatureInfos.find((s) => s.verificationKeyId === opts.keyId);
    return [
      {
        keyId: opts.keyId,
        version: opts.keyVersion ?? declared?.verificationKeyVersion ?? 'v1',
        publicKeyBase64: spki,
      },
    ];
  }
  const names = new Map<string, VerificationPublicKey>();
  for (const s of [...parsed.export.signatureInfos, ...parsed.signatures.map((x) => x.signatureInfo)]) {
    const version = opts.keyVersion ?? s.verificationKeyVersion;
    names.set(`${s.verificationKeyId}-${version}`, {
      keyId: s.verificationKeyId,
      version,
      publicKeyBase64: spki,
    });
  }
  return [...names.values()];
}

function keyJson(k: TemporaryExposureKey) {
  return {
    keyData: Buffer.from(k.keyData).toString('hex'),
    rollingStartIntervalNumber: k.rollingStartIntervalNumber,
    rollingPeriod: k.rollingPeriod,
    reportType: k.reportType ?? null,
    transmissionRiskLevel: k.transmissionRiskLevel ?? null,
    daysSinceOnsetOfSymptoms: k.daysSinceOnsetOfSymptoms ?? null,
  };
}

const iso = (unixSeconds: number) => {
  const d = new Date(unixSeconds * 1000);
  return Number.isNaN(d.getTime()) ? 'invalid' : d.toISOString();
};

function keysTable(title: string, keys: readonly TemporaryExposureKey[]): string[] {
  const lines = [`${title} (${keys.length}):`];
  if (keys.length === 0) return lines;
  lines.push(
    '  key_data                          rolling_start  period  report_type                    trl  dso',
  );
  for (const k of keys) {
    const rt =
      k.reportType === undefined ? '-' : `${REPORT_TYPE_NAMES[k.reportType] ?? 'INVALID'}(${k.reportType})`;
    lines.push(
      `  ${Buffer.from(k.keyData).toString('hex').padEnd(32)}  ${String(k.rollingStartIntervalNumber).padStart(13)}  ${String(
        k.rollingPeriod,
      ).padStart(
        6,
      )}  ${rt.padEnd(29)}  ${String(k.transmissionRiskLevel ?? '-').padStart(3)}  ${k.daysSinceOnsetOfSymptoms ?? '-'}`,
    );
  }
  return lines;
}

function human(
  file: string,
  kind: string,
  e: TemporaryExposureKeyExport,
  parsed: ParsedExport,
  verdict: string,
): string {
  const lines = [
    `file:        ${file} (${kind})`,
    `region:      ${e.region}`,
    `batch:       ${e.batchNum} of ${e.batchSize}`,
    `start:       ${e.startTimestamp} (${iso(e.startTimestamp)})`,
    `end:         ${e.endTimestamp} (${iso(e.endTimestamp)})`,
    `signature infos (${e.signatureInfos.length}):`,
    ...e.signatureInfos.map(
      (s) => `  ${s.verificationKeyId}-${s.verificationKeyVersion}  ${s.signatureAlgorithm}`,
    ),
    `signatures in export.sig: ${parsed.signatures.length}`,
    `verdict:     ${verdict}`,
    ...keysTable('keys', e.keys),
    ...keysTable('revised keys', e.revisedKeys),
  ];
  return `${lines.join('\n')}\n`;
}

/** Reads, optionally verifies and renders an export file; never throws for a bad file (exit 1). */
export async function inspectExport(file: string, opts: InspectOptions): Promise<InspectOutcome> {
  if (opts.publicKey === undefined && (opts.keyId !== undefined || opts.keyVersion !== undefined)) {
    throw new UsageError('--key-id and --key-version need --public-key');
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`,
    );
  }
  const spki = opts.publicKey === undefined ? undefined : await spkiBase64(opts.publicKey);
  const { ExportFileError, looksLikeZip, readExportBin, readExportZip, verifyExport } = await import(
    '../../protocol/export/index.js'
  );
  let parsed: ParsedExport;
  const kind = looksLikeZip(bytes) ? 'zip' : 'bare export.bin';
  try {
    parsed = looksLikeZip(bytes) ? readExportZip(bytes) : readExportBin(bytes);
  } catch (error) {
    if (!(error instanceof ExportFileError)) throw error;
    const message = `${file}: ${error.message}`;
    return opts.json
      ? {
          exitCode: 1,
          stdout: `${JSON.stringify({ valid: false, error: message, errorCode: error.code }, null, 2)}\n`,
          stderr: '',
        }
      : { exitCode: 1, stdout: '', stderr: `ichiren: ${message} [${error.code}]\n` };
  }
  const e = parsed.export;
  const verification =
    spki === undefined ? undefined : verifyExport(parsed, configuredKeys(parsed, spki, opts));
  const valid = verification?.valid ?? null;
  const exitCode = verification && !verification.valid ? 1 : 0;
  if (opts.json) {
    const out = {
      valid,
      ...(verification ? { reason: verification.reason, verifiedKeys: verification.verifiedKeys } : {}),
      region: e.region,
      batchNum: e.batchNum,
      batchSize: e.batchSize,
      startTimestamp: e.startTimestamp,
      endTimestamp: e.endTimestamp,
      signatureInfos: e.signatureInfos,
      signatureCount: parsed.signatures.length,
      keys: e.keys.map(keyJson),
      revisedKeys: e.revisedKeys.map(keyJson),
    };
    return { exitCode, stdout: `${JSON.stringify(out, null, 2)}\n`, stderr: '' };
  }
  const verdict = verification
    ? `${verification.valid ? 'VALID' : 'INVALID'}: ${verification.reason}`
    : 'not verified (no --public-key given)';
  return {
    exitCode,
    stdout: human(file, kind, e, parsed, verdict),
    stderr:
      verification && !verification.valid
        ? `ichiren: ${file}: signature invalid: ${verification.reason}\n`
        : '',
  };
}

/** `ichiren export …`: tools for TEK export files (gaen.md §2). */
export function register(program: Command): void {
  const exportCmd = program
    .command('export')
    .description('inspect TEK export files (export.zip or export.bin)');
  exportCmd
    .command('inspect <file>')
    .description('decode an export zip or bare export.bin; verify its signature as an Android phone does')
    .option('--public-key <pem-file|base64>', 'P-256 public key: PEM file, or base64 SubjectPublicKeyInfo')
    .option(
      '--key-id <id>',
      'verification key id to configure the key under (default: whatever the file declares)',
    )
    .option('--key-version <v>', 'verification key version (default: whatever the file declares)')
    .option('--json', 'print JSON instead of text')
    .action(async (file: string, opts: InspectOptions) => {
      const outcome = await inspectExport(file, opts);
      process.stdout.write(outcome.stdout);
      process.stderr.write(outcome.stderr);
      process.exitCode = outcome.exitCode;
    });
}
