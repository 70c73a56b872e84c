// Limit notices into the outbox, from the scheduler's pass (core/playbooks/limit-notices.ts): for
// each playbook whose trigger names notice levels and whose audience holds the account, none while
// the account is disqualified. "Once" is the outbox's idempotency key (account, playbook, meter,
// period, level, channel): a notice re-found on the next pass is the same message, never a second.
// Notices are transactional, not outreach: they open no opportunity and count against no cap.
import { limitNotices, type LimitNotice, type NoticeChannel } from '../core/playbooks/limit-notices.ts';
import { escapeHtml } from '../core/playbooks/template.ts';
import { audienceMatch, disqualifier } from '../core/playbooks/trigger.ts';
import { segmentOf } from '../core/offers/routing.ts';
import type { Evaluation } from '../core/scoring/evaluate.ts';
import { dayOf } from '../core/state/time.ts';
import type { AccountState } from '../core/state/types.ts';
import { idempotencyKey, planName, type PlaybookDeps } from './playbook-deps.ts';
import type { OutboxMessage } from './ports.ts';

const keyOf = (account: string, pb: string, meter: string, period: string, level: number, channel: NoticeChannel): string =>
  idempotencyKey('notice', `${account}/${pb}/${meter}/${period}/${level}/${channel}`);

/** Queues the account's due notices; returns how many notices (not messages) went out. */
export async function queueLimitNotices(deps: PlaybookDeps, ev: Evaluation, s: AccountState, traits: Record<string, unknown>, now: number): Promise<number> {
  const pbs = deps.playbooks.playbooks.filter((p) => p.trigger.on === 'signals' && p.trigger.noticeLevels?.length);
  if (pbs.length === 0 || s.status === 'canceled' || ev.unknownPlan) return 0;
  const segment = ev.offer?.routing.segment ?? segmentOf(s.segment, s.employees, deps.settings.offers);
  const route = ev.offer?.routing.route ?? null;
  const channels = ev.offer?.routing.channels ?? deps.settings.offers.channels[segment] ?? [];
  const today = dayOf(now);
  let existing: Set<string> | undefined;
  let sent = 0;
  for (const pb of pbs) {
    if (!audienceMatch(pb, ev.plan, segment, route).ok) continue;
    if (disqualifier(ev, [...deps.settings.scoring.disqualifiers, ...pb.qualification.disqualifiers]) !== null) continue;
    const levels = pb.trigger.noticeLevels!;
    const base = { meters: ev.meters, offer: ev.offer, levels, channels, planName: planName(deps, ev.plan), today };
    // the outbox is read only for an account with a meter past a level
    if (limitNotices({ ...base, noticed: () => 0 }).length === 0) continue;
    existing ??= new Set((await deps.store.listOutbox({ account: ev.account })).map((m) => m.key));
    const have = existing;
    const notices = limitNotices({
      ...base,
      noticed: (meter, period) => Math.max(0, ...levels.filter((l) => (['email', 'in_app'] as const).some((c) => have.has(keyOf(ev.account, pb.id, meter, period, l, c))))),
    });
    const enqueue = notices.flatMap((n) => messages(deps, ev.account, pb.id, n, traits, now));
    if (enqueue.length === 0) continue;
    await deps.store.commitPlaybook({ enqueue });
    for (const m of enqueue) have.add(m.key);
    sent += notices.length;
  }
  return sent;
}

function messages(deps: PlaybookDeps, account: string, pb: string, n: LimitNotice, traits: Record<string, unknown>, now: number): OutboxMessage[] {
  const out: OutboxMessage[] = [];
  const msg = (channel: NoticeChannel, via: OutboxMessage['channel'], payload: unknown): OutboxMessage => ({
    key: keyOf(account, pb, n.meter, n.period, n.level, channel), channel: via, account,
    payload: JSON.stringify(payload), status: 'pending', attempts: 0, nextAt: now, createdAt: now,
  });
  for (const c of n.channels) {
    if (c === 'in_app' && deps.webhook?.inApp) {
      const key = keyOf(account, pb, n.meter, n.period, n.level, c);
      out.push(msg(c, 'webhook', {
        type: 'limit_notice', idempotency_key: key, account, playbook: pb, meter: n.meter, meter_name: n.meterName, level: n.level, period: n.period,
        used: n.used, limit: n.limit, utilization: Math.round(n.util * 1000) / 1000, projection: n.projection, offer: n.way, title: n.title, body: n.body,
        at: new Date(now).toISOString(),
      }));
    }
    if (c === 'email') {
      const to = traits[deps.emailTrait ?? 'email'];
      if (typeof to === 'string' && to !== '') out.push(msg(c, 'email', { to, subject: n.title, text: n.body, html: `<p>${escapeHtml(n.body)}</p>` }));
    }
  }
  return out;
}
