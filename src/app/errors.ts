// Domain errors of the application layer. Each carries a literal `code`; the HTTP layer maps
// codes to statuses in one table (src/http/problem.ts), the CLI prints the message.
export type AppErrorCode = 'overloaded' | 'key_not_found' | 'key_revoked' | 'not_found' | 'conflict' | 'invalid_request';

export class AppError extends Error {
  constructor(readonly code: AppErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
  }
}

/**
 * The store was written by a newer Tierwise (its schema version is past the migrations this one
 * knows): not a fault of this process, and nothing it can mend. The CLI says so and exits 2.
 */
export class StoreVersionError extends Error {
  readonly code = 'store_version';
  constructor(found: number, known: number, where: string) {
    super(`${where} has schema version ${found}, newer than this Tierwise knows (${known}); upgrade Tierwise to open it`);
    this.name = 'StoreVersionError';
  }
}
