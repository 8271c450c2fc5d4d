/**
 * Published chain heads (docs/ledger.md, "Anchoring"): `GET /api/cooperatives/:id/ledger/head` (the head now,
 * signed), `GET /api/cooperatives/:id/ledger/heads` (the dated history), `GET /api/ledger/public-key`.
 * The signature is Ed25519 over the UTF-8 of the canonical JSON
 * `{"at","cooperativeId","format":"xiangbo-ledger-head/1","hash","keyId","seq"}`.
 */
export interface LedgerHeadDto {
  cooperativeId: string;
  /** The last transaction's seq (0: no transaction yet). */
  seq: number;
  /** Its hash (64 zeros when there is none). */
  hash: string;
  /** When the head was taken (ISO-8601 UTC, milliseconds). */
  at: string;
  keyId: string;
  /** base64 */
  signature: string;
}

export interface LedgerHeadHistoryItem extends LedgerHeadDto {
  reason: 'daily' | 'settlement';
}

export interface LedgerHeadHistoryDto {
  cooperativeId: string;
  heads: LedgerHeadHistoryItem[];
}

export interface LedgerPublicKeyDto {
  algorithm: 'Ed25519';
  keyId: string;
  /** The raw 32-byte public key, base64. */
  publicKey: string;
  /** The same as SPKI PEM (for openssl / node:crypto). */
  pem: string;
}
