// Domain errors of the application layer. Each carries a literal `code`; the HTTP layer maps
// codes to statuses in one table (src/http/problem.ts), the CLI prints the message.
export type AppErrorCode = 'overloaded' | 'key_not_found' | 'key_revoked' | 'not_found' | 'conflict' | 'invalid_request';

export class AppError extends Error {
  constructor(readonly code: AppErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
  }
}
