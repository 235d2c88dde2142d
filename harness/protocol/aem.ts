import { createCipheriv } from 'node:crypto';

/**
 * AEM = AES-128-CTR(AEMK, IV = RPI, metadata). CTR is its own inverse, so the same call decrypts
 * (gaen.md §1).
 */
export function encryptAem(aemk: Uint8Array, rpi: Uint8Array, metadata: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-128-ctr', aemk, rpi);
  return Buffer.concat([cipher.update(metadata), cipher.final()]);
}

export const decryptAem = encryptAem;
