import { describe, expect, it } from 'vitest';
import type { Catalog, Plan } from './types.ts';
import { checkCatalog, hasErrors } from './check.ts';

const support = (responseHours: number, csm: Plan['support']['csm'] = 'none', channels = ['email']) => ({ channels, responseHours, csm });
const plan = (id: string, rank: number, monthly: number, limits: Plan['limits'], features: string[], sup = support(48)): Plan =>
  ({ id, name: id[0]?.toUpperCase() + id.slice(1), rank, price: { monthly, annual: monthly * 10 }, limits, features, support: sup });

const meters: Catalog['meters'] = [
  { id: 'seats', name: 'Seats', unit: 'users', reset: 'none' },
  { id: 'api_calls', name: 'API calls', unit: 'calls', reset: 'month' },
];
const good: Plan[] = [
  plan('basic', 1, 10_000, { seats: 5, api_calls: 10_000 }, ['core']),
  plan('pro', 2, 25_000, { seats: 25, api_calls: 100_000 }, ['core', 'sso'], support(24, 'assigned', ['email', 'chat'])),
  plan('enterprise', 3, 70_000, { seats: null, api_calls: 1_000_000 }, ['core', 'sso', 'audit'], support(4, 'dedicated', ['email', 'chat', 'phone'])),
];
const catalog = (plans: Plan[]): Catalog => ({ currency: 'usd', meters, features: [], plans });

describe('catalog check', () => {
  it('passes a well-built good-better-best ladder', () => {
    expect(checkCatalog(catalog(good))).toEqual([]);
  });

  it('flags an adjacent price jump of 5x as an error with the tiers and figures', () => {
    const plans = [good[0] as Plan, { ...(good[1] as Plan), price: { monthly: 50_000 } }, good[2] as Plan];
    const f = checkCatalog(catalog(plans));
    const jump = f.find((x) => x.rule === 'price-jump');
    expect(jump).toMatchObject({ severity: 'error', plans: ['basic', 'pro'], figures: { lower_monthly: 10_000, higher_monthly: 50_000, ratio: 5, max_ratio: 3 } });
    expect(jump?.message).toMatch(/Basic -> Pro jumps 5x \(\$100 -> \$500\/mo\)/);
    expect(hasErrors(f)).toBe(true);
  });

  it('flags a higher tier with a lower limit, naming tiers, meter and figures', () => {
    const plans = [good[0] as Plan, { ...(good[1] as Plan), limits: { seats: 25, api_calls: 5_000 } }, good[2] as Plan];
    const f = checkCatalog(catalog(plans)).filter((x) => x.rule === 'takes-away-limit');
    expect(f).toEqual([expect.objectContaining({
      severity: 'error', plans: ['basic', 'pro'], meter: 'api_calls', figures: { lower_limit: 10_000, higher_limit: 5_000 },
    })]);
    expect(f[0]?.message).toBe("Pro allows 5,000 api_calls, less than Basic's 10,000");
  });

  it('treats unlimited as the highest limit and a missing meter as none', () => {
    const plans = [good[0] as Plan, good[1] as Plan, { ...(good[2] as Plan), limits: { seats: null } }];
    const f = checkCatalog(catalog(plans));
    expect(f.filter((x) => x.rule === 'takes-away-limit').map((x) => x.meter)).toEqual(['api_calls']);
  });

  it('flags a removed feature, a tier without a magnet feature, weaker support and a rising unit price', () => {
    const plans = [
      good[0] as Plan,
      plan('pro', 2, 25_000, { seats: 4, api_calls: 100_000 }, ['core'], support(72)),
      plan('enterprise', 3, 70_000, { seats: null, api_calls: 1_000_000 }, ['sso'], support(4, 'dedicated')),
    ];
    const rules = checkCatalog(catalog(plans)).map((x) => `${x.severity}:${x.rule}:${x.plans.join('>')}${x.meter ? `:${x.meter}` : ''}${x.feature ? `:${x.feature}` : ''}`);
    expect(rules).toEqual([
      'error:takes-away-limit:basic>pro:seats',
      'warning:no-magnet-feature:basic>pro',
      'error:weaker-support:basic>pro',
      'error:takes-away-feature:pro>enterprise:core',
    ]);
    const unit = checkCatalog(catalog([good[0] as Plan, plan('pro', 2, 25_000, { seats: 6, api_calls: 20_000 }, ['core', 'x'], support(24))]));
    expect(unit.filter((x) => x.rule === 'unit-price-rises').map((x) => [x.meter, x.figures['lower_cents_per_unit'], x.figures['higher_cents_per_unit']]))
      .toEqual([['seats', 2000, 4166.67], ['api_calls', 1, 1.25]]);
  });

  it('warns on too few tiers, unordered prices and an annual price above twelve months', () => {
    const plans = [plan('a', 1, 10_000, {}, ['x']), { ...plan('b', 2, 9_000, {}, ['x', 'y']), price: { monthly: 9_000, annual: 200_000 } }];
    const rules = checkCatalog(catalog(plans)).map((x) => `${x.severity}:${x.rule}`);
    expect(rules).toEqual(['warning:tier-count', 'warning:annual-price', 'error:price-order']);
  });
});
