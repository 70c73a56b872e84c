// The `metrics:` config section: defaults from seed 002, overrides, and errors with their path.
import { describe, expect, it } from 'vitest';
import { DEFAULT_UPSELL_SETTINGS } from '../core/metrics/upsell-types.ts';
import { metricsConfigSchema, toUpsellSettings } from './metrics-schema.ts';

describe('metrics config', () => {
  it('defaults to CSM 35 % / AE 65 %, 10 % over 24 months, 14 and 30 days', () => {
    expect(toUpsellSettings(undefined)).toEqual(DEFAULT_UPSELL_SETTINGS);
    expect(toUpsellSettings({})).toEqual(DEFAULT_UPSELL_SETTINGS);
  });

  it('takes overrides field by field', () => {
    const s = toUpsellSettings({ credit_split: { csm: 0.4 }, activation_days: [7], forecast: { prior_weight: 2, stage_priors: { proposal: 0.6 } } });
    expect(s.creditSplit).toEqual({ csm: 0.4, ae: 0.65 });
    expect(s.activationDays).toEqual([7]);
    expect(s.forecast.priorWeight).toBe(2);
    expect(s.forecast.stagePriors.proposal).toBe(0.6);
    expect(s.forecast.stagePriors.qualified).toBe(DEFAULT_UPSELL_SETTINGS.forecast.stagePriors.qualified);
  });

  it('rejects a share above 1 and unknown fields, with the path', () => {
    const bad = metricsConfigSchema.safeParse({ credit_split: { csm: 1.5 } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['credit_split', 'csm']);
    expect(metricsConfigSchema.safeParse({ credit: {} }).success).toBe(false);
  });
});
