import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppException } from './app.exception';

/**
 * One rule for every route: text that reaches the API never carries control characters that make no sense in
 * it. NUL (which PostgreSQL cannot store in text and used to answer 500) and the other C0 controls and DEL are
 * refused everywhere; tab, line feed and carriage return only in the body fields that hold multi-line text
 * (descriptions, stories, notes, reasons, messages). Query parameters, path segments and single-line fields
 * (names, phone numbers, search words) allow none. The answer is 400 CONTROL_CHARACTERS naming the field.
 *
 * It runs twice with the same rule: as a middleware over the URL and the JSON body before any guard or
 * handler sees them (so a guard that reads a parameter never meets a NUL), and as a global pipe over what
 * handlers receive (multipart form fields are parsed after the middleware, and the pipe names route params).
 */

// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Body fields (by their last key) that hold multi-line text, as the storefront's text areas send them. */
const MULTI_LINE_FIELD =
  /^(description\w*|story|reason|statusReason|body|answer|note|notes|text|comment|message|details|bio|intro)$/;

/** Signed machine payloads checked by their own rules (Stripe's events carry free text of Stripe's). */
const EXEMPT_PATHS = ['/api/payments/stripe/webhook'];

export class ControlCharacterException extends AppException {
  constructor(field: string) {
    super('CONTROL_CHARACTERS', 400, `${field}: must not contain control characters (such as NUL)`, [
      { field, message: 'must not contain control characters (such as NUL)' },
    ]);
  }
}

type Where = 'body' | 'query' | 'param';

/** The path of the first string (or key) holding a forbidden character, or null. */
export function findControlCharacter(value: unknown, where: Where, path: string[] = []): string | null {
  if (typeof value === 'string') {
    const last = path[path.length - 1] ?? '';
    const multiLine = where === 'body' && MULTI_LINE_FIELD.test(last);
    return (multiLine ? CONTROL_EXCEPT_LINE_BREAKS : ANY_CONTROL).test(value) ? fieldName(where, path) : null;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = findControlCharacter(v, where, [...path, String(i)]);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (ANY_CONTROL.test(k)) return fieldName(where, [...path, k.replace(ANY_CONTROL, '?')]);
      const hit = findControlCharacter(v, where, [...path, k]);
      if (hit) return hit;
    }
  }
  return null;
}

function fieldName(where: Where, path: string[]): string {
  return path.length ? path.join('.') : where;
}

function decodedPath(req: Request): string | null {
  try {
    return decodeURIComponent(req.path);
  } catch {
    return null; // malformed escapes are the router's to refuse
  }
}

/** Express middleware: the query, the path and the (already parsed) JSON body. */
export function controlCharactersMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const path = decodedPath(req);
  if (path !== null && ANY_CONTROL.test(path)) return next(new ControlCharacterException('path'));
  const inQuery = findControlCharacter(req.query, 'query');
  if (inQuery) return next(new ControlCharacterException(inQuery));
  if (!EXEMPT_PATHS.includes(req.path)) {
    const inBody = findControlCharacter(req.body, 'body');
    if (inBody) return next(new ControlCharacterException(inBody));
  }
  next();
}

/** Global pipe: the same rule over each argument a handler receives (multipart fields, named params). */
@Injectable()
export class ControlCharactersPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const path = metadata.data ? [metadata.data] : [];
    const hit = findControlCharacter(value, metadata.type, path);
    if (hit) throw new ControlCharacterException(hit);
    return value;
  }
}
