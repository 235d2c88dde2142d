/** The app's HTTP client and URL layout (cocoa.md §1, §1.5, §1.6). Real HTTP (stack/http-client.ts). */
import { httpRequest } from '../../stack/http-client.js';
import type { ServerEndpoints } from '../../stack/types.js';
import type { AppHttp } from './types.js';

const withSlash = (u: string): string => (u.endsWith('/') ? u : `${u}/`);

export const apiUrl = (s: ServerEndpoints, path: string): string => `${withSlash(s.apiUrlBase)}${path}`;
export const cdnUrl = (s: ServerEndpoints, path: string): string => `${withSlash(s.cdnUrlBase)}${path}`;
export const listJsonUrl = (s: ServerEndpoints): string =>
  cdnUrl(s, `${s.blobContainer}/${s.region}/list.json`);

/** Every request carries `x-functions-key: {apiSecret}` (all Functions are AuthorizationLevel.Function). */
export function appHttp(server: ServerEndpoints): AppHttp {
  return {
    async request(method, url, body, headers = {}) {
      const res = await httpRequest(url, {
        method,
        headers: {
          accept: 'application/json',
          'x-functions-key': server.apiSecret,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, text: await res.text() };
    },
  };
}

/** Downloads bytes (export zips) with the same headers. */
export async function fetchBytes(
  server: ServerEndpoints,
  url: string,
): Promise<{ status: number; bytes: Uint8Array }> {
  const res = await httpRequest(url, { headers: { 'x-functions-key': server.apiSecret } });
  return { status: res.status, bytes: await res.bytes() };
}

/** What the app tells the user for a diagnosis submission status (cocoa.md §1.3). */
export function submissionMessage(status: number | null): string {
  if (status === null) return 'cannot connect to registration center';
  if (status === 200 || status === 204) return 'registered';
  if (status === 406) return 'processing number incorrect or expired';
  if (status === 400) return 'problem with the contact record data';
  if (status === 403) return 'overseas error';
  if (status >= 500) return 'cannot connect to registration center';
  return `unexpected status ${status}`;
}
