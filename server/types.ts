/**
 * Shapes the server returns. Structurally identical to `PublishOutcome` and `VerificationPublicKey`
 * in harness/stack/types.ts; declared here because the server imports nothing of the harness except
 * `harness/protocol` (architecture.md).
 */
export interface VerificationPublicKey {
  readonly keyId: string;
  readonly version: string;
  /** SubjectPublicKeyInfo DER, base64 (P-256). */
  readonly publicKeyBase64: string;
}

export interface PublishOutcome {
  readonly ok: boolean;
  readonly files: readonly { readonly url: string; readonly keyCount: number; readonly batchNum: number }[];
  readonly detail: string;
}
