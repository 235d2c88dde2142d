import { createPublicKey } from 'node:crypto';
import { StackError } from '../errors.js';
import {
  DEFAULT_BLOB_CONTAINER,
  DEFAULT_PUBLISH_TIMEOUT_MS,
  DEFAULT_REGION,
  type StackOptions,
} from '../options.js';
import { externalPublisher } from '../publish.js';
import type { VerificationPublicKey } from '../types.js';
import { waitForHttp } from '../wait.js';
import { fetchVerificationKeys, type ServerHandle } from './server-handle.js';

/**
 * A server we do not run (ENS deployment, a staging COCOA server, a reference server elsewhere): we only
 * reach it. It must already be configured with HER-SYS's verification URL (`hersys.verifyUrl`).
 */
export async function connectUrlServer(options: StackOptions): Promise<ServerHandle> {
  const base = options.serverUrl!.replace(/\/$/, '');
  const blobContainer = options.blobContainer ?? DEFAULT_BLOB_CONTAINER;
  const region = options.region ?? DEFAULT_REGION;
  const cdnUrlBase = `${base}/`;
  const listUrl = `${cdnUrlBase}${blobContainer}/${region}/list.json`;
  await waitForHttp(listUrl, { timeoutMs: options.readyTimeoutMs ?? 10_000 }).wait();
  const verificationKeys = options.verificationKey
    ? [
        parseVerificationKey(
          options.verificationKey,
          options.verificationKeyId ?? region,
          options.verificationKeyVersion ?? 'v1',
        ),
      ]
    : await fetchVerificationKeys(cdnUrlBase, blobContainer).catch((error: Error) => {
        throw new StackError(
          'STACK_OPTIONS_INVALID',
          `stack options: verificationKey: required (the server publishes no verification-keys.json: ${error.message})`,
          'verificationKey',
        );
      });
  return {
    endpoints: {
      apiUrlBase: `${base}/api`,
      cdnUrlBase,
      blobContainer,
      region,
      apiSecret: options.apiSecret ?? '',
      verificationKeys,
    },
    publish: externalPublisher(
      listUrl,
      options.publish ?? { poll: { deadlineMs: options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS } },
      options.publishTimeoutMs,
    ),
  };
}

/** PEM ("-----BEGIN PUBLIC KEY-----") or base64 SubjectPublicKeyInfo DER of a P-256 key. */
export function parseVerificationKey(text: string, keyId: string, version: string): VerificationPublicKey {
  try {
    const key = text.includes('-----BEGIN')
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text.trim(), 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new Error('not a P-256 key');
    }
    return {
      keyId,
      version,
      publicKeyBase64: key.export({ type: 'spki', format: 'der' }).toString('base64'),
    };
  } catch (error) {
    throw new StackError(
      'STACK_OPTIONS_INVALID',
      `stack options: verificationKey: not a P-256 public key in PEM or base64 SPKI (${(error as Error).message})`,
      'verificationKey',
    );
  }
}
