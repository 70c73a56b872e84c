// Latent need over time. Pure functions of a meter's shape and the day, so evaluation can
// recompute the need at any day from truth.ndjson without re-running the world.
import type { MeterShape } from './types.ts';

/** The need without a one-off spike: what a sustained trend looks like (readiness uses this). */
export function smoothNeedAt(shape: MeterShape, day: number): number {
  const t = day / 365;
  switch (shape.archetype) {
    case 'growing':
    case 'declining':
    case 'steady':
      return shape.base * Math.exp(shape.rate * t);
    case 'seasonal':
      return shape.base * (1 + shape.amplitude * Math.sin(2 * Math.PI * (shape.phase + day / shape.periodDays)));
    case 'spike':
      return shape.base;
  }
}

/** The need including a one-off spike: what users actually try to consume that day. */
export function needAt(shape: MeterShape, day: number): number {
  const smooth = smoothNeedAt(shape, day);
  if (shape.archetype !== 'spike') return smooth;
  const x = (day - shape.spikeDay) / Math.max(0.5, shape.spikeWidthDays);
  return smooth * (1 + shape.spikeMagnitude * Math.exp(-x * x));
}
