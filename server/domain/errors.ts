/** Typed domain errors: routers and HTTP handlers map these to status codes in one place each. */
export class DomainError extends Error {}

export class UnauthenticatedError extends DomainError {
  constructor(message = "Sign in, or send an API key as `Authorization: Bearer <key>`.") {
    super(message);
  }
}
export class ForbiddenError extends DomainError {
  /** `reason` replaces the usual message when the person must first take a step (see policy's pending steps). */
  constructor(
    public readonly permission: string,
    reason?: string,
  ) {
    super(reason ?? `You do not have permission to do this (needs ${permission}). Ask an admin for the role or scope.`);
  }
}
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(`${what} was not found.`);
  }
}
export class ConflictError extends DomainError {}

/** An Idempotency-Key reused with a different request: the first request's answer cannot be replayed for it. */
export class IdempotencyKeyReusedError extends DomainError {}

/** Bad input that passed the schema but breaks a rule; names the field like a zod issue would. */
export class InvalidInputError extends DomainError {
  constructor(
    public readonly field: string,
    public readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** Four eyes: the person deciding may not be the one who asked (or who built what is decided on). */
export class FourEyesError extends DomainError {}

/** A body, line or value over a size limit; names what was too large and the limit. Nothing is stored. */
export class PayloadTooLargeError extends InvalidInputError {}

/** The instance is at its bound for this kind of work; the client should retry after `retryAfterSeconds`. */
export class BusyError extends DomainError {
  constructor(
    message: string,
    public readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
