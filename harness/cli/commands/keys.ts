import type { Command } from 'commander';
import { UsageError } from '../main.js';

export interface RpisOptions {
  readonly tek?: string;
  readonly interval?: string;
  readonly count?: string;
  readonly metadata?: string;
  readonly json?: boolean;
}

function hexOption(name: string, value: string | undefined, bytes: number): Buffer {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  if (!new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(value)) {
    throw new UsageError(`--${name} must be ${bytes} bytes of hex (${bytes * 2} characters), got "${value}"`);
  }
  return Buffer.from(value, 'hex');
}

function intOption(name: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** The RPIs (and AEMs with --metadata) a phone holding `tek` broadcasts from `interval` on (gaen.md §1). */
export async function rpisReport(opts: RpisOptions): Promise<string> {
  const tek = hexOption('tek', opts.tek, 16);
  // ENIN is a uint32 (gaen.md §1).
  const interval = intOption('interval', opts.interval, 0, 2 ** 32 - 1);
  const count = intOption('count', opts.count ?? '144', 1, 100_000);
  if (interval + count - 1 > 2 ** 32 - 1)
    throw new UsageError('--interval + --count runs past the last ENIntervalNumber');
  const metadata = opts.metadata === undefined ? undefined : hexOption('metadata', opts.metadata, 4);
  const { deriveAemk, deriveRpik, deriveRpis, encryptAem, intervalToUnixSeconds, rpiAt } = await import(
    '../../protocol/index.js'
  );
  const rpik = deriveRpik(tek);
  const aemk = metadata ? deriveAemk(tek) : undefined;
  const batch = deriveRpis(rpik, interval, count);
  const rows = Array.from({ length: count }, (_, i) => {
    const rpi = rpiAt(batch, i);
    return {
      interval: interval + i,
      time: new Date(intervalToUnixSeconds(interval + i) * 1000).toISOString(),
      rpi: rpi.toString('hex'),
      ...(aemk && metadata ? { aem: encryptAem(aemk, rpi, metadata).toString('hex') } : {}),
    };
  });
  if (opts.json) {
    return `${JSON.stringify(
      {
        tek: tek.toString('hex'),
        rpik: rpik.toString('hex'),
        ...(aemk ? { aemk: aemk.toString('hex'), metadata: metadata?.toString('hex') } : {}),
        rpis: rows,
      },
      null,
      2,
    )}\n`;
  }
  const head = [`TEK  ${tek.toString('hex')}`, `RPIK ${rpik.toString('hex')}`];
  if (aemk) head.push(`AEMK ${aemk.toString('hex')}`, `metadata ${metadata?.toString('hex')}`);
  head.push(`interval  time (UTC)                rpi${aemk ? '                               aem' : ''}`);
  return `${[...head, ...rows.map((r) => `${r.interval}  ${r.time}  ${r.rpi}${r.aem ? `  ${r.aem}` : ''}`)].join('\n')}\n`;
}

/** `ichiren keys …`: GAEN key tools. */
export function register(program: Command): void {
  const keys = program.command('keys').description('GAEN key tools (TEK → RPIK/AEMK → RPIs/AEMs)');
  keys
    .command('rpis')
    .description('derive the RPIs (and AEMs) a TEK broadcasts')
    .option('--tek <hex>', 'Temporary Exposure Key, 16 bytes hex')
    .option('--interval <ENIN>', 'first ENIntervalNumber (floor(unix seconds / 600))')
    .option('--count <n>', 'number of intervals', '144')
    .option('--metadata <hex>', '4-byte Bluetooth metadata to encrypt into AEMs, e.g. 40080000')
    .option('--json', 'print JSON instead of text')
    .action(async (opts: RpisOptions) => {
      process.stdout.write(await rpisReport(opts));
    });
}
