// The client: events are queued and sent in batches to POST /v1/events, on a timer or when the
// queue reaches `flushAt`. Each event gets its id when queued, so a batch that is retried after a
// 429, a 5xx or a lost connection is deduplicated by the server and never counted twice.
import { EntitlementCache } from './entitlements.ts';
import { TierwiseNetworkError, toError } from './errors.ts';
import type {
  Account, AccountTraits, Checkout, DecideContext, Decision, EntitlementChange, Entitlements, EventInput, EventOptions, IngestResult, MeterLimit, PromptAction, PromptRecord,
  TrialOptions, TrialStarted, WireEvent,
} from './types.ts';

export interface TierwiseClientOptions {
  /** e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  /** an ingest key for sending, an admin key for reads too */
  apiKey: string;
  /** send once this many events are queued (default 100) */
  flushAt?: number;
  /** send queued events at least this often, in ms (default 1000; 0: only on flush()) */
  flushIntervalMs?: number;
  /** events per request (default 500, at most 1000) */
  maxBatch?: number;
  /** retries after a 429, a 5xx or a network error (default 5) */
  maxRetries?: number;
  /** first backoff in ms, doubled each retry with jitter (default 200) */
  backoffMs?: number;
  /** a fetch implementation (default: the global one) */
  fetch?: typeof fetch;
  /** told about batches that failed for good, or whose items the server rejected */
  onError?: (err: Error, events: readonly WireEvent[]) => void;
  /** keep an entitlements answer at most this long, in ms (default 30000; the server's ttl and a trial's end cut it shorter) */
  entitlementsTtlMs?: number;
  /** while the server is unreachable, keep serving the last answer up to this age, in ms (default 600000) */
  entitlementsMaxStaleMs?: number;
  /** what can() answers when the server is unreachable and nothing usable is cached (default false: fail closed) */
  offlineDefault?: boolean;
  /** the clock the cache reads (default Date.now) */
  now?: () => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class TierwiseClient {
  private queue: WireEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inflight: Promise<IngestResult[]> = Promise.resolve([]);
  private readonly opts: Required<Omit<TierwiseClientOptions, 'onError' | 'fetch'>> & Pick<TierwiseClientOptions, 'onError'>;
  private readonly fetchFn: typeof fetch;
  private readonly entitled: EntitlementCache;

  constructor(options: TierwiseClientOptions) {
    this.opts = {
      flushAt: 100, flushIntervalMs: 1000, maxBatch: 500, maxRetries: 5, backoffMs: 200,
      entitlementsTtlMs: 30_000, entitlementsMaxStaleMs: 600_000, offlineDefault: false, now: Date.now,
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
    this.opts.maxBatch = Math.min(1000, Math.max(1, this.opts.maxBatch));
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    // a page view cannot wait out backoffs: one attempt, then the cache's stale answer or offlineDefault
    this.entitled = new EntitlementCache((account) => this.request<Entitlements>('GET', `/v1/entitlements/${encodeURIComponent(account)}`, undefined, 0), {
      ttlMs: this.opts.entitlementsTtlMs, maxStaleMs: this.opts.entitlementsMaxStaleMs, offlineDefault: this.opts.offlineDefault, now: this.opts.now,
    });
  }

  /** Queues any canonical event; fills in `id` and `ts` when left out. */
  track(event: EventInput): WireEvent {
    const ts = event.ts instanceof Date ? event.ts.toISOString() : (event.ts ?? new Date().toISOString());
    const wire: WireEvent = { ...event, id: event.id ?? globalThis.crypto.randomUUID(), ts };
    this.queue.push(wire);
    if (this.queue.length >= this.opts.flushAt) void this.flush().catch(() => undefined);
    else this.arm();
    return wire;
  }

  /** Consumption of a meter: an increment for a periodic meter, the current level for a stock meter. */
  usage(account: string, meter: string, quantity: number, o: EventOptions = {}): WireEvent {
    return this.track({ ...o, type: 'usage', account, meter, quantity });
  }

  /** A user met a paywall or upgrade modal for a feature the plan lacks. */
  gate(account: string, feature: string, o: EventOptions = {}): WireEvent {
    return this.track({ ...o, type: 'gate', account, feature });
  }

  /** A user used a feature. */
  feature(account: string, feature: string, o: EventOptions = {}): WireEvent {
    return this.track({ ...o, type: 'feature', account, feature });
  }

  /** Creates or updates an account's traits (name, employees, industry, segment...). */
  identifyAccount(account: string, traits: AccountTraits, o: EventOptions = {}): WireEvent {
    return this.track({ ...o, type: 'account', account, traits });
  }

  /** What happened to an in-app upgrade prompt. */
  reportPrompt(account: string, prompt: string, action: PromptAction, o: EventOptions = {}): WireEvent {
    return this.track({ ...o, type: 'prompt', account, prompt, action });
  }

  /** Sends everything queued; resolves when the server has made it durable. */
  flush(): Promise<IngestResult[]> {
    this.disarm();
    const batches: WireEvent[][] = [];
    while (this.queue.length > 0) batches.push(this.queue.splice(0, this.opts.maxBatch));
    // Batches go one after another, in order, after any flush already under way.
    this.inflight = this.inflight.catch(() => []).then(async () => {
      const results: IngestResult[] = [];
      for (const b of batches) results.push(await this.sendBatch(b));
      return results;
    });
    return this.inflight;
  }

  /** Flushes and stops the timer. */
  async close(): Promise<void> {
    await this.flush();
    this.disarm();
  }

  /** One account with its daily usage (an admin key is needed). */
  async getAccount(id: string, o: { meter?: string } = {}): Promise<Account> {
    const q = o.meter !== undefined ? `?meter=${encodeURIComponent(o.meter)}` : '';
    return this.request<Account>('GET', `/v1/accounts/${encodeURIComponent(id)}${q}`);
  }

  /**
   * Should this user see an upgrade prompt now? Ask at the moment (a gated feature opened, a
   * limit near); show `prompt` when `show` is true and report what happened with recordOutcome.
   * An ingest key is enough. Retried like every call; a repeat within the session answers
   * session_cap, so a retry never shows the user two prompts.
   */
  async decide(account: string, user: string, context: DecideContext = {}): Promise<Decision> {
    return this.request<Decision>('POST', '/v1/decide', { account, user, context });
  }

  /** What the user did with a prompt from decide(): the server keeps its cooldowns and moves the deal. */
  async recordOutcome(promptId: string, action: PromptAction): Promise<PromptRecord> {
    return this.request<PromptRecord>('POST', `/v1/prompts/${encodeURIComponent(promptId)}/outcome`, { action });
  }

  /** Starts a trial of a higher tier for the account (an admin key is needed). */
  async startTrial(account: string, o: TrialOptions = {}): Promise<TrialStarted> {
    return this.request<TrialStarted>('POST', '/v1/trials', { account, ...o });
  }

  /** Whether the account may use a feature now (plan, add-on or running trial), from a short cache; see entitlements.ts for the rules. */
  can(account: string, feature: string): Promise<boolean> {
    return this.entitled.can(account, feature);
  }

  /** A meter's limit, use and what is left (undefined: no such meter, or the server unreachable with nothing cached). */
  limit(account: string, meter: string): Promise<MeterLimit | undefined> {
    return this.entitled.limit(account, meter);
  }

  /** The whole entitlements answer, through the same cache (undefined: server unreachable, nothing usable cached). */
  entitlements(account: string): Promise<Entitlements | undefined> {
    return this.entitled.get(account);
  }

  /** Told when a feature locks or unlocks between two answers (a trial started or ended, an upgrade). Returns the unsubscribe. */
  onEntitlementsChange(listener: (change: EntitlementChange) => void): () => void {
    return this.entitled.onChange(listener);
  }

  /** The accepted offer (default: the recommendation; `offer`: an alternative's key): the Stripe change, the prorated invoice and a signed upgrade link. */
  async checkout(account: string, o: { offer?: string; expiresInHours?: number } = {}): Promise<Checkout> {
    return this.request<Checkout>('POST', '/v1/checkout', {
      account, ...(o.offer !== undefined ? { offer: o.offer } : {}), ...(o.expiresInHours !== undefined ? { expires_in_hours: o.expiresInHours } : {}),
    });
  }

  /** A move to a lower tier now; its credit waits on the next invoice. */
  async downgrade(account: string, plan: string): Promise<Checkout> {
    return this.request<Checkout>('POST', '/v1/checkout/downgrade', { account, plan });
  }

  /** Cancellation at the end of the period already paid for. */
  async cancel(account: string): Promise<Checkout> {
    return this.request<Checkout>('POST', '/v1/checkout/cancel', { account });
  }

  /** Drops cached entitlements (one account, or all) so the next call asks the server. */
  invalidateEntitlements(account?: string): void {
    this.entitled.invalidate(account);
  }

  private async sendBatch(events: WireEvent[]): Promise<IngestResult> {
    try {
      const result = await this.request<IngestResult>('POST', '/v1/events', events);
      if (result.rejected > 0) this.opts.onError?.(new Error(`${result.rejected} event(s) rejected: ${result.errors.map((e) => `${e.pointer} ${e.detail}`).join('; ')}`), events);
      return result;
    } catch (err) {
      this.opts.onError?.(err as Error, events);
      throw err;
    }
  }

  private async request<T>(method: string, path: string, body?: unknown, maxRetries = this.opts.maxRetries): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetchFn(`${this.opts.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${this.opts.apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      } catch (cause) {
        if (attempt >= maxRetries) throw new TierwiseNetworkError(`${method} ${path}: ${(cause as Error).message}`, cause);
        await sleep(this.backoff(attempt));
        continue;
      }
      if (res.ok) return (await res.json()) as T;
      const err = await toError(res);
      if (!err.retryable || attempt >= maxRetries) throw err;
      await sleep(this.backoff(attempt, res.headers.get('retry-after')));
    }
  }

  /** Exponential backoff with full jitter; never sooner than the server's Retry-After. */
  private backoff(attempt: number, retryAfter?: string | null): number {
    const exp = this.opts.backoffMs * 2 ** attempt;
    const jittered = exp / 2 + Math.random() * (exp / 2);
    const floor = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
    return Math.max(floor, Math.min(jittered, 30_000));
  }

  private arm(): void {
    if (this.timer !== undefined || this.opts.flushIntervalMs <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => undefined);
    }, this.opts.flushIntervalMs);
    // In Node, a pending flush timer must not keep the process alive.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
