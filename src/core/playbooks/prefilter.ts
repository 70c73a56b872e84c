// Which accounts a scheduler pass must evaluate in full. Building an offer for every account on
// every pass costs ~0.1-0.3 ms each; from the engine's last scores (positive signal ids, score,
// stage) most accounts can be ruled out. It only rules out: a pass says no where no playbook's
// trigger could fire; the full trigger (audience, utilization) is judged on the evaluation after.
import type { Stage } from '../scoring/stage.ts';
import type { Playbook } from './types.ts';

export interface ScoreSummary { signals: readonly string[]; score: number; stage: Stage }

export function mayTrigger(playbooks: readonly Playbook[], s: ScoreSummary): boolean {
  return playbooks.some((pb) => {
    const t = pb.trigger;
    if (t.on !== 'signals') return false;
    if (t.minScore !== undefined && s.score < t.minScore) return false;
    if (t.stages && !t.stages.includes(s.stage)) return false;
    return t.signals.length === 0 || t.signals.some((id) => s.signals.includes(id));
  });
}
