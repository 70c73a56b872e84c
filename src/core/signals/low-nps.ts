// Low satisfaction (negative): the latest NPS answer is a detractor (<= 6).
import { DAY_MS } from '../state/time.ts';
import { round2, type Detector } from './types.ts';

export const lowNps: Detector = {
  id: 'low_nps',
  kind: 'negative',
  detect(ctx) {
    const cfg = ctx.settings.signals.lowNps;
    const s = ctx.state;
    if (s.nps < 0 || s.nps > cfg.max) return null;
    const age = Math.floor((ctx.now - s.npsTs) / DAY_MS);
    if (age > cfg.maxAgeDays) return null;
    return { id: 'low_nps', kind: 'negative', strength: round2((cfg.max + 1 - s.nps) / (cfg.max + 1)), evidence: { nps: s.nps, ageDays: age, sentence: `latest NPS answer is ${s.nps} (${age} days ago)` } };
  },
};
