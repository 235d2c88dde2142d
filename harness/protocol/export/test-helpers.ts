import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { reference } from '../../../test/reference-data.js';
import type { VerificationPublicKey } from '../../stack/types.js';
import type { TemporaryExposureKey } from '../tek.js';
import type { ExportSigner } from './write.js';

/** Google's test partner key "310-v1" (internals ContactTracingFeature.TEST_PARTNER_PUBLIC_KEYS). */
export const GOOGLE_310_V1: VerificationPublicKey = {
  keyId: '310',
  version: 'v1',
  publicKeyBase64:
    'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE49JY6kekDgxj3Crm4y6kEHdfoKQFSNDM4mV9cgDb+e5nOAw0GeRoRThCu9/wX5wDT2QloFoOjl2pGZHI0f3C3w==',
};

/** Google's export files, read in place from the reference data (test/reference-data.ts). */
export const googleSampleExport = reference('google-sample-export');
export const googleRoundtripExport = reference('google-roundtrip-export');
export const googleSampleZip = (): Buffer => googleSampleExport.read();
export const googleRoundtripBin = (): Buffer => googleRoundtripExport.read();

/** A fresh P-256 signer and the public key a phone would be configured with. */
export function freshSigner(
  keyId: string,
  version = 'v1',
): { signer: ExportSigner; publicKey: VerificationPublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    signer: { keyId, version, privateKey },
    publicKey: {
      keyId,
      version,
      publicKeyBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    },
  };
}

export function randomKey(overrides: Partial<TemporaryExposureKey> = {}): TemporaryExposureKey {
  return {
    keyData: randomBytes(16),
    rollingStartIntervalNumber: 2_650_032,
    rollingPeriod: 144,
    ...overrides,
  };
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
