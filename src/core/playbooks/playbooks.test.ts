import { describe, expect, it } from 'vitest';
import { afterFailure, backoffDelay } from './backoff.ts';
import { pickOwner } from './assign.ts';
import { escapeHtml, escapeSlack, render } from './template.ts';
import { checkAccountCap, checkPrompt, type Touch } from './touches.ts';
import { DEFAULT_ETIQUETTE, type TeamMember } from './types.ts';

const H = 3_600_000;
const DAY = 24 * H;
const T = Date.UTC(2026, 3, 1);
const shown = (id: string, at: number, extra: Partial<Touch> = {}): Touch => ({ id, account: 'a', channel: 'in_app', at, user: 'u', ...extra });

describe('email gap', () => {
  const email = (id: string, at: number): Touch => ({ id, account: 'a', channel: 'email', at });
  const cases: { name: string; touches: Touch[]; channel: 'email' | 'task'; code: string | null }[] = [
    { name: 'another play emailed yesterday', touches: [email('1', T - DAY)], channel: 'email', code: 'email_gap' },
    { name: 'the last email was 4 days ago', touches: [email('1', T - 4 * DAY)], channel: 'email', code: null },
    { name: 'an in-app prompt yesterday does not hold an email', touches: [shown('1', T - DAY)], channel: 'email', code: null },
    { name: 'an email yesterday does not hold a CSM task', touches: [email('1', T - DAY)], channel: 'task', code: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = checkAccountCap(c.touches, T, DEFAULT_ETIQUETTE, c.channel);
      expect(r.ok ? null : r.code).toBe(c.code);
    });
  }
});

describe('etiquette caps', () => {
  const cases: { name: string; touches: Touch[]; session?: string; code: string | null }[] = [
    { name: 'first prompt', touches: [], session: 's1', code: null },
    { name: 'second in one session', touches: [shown('1', T - H, { session: 's1' })], session: 's1', code: 'session_cap' },
    { name: 'no session id: 10 minutes apart is one session', touches: [shown('1', T - 10 * 60_000)], code: 'session_cap' },
    { name: 'third this week', touches: [shown('1', T - 3 * DAY, { session: 'a' }), shown('2', T - DAY, { session: 'b' })], session: 's3', code: 'user_week_cap' },
    { name: 'dismissed 10 days ago', touches: [shown('1', T - 10 * DAY, { outcome: 'dismissed', outcomeAt: T - 10 * DAY })], session: 's', code: 'cooldown' },
    { name: 'dismissed 31 days ago', touches: [shown('1', T - 31 * DAY, { outcome: 'dismissed', outcomeAt: T - 31 * DAY })], session: 's', code: null },
    { name: 'account cap across channels', touches: ['e1', 'e2', 'e3'].map((id, i) => ({ id, account: 'a', channel: 'email' as const, at: T - (i + 1) * DAY })), session: 's', code: 'account_week_cap' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = checkPrompt(c.touches, 'u', c.session, T, DEFAULT_ETIQUETTE);
      expect(r.ok ? null : r.code).toBe(c.code);
    });
  }
});

describe('templates', () => {
  it('escapes values and literal text for HTML and Slack; config cannot inject markup', () => {
    expect(render('<b>{{account_name}}</b>', { account_name: '<script>x</script> & "q"' }, escapeHtml)).toBe('&lt;b&gt;&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;&lt;/b&gt;');
    expect(render('hi {{account_name}} {{nope}}!', { account_name: '<!channel>' } as never, escapeSlack)).toBe('hi &lt;!channel&gt; !');
  });
});

describe('backoff', () => {
  it('grows exponentially with jitter in [50 %, 100 %], capped, then dead-letters', () => {
    const s = { baseMs: 1000, maxMs: 10_000, maxAttempts: 4 };
    for (let a = 1; a <= 6; a++) {
      const d = backoffDelay(a, 'k', s);
      const ceil = Math.min(10_000, 1000 * 2 ** (a - 1));
      expect(d).toBeGreaterThanOrEqual(ceil / 2);
      expect(d).toBeLessThanOrEqual(ceil);
    }
    expect(backoffDelay(3, 'k', s)).toBe(backoffDelay(3, 'k', s));
    expect(afterFailure(3, 'k', 0, s)).toMatchObject({ dead: false });
    expect(afterFailure(4, 'k', 0, s)).toEqual({ dead: true });
  });
});

describe('owner assignment', () => {
  const team: TeamMember[] = [{ id: 'dana', name: 'Dana', role: 'csm', capacity: 2 }, { id: 'lee', name: 'Lee', role: 'csm', capacity: 4 }, { id: 'sam', name: 'Sam', role: 'ae', capacity: 1 }];
  it('prefers the named owner with room, else the least loaded share, else nobody', () => {
    expect(pickOwner(team, 'csm', new Map(), 'lee')?.member.id).toBe('lee');
    expect(pickOwner(team, 'csm', new Map([['dana', 1], ['lee', 1]]))?.member.id).toBe('lee');
    expect(pickOwner(team, 'csm', new Map([['dana', 2]]), 'dana')?.member.id).toBe('lee');
    expect(pickOwner(team, 'ae', new Map([['sam', 1]]))).toBeNull();
  });
});
