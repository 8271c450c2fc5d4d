import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../config/config';

/**
 * The platform's Ed25519 key for chain heads: LEDGER_SIGNING_KEY (required in production); outside production a key
 * generated once and kept in LEDGER_SIGNING_KEY_FILE; in tests a key of this process. Its id: the first 16 hex
 * digits of SHA-256 of the raw 32-byte public key.
 */
@Injectable()
export class LedgerSigningKey {
  private readonly logger = new Logger(LedgerSigningKey.name);
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
  /** The raw 32-byte public key, base64. */
  readonly publicKeyRaw: string;
  readonly publicKeyPem: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.privateKey = this.load(config);
    this.publicKey = createPublicKey(this.privateKey);
    const der = this.publicKey.export({ format: 'der', type: 'spki' });
    const raw = der.subarray(der.length - 32); // SPKI of Ed25519: a fixed 12-byte prefix, then the key
    this.publicKeyRaw = raw.toString('base64');
    this.publicKeyPem = this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    this.keyId = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  }

  sign(payload: string): string {
    return sign(null, Buffer.from(payload, 'utf8'), this.privateKey).toString('base64');
  }

  verify(payload: string, signature: string): boolean {
    return verify(null, Buffer.from(payload, 'utf8'), this.publicKey, Buffer.from(signature, 'base64'));
  }

  private load(config: AppConfig): KeyObject {
    if (config.LEDGER_SIGNING_KEY) return createPrivateKey(config.LEDGER_SIGNING_KEY);
    if (config.NODE_ENV === 'test') return generateKeyPairSync('ed25519').privateKey;
    const file = config.LEDGER_SIGNING_KEY_FILE;
    try {
      return createPrivateKey(readFileSync(file, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, pem, { flag: 'wx', mode: 0o600 });
      this.logger.warn(`no LEDGER_SIGNING_KEY: generated a development key for chain heads in ${file}`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process wrote it first: use theirs
    }
    return createPrivateKey(readFileSync(file, 'utf8'));
  }
}
