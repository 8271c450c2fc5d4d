import type { Response } from 'express';
import { createHash } from 'node:crypto';

interface Serialized {
  body: string;
  etag: string;
}

/**
 * JSON answers serialised once per answer object: a CatalogCache hit is the same object, so it goes out as the same
 * string with the same ETag, without JSON.stringify and the ETag hash on every request. The bytes, Content-Type and
 * conditional GET (If-None-Match → 304) are those Express's res.json would give. (A plain function rather than an
 * interceptor: Nest's interceptor chain costs more per request than the serialisation it would save.)
 */
export class SerializedJson {
  private readonly serialized = new WeakMap<object, Serialized>();

  /** Sets the JSON headers on the response and returns the body to send (a string: Express sends it as is). */
  body(res: Response, value: object): string {
    let s = this.serialized.get(value);
    if (!s) {
      const body = JSON.stringify(value);
      s = { body, etag: weakEtag(body) };
      this.serialized.set(value, s);
    }
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('ETag', s.etag); // Express generates none when one is set, and still answers 304 when fresh
    return s.body;
  }
}

/** A weak ETag in the format of Express's own (the `etag` package): W/"<length hex>-<sha1 base64, 27 chars>". */
export function weakEtag(body: string): string {
  const hash = createHash('sha1').update(body, 'utf8').digest('base64').slice(0, 27);
  return `W/"${Buffer.byteLength(body, 'utf8').toString(16)}-${hash}"`;
}
