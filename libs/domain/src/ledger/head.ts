import { canonicalJson, LedgerError } from './ledger';

/**
 * A cooperative's chain head: where its hash chain ended at a moment (`seq` 0 and 64 zeros for an empty chain).
 * The platform signs it (Ed25519) and publishes it with its dated history, so a copy kept by anyone later proves
 * what the chain held then: an export must contain transaction `seq` with exactly this `hash` (docs/ledger.md,
 * "Anchoring").
 */
export interface ChainHeadStatement {
  cooperativeId: string;
  seq: number;
  hash: string;
  /** When the head was taken (ISO-8601 UTC with milliseconds). */
  at: string;
}

export interface SignedChainHead extends ChainHeadStatement {
  /** Which platform key signed it: the first 16 hex digits of SHA-256 of the raw 32-byte public key. */
  keyId: string;
  /** Ed25519 signature (base64) of `headSigningPayload(head)`'s UTF-8 bytes. */
  signature: string;
}

/**
 * What is signed: the canonical JSON (docs/ledger.md) of exactly
 * `{"at":…,"cooperativeId":…,"format":"xiangbo-ledger-head/1","hash":…,"keyId":…,"seq":…}`.
 */
export function headSigningPayload(head: ChainHeadStatement & { keyId: string }): string {
  return canonicalJson({
    at: head.at,
    cooperativeId: head.cooperativeId,
    format: 'xiangbo-ledger-head/1',
    hash: head.hash,
    keyId: head.keyId,
    seq: head.seq,
  });
}

/** A head to check an export against (`--head SEQ:HASH`). */
export interface ExpectedHead {
  seq: number;
  hash: string;
}

const HEAD_ARG = /^(\d{1,15}):([0-9a-f]{64})$/;

/** Parses `SEQ:HASH` (seq a whole number, hash 64 lower-case hex digits). */
export function parseHeadArgument(text: string): ExpectedHead {
  const m = HEAD_ARG.exec(text.trim());
  if (!m)
    throw new LedgerError(`a head is SEQ:HASH (a whole number, a colon, 64 lower-case hex digits), got "${text}"`);
  return { seq: Number(m[1]), hash: m[2] };
}
