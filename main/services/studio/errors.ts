/**
 * Errors a service handler throws on purpose, with the HTTP status browser mode answers them
 * with (Electron IPC only passes the message on). Anything else is an internal error (500).
 */
export type ServiceErrorKind = 'invalid' | 'not-found' | 'conflict';

const STATUS: Record<ServiceErrorKind, number> = { invalid: 400, 'not-found': 404, conflict: 409 };

export class ServiceError extends Error {
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  get status(): number {
    return STATUS[this.kind];
  }
}

export const notFound = (message: string) => new ServiceError('not-found', message);
export const conflict = (message: string) => new ServiceError('conflict', message);
export const invalid = (message: string) => new ServiceError('invalid', message);
