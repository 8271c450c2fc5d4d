import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config';

/**
 * Personal data that must be read back (a household's phone, a queued SMS) is stored encrypted: AES-256-GCM with a
 * key derived from PERSONAL_DATA_KEY for this purpose ("v1:" + base64url(iv | tag | ciphertext)). A copy of the
 * database alone reads nothing; a changed ciphertext fails to decrypt instead of reading as something else.
 */
@Injectable()
export class PersonalDataCipher {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'PERSONAL_DATA_KEY'>) {
    this.key = createHmac('sha256', config.PERSONAL_DATA_KEY).update('xiangbo:personal-data-cipher:v1').digest();
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url')}`;
  }

  decrypt(sealed: string): string {
    if (!sealed.startsWith('v1:')) throw new Error('unknown personal-data ciphertext version');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }
}
