/**
 * What the server fault suites share (kill.test.ts, changed-retry.test.ts): an upload sent as a phone
 * sends it and its outcome, the export batch run through the admin route, and every key of every
 * published file.
 */
import { readExportZip } from '../../harness/protocol/index.js';

export const ADMIN = 'fault-suite-admin-token';

export type Outcome =
  | { kind: 'acked'; status: number }
  | { kind: 'refused'; status: number; text: string }
  | { kind: 'cut' };

/** PUT of a diagnosis body: acknowledged (200/204), refused (any other status) or cut (no answer). */
export async function send(url: string, route: string, body: unknown): Promise<Outcome> {
  try {
    const res = await fetch(`${url}${route}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return res.status === 200 || res.status === 204
      ? { kind: 'acked', status: res.status }
      : { kind: 'refused', status: res.status, text };
  } catch {
    return { kind: 'cut' };
  }
}

export async function listBatches(url: string): Promise<{ batchNum: number; path: string }[]> {
  const list = (await (await fetch(`${url}/c19r/440/list.json`)).json()) as { url: string }[];
  return list.map((e) => {
    const path = new URL(e.url).pathname;
    return { batchNum: Number(/(\d+)\.zip$/.exec(path)![1]), path };
  });
}

/** Every key of every published file (base64), as often as it was published. */
export async function exportedKeys(url: string): Promise<string[]> {
  const keys: string[] = [];
  for (const { path } of await listBatches(url)) {
    const parsed = readExportZip(new Uint8Array(await (await fetch(`${url}${path}`)).arrayBuffer()));
    for (const k of parsed.export.keys) keys.push(Buffer.from(k.keyData).toString('base64'));
  }
  return keys;
}

export const publish = (url: string) =>
  fetch(`${url}/api/admin/publish`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
