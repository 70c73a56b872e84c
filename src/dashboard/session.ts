// Dashboard sessions: a random id in an HttpOnly cookie, the rest held here. The id is 256 random
// bits, so it needs no signature; the server forgets it on logout, on expiry, or when the key that
// opened it is revoked (checked on every request, see router.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface Session {
  id: string;
  /** the admin key that logged in: its id, never the key */
  keyId: string;
  keyName: string;
  /** a per-session token every form posts back (a second line of defence beside SameSite=Lax) */
  csrf: string;
  createdAt: number;
  lastSeen: number;
  /** one message for the next page, after an action redirects back (post/redirect/get) */
  flash?: string;
}

export const SESSION_COOKIE = 'tw_session';

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly idleMs: number, private readonly maxSessions = 10_000) {}

  create(keyId: string, keyName: string, now: number): Session {
    this.sweep(now);
    // A flood of logins must not grow memory without bound: drop the oldest first.
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const s: Session = { id: randomBytes(32).toString('base64url'), keyId, keyName, csrf: randomBytes(18).toString('base64url'), createdAt: now, lastSeen: now };
    this.sessions.set(s.id, s);
    return s;
  }

  get(id: string | undefined, now: number): Session | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (now - s.lastSeen > this.idleMs) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeen = now;
    return s;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  private sweep(now: number): void {
    for (const [id, s] of this.sessions) if (now - s.lastSeen > this.idleMs) this.sessions.delete(id);
  }
}

export function csrfMatches(session: Session, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
