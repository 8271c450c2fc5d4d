import type { FieldError } from '@xiangbo/contracts';

/**
 * Base of every feature's exception: a stable code, the HTTP status it maps to, a message a person can read.
 * Features subclass it with their own code enum (see auth/auth.exception.ts); the filters map it per transport.
 */
export class AppException extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
    /** Machine-readable facts about the error (e.g. the id of the existing record on a conflict). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundException extends AppException {
  constructor(what = 'resource') {
    super('NOT_FOUND', 404, `${what} not found`);
  }
}

export class ForbiddenException extends AppException {
  constructor(message = 'you are not allowed to do this') {
    super('FORBIDDEN', 403, message);
  }
}

export class ValidationException extends AppException {
  constructor(errors: FieldError[]) {
    super('VALIDATION_FAILED', 400, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
}
