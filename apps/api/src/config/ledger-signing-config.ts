import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';

/**
 * The platform's Ed25519 key that signs every cooperative's published chain head (docs/ledger.md, "Anchoring").
 * Kept apart from config.ts so that file only spreads the shape and calls `ledgerSigningConfigProblems`.
 *
 * LEDGER_SIGNING_KEY: the private key, PKCS#8 PEM (`openssl genpkey -algorithm ed25519`; newlines may be written
 * as `\n`). REQUIRED IN PRODUCTION: a head signed by a key that changes at every restart proves nothing.
 * Outside production, without it, a key is generated once and kept in LEDGER_SIGNING_KEY_FILE (tests: one key per
 * process, never written).
 */
export const ledgerSigningConfigShape = {
  LEDGER_SIGNING_KEY: z
    .string()
    .transform((v) => v.replace(/\\n/g, '\n'))
    .refine((v) => {
      try {
        return createPrivateKey(v).asymmetricKeyType === 'ed25519';
      } catch {
        return false;
      }
    }, 'must be an Ed25519 private key in PKCS#8 PEM (openssl genpkey -algorithm ed25519)')
    .optional(),
  LEDGER_SIGNING_KEY_FILE: z.string().min(1).default('.data/ledger-signing-key.pem'),
};

export const LEDGER_SIGNING_SECRET_KEYS = ['LEDGER_SIGNING_KEY'] as const;

export function ledgerSigningConfigProblems(c: { NODE_ENV: string; LEDGER_SIGNING_KEY?: string }): string[] {
  return c.NODE_ENV === 'production' && !c.LEDGER_SIGNING_KEY
    ? ['LEDGER_SIGNING_KEY: is required in production (the Ed25519 key that signs published chain heads)']
    : [];
}
