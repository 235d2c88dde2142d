/**
 * `npm run bench -- hersys-memory`: the dummy HER-SYS left running for a campaign. One `ichiren
 * hersys` process takes 40,000 ordinary verification calls, then 4,000 with a 60,000-character number,
 * over real HTTP; its resident memory (VmRSS, /proc: Linux only) is printed after start and after
 * each batch, beside the target (growth ≤ 50 MB), and the size of one `GET /control/calls` answer
 * beside its target (< 1 MB). The stub keeps its newest calls and log lines only (stubs/hersys/README.md).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLogged } from './processes.js';

const ORDINARY_CALLS = 40_000;
const LONG_CALLS = 4_000;
const LONG_NUMBER = '7'.repeat(60_000);
const IN_FLIGHT = 16;
const RSS_GROWTH_TARGET_MB = 50;
const CALLS_ANSWER_TARGET_BYTES = 1_000_000;

const root = fileURLToPath(new URL('../../', import.meta.url));
const rssMb = (pid: number) => {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb === undefined ? Number.NaN : Number(kb) / 1024;
};

const dir = await mkdtemp(path.join(tmpdir(), 'ichiren-bench-hersys-'));
const token = 'bench-token';
const stub = await startLogged(
  [path.join(root, 'bin/ichiren.js'), 'hersys', '--port', '0', '--token', token],
  {},
  path.join(dir, 'hersys.log'),
  /verify: {2}POST (\S+)/,
);
try {
  const pid = stub.child.pid as number;
  const verifyUrl = stub.ready[1] as string;
  const controlUrl = new URL(verifyUrl).origin;
  /** `count` calls carrying `number`, IN_FLIGHT at a time. */
  const verifyMany = async (count: number, number: string) => {
    const body = JSON.stringify({ processingNumber: number });
    let sent = 0;
    const lane = async () => {
      while (sent < count) {
        sent++;
        const res = await fetch(verifyUrl, {
          method: 'POST',
          body,
          headers: { 'content-type': 'text/plain' },
        });
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  };
  const line = (what: string, start: number) => {
    const now = rssMb(pid);
    const growth = now - start;
    process.stdout.write(
      `hersys-memory: ${what}: RSS ${now.toFixed(0)} MB, growth ${growth.toFixed(1)} MB (target <= ${RSS_GROWTH_TARGET_MB} MB) ${growth <= RSS_GROWTH_TARGET_MB ? 'ok' : 'OVER'}\n`,
    );
    if (!(growth <= RSS_GROWTH_TARGET_MB)) process.exitCode = 1;
  };
  // A few calls first, so what is measured is the log's growth rather than code loaded on first use.
  await verifyMany(200, '12345678');
  const start = rssMb(pid);
  process.stdout.write(`hersys-memory: after start and 200 calls: RSS ${start.toFixed(0)} MB\n`);
  // In steps, so the lines show whether memory keeps growing or has levelled off.
  for (let done = 0; done < ORDINARY_CALLS; done += ORDINARY_CALLS / 4) {
    await verifyMany(ORDINARY_CALLS / 4, '12345678');
    line(`after ${(done + ORDINARY_CALLS / 4).toLocaleString('en')} ordinary calls`, start);
  }
  await verifyMany(LONG_CALLS, LONG_NUMBER);
  line(
    `and ${LONG_CALLS.toLocaleString('en')} with a ${LONG_NUMBER.length.toLocaleString('en')}-character number`,
    start,
  );
  const answer = await fetch(`${controlUrl}/control/calls`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await answer.text();
  const { total, dropped, next } = JSON.parse(text) as {
    total: number;
    dropped: number;
    next: number | null;
  };
  process.stdout.write(
    `hersys-memory: GET /control/calls: ${(text.length / 1024).toFixed(0)} KiB (target < ${CALLS_ANSWER_TARGET_BYTES / 1_000_000} MB) ${text.length < CALLS_ANSWER_TARGET_BYTES ? 'ok' : 'OVER'}; ` +
      `${total} calls, ${dropped} dropped from the ring, next page after ${next}\n`,
  );
  if (text.length >= CALLS_ANSWER_TARGET_BYTES) process.exitCode = 1;
} finally {
  await stub.stop();
  await rm(dir, { recursive: true, force: true });
}
