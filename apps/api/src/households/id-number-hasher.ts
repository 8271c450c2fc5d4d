import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { maskIdNumber, normaliseIdNumber } from '@xiangbo/domain';
import { APP_CONFIG, AppConfig } from '../config/config';

/**
 * ID numbers are never stored in clear: a keyed hash (HMAC-SHA256 with PERSONAL_DATA_KEY) finds duplicates and
 * matches, the masked form is for display. Without the key nobody can test guesses against the stored hashes.
 */
@Injectable()
export class IdNumberHasher {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Validates and protects an ID number; null with the reason when it is not a valid resident ID number. */
  protect(raw: string): { hash: string; masked: string } | { error: 'format' | 'birth_date' | 'checksum' } {
    const n = normaliseIdNumber(raw);
    if (!n.ok) return { error: n.reason };
    return {
      hash: createHmac('sha256', this.config.PERSONAL_DATA_KEY).update(n.value).digest('hex'),
      masked: maskIdNumber(n.value),
    };
  }
}
