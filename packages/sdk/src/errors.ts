// Typed errors: the server's RFC 9457 problem details, and failures to reach it at all.

export interface ItemError {
  /** JSON pointer into the batch that was sent, e.g. /3/quantity */
  pointer: string;
  line?: number;
  detail: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  /** stable machine-readable code: unauthorized, forbidden, rate_limited, invalid_events... */
  code: string;
  detail: string;
  instance?: string;
  errors?: ItemError[];
  [extra: string]: unknown;
}

/** The server answered with an error (problem+json). */
export class TierwiseError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
    this.name = 'TierwiseError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }

  /** 429 and 5xx are worth retrying; other 4xx will fail the same way again. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** The request never got an answer (connection refused, reset, timeout). */
export class TierwiseNetworkError extends Error {
  constructor(message: string, override readonly cause: unknown) {
    super(message);
    this.name = 'TierwiseNetworkError';
  }
}

export async function toError(res: Response): Promise<TierwiseError> {
  const text = await res.text();
  let problem: Problem | undefined;
  try {
    const parsed = JSON.parse(text) as Partial<Problem>;
    if (typeof parsed.code === 'string') problem = { type: 'about:blank', title: res.statusText, status: res.status, detail: '', ...parsed } as Problem;
  } catch {
    // not JSON: fall through to a generic problem
  }
  return new TierwiseError(problem ?? { type: 'about:blank', title: res.statusText, status: res.status, code: `http_${res.status}`, detail: text.slice(0, 500) });
}
