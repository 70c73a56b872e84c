// Platt scaling: a one-feature logistic fit that maps a raw score (the model's logit, or the rules'
// 0-100 score) to a probability, learned on rows the model was not fitted on. Monotone, so it keeps
// the ranking (and the AUC) and only fixes the probabilities.
import { fitLogistic, sigmoid } from './logistic.ts';

export interface Platt { a: number; b: number }

export function fitPlatt(scores: readonly number[], ys: readonly boolean[]): Platt {
  const m = fitLogistic(scores.map((s) => [s]), ys, { l2: 1e-6 });
  // back from the standardized feature to the raw score
  const a = m.weights[0]! / m.sd[0]!;
  return { a, b: m.bias - a * m.mean[0]! };
}

export const applyPlatt = (c: Platt, score: number): number => sigmoid(c.a * score + c.b);
