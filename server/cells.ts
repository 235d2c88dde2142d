/**
 * Cells: isolated namespaces of one reference server. A request below `/cells/<name>/` is served as if
 * by a server of its own: the keys it uploads, the exports its batch writes and the list.json it reads
 * belong to that cell alone (stored under the region `<region>/<name>`; the export files and list.json
 * still say `<region>`). ichiren gives every scenario cell one, so which cells run beside it never
 * changes a verdict (server/README.md "Cells"). Paths without the prefix are the server's own region.
 */
import type { IncomingMessage } from 'node:http';

const CELL_PATH = /^\/cells\/([A-Za-z0-9_-]{1,64})(\/.*)?$/;
const cellOfRequest = new WeakMap<IncomingMessage, string>();

/** Fastify's `rewriteUrl`: strips `/cells/<name>` and remembers the cell for the request. */
export function rewriteCellUrl(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const m = CELL_PATH.exec(url);
  if (!m) return url;
  cellOfRequest.set(req, m[1] as string);
  return m[2] ?? '/';
}

/** The cell a request was addressed to, or undefined for the server's own region. */
export function cellOf(req: IncomingMessage): string | undefined {
  return cellOfRequest.get(req);
}

/** Where a cell's keys and exports are stored: a region of its own. */
export function storedRegion(region: string, cell: string | undefined): string {
  return cell === undefined ? region : `${region}/${cell}`;
}
