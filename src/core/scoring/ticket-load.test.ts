// ticket_load lets a support play act on ticket load alone (issue #15); it is no sign the account
// has outgrown its plan, so it adds nothing to the score, does not make an account ready, and only a
// support pitch says it.
import { describe, expect, it } from 'vitest';
import { offerPitch } from '../offers/message.ts';
import type { Signal } from '../signals/types.ts';
import { qualify } from './qualification.ts';
import { scoreOf } from './score.ts';
import { DEFAULT_SETTINGS } from './settings.ts';

const load: Signal = { id: 'ticket_load', kind: 'positive', strength: 1, evidence: { open: 4, sentence: '4 open support tickets on a mid-market account' } };
const gate: Signal = { id: 'feature_gate', kind: 'positive', strength: 1, evidence: { sentence: 'met the paywall for SSO' } };

describe('ticket_load', () => {
  it('weighs nothing in the score', () => {
    expect(scoreOf([load], DEFAULT_SETTINGS.scoring).score).toBe(0);
    expect(scoreOf([load, gate], DEFAULT_SETTINGS.scoring).score).toBe(scoreOf([gate], DEFAULT_SETTINGS.scoring).score);
  });

  it('alone is no sustained need, whatever the score', () => {
    const q = qualify({ signals: [load], score: 100, status: 'active', adoption: null, hasTarget: true }, DEFAULT_SETTINGS.scoring);
    expect(q.checks.find((c) => c.id === 'trend_up')).toMatchObject({ ok: false, reason: 'no sign of need yet' });
    expect(q.ready).toBe(false);
  });

  it('is said in a support pitch and in no other', () => {
    const option = (type: string): never => ({ type, name: 'Premium support', plan: { name: 'Pro' }, price: { monthly: 49_900 } }) as never;
    const pitch = (type: string): string => offerPitch({ signals: [load, gate], option: option(type), gained: [], prorated: null, roiMultiple: null } as never);
    expect(pitch('support')).toContain('4 open support tickets');
    expect(pitch('addon')).not.toContain('open support tickets');
    expect(pitch('addon')).toContain('met the paywall for SSO');
  });
});
