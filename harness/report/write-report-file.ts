/**
 * The one way reporters write their files: to a temp file in the same folder, then rename over the
 * target (write-file-atomic, as npm uses). A reader — or a run cut short by a second Ctrl-C — sees
 * the previous complete file or the new complete file, never a part of one; the temp file is removed
 * on error and on exit.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** Writes `dir/name` atomically (creating `dir` when missing) and returns its path. */
export async function writeReportFile(dir: string, name: string, data: string | Buffer): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await writeFileAtomic(file, data);
  return file;
}
