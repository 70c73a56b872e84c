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
const catalog = (plans: Plan[]): Catalog => ({ currency: 'usd', meters, features: [], plans, addons: [], terms: [] });

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

describe('catalog check: units, add-ons and terms', () => {
  const unit = (meter: string, unitAmount: number, maxExtra: number | null = null, blockSize = 1): NonNullable<Plan['units']>[number] =>
    ({ meter, scheme: 'per_unit', unitAmount, blockSize, tiers: [], included: 0, maxExtra, stripePrices: [] });
  const withUnits = (i: number, units: NonNullable<Plan['units']>): Plan[] => good.map((p, k) => (k === i ? { ...p, units: units.map((u) => ({ ...u, included: (p.limits[u.meter] ?? 0) })) } : p));
  const rules = (c: Catalog) => checkCatalog(c).map((f) => `${f.severity}:${f.rule}:${f.plans.join('>')}:${f.meter ?? f.addon ?? f.term ?? ''}`);

  it('seats so cheap that the next tier is never worth it for seats alone', () => {
    // Basic: 20 extra seats at $10 = $200 < the $150 step? no: $200 > $150. At $5: $100 < $150
    const c = catalog(withUnits(0, [unit('seats', 500)]));
    expect(rules(c)).toEqual(['warning:units-undercut-tier:basic>pro:seats']);
    expect(checkCatalog(c)[0]?.message).toBe('20 extra Seats on Basic cost $100/mo, less than the $150 step to Pro: for Seats alone Pro is never worth it');
    // a max below what the next tier gives keeps the tier worth it
    expect(rules(catalog(withUnits(0, [unit('seats', 500, 10)])))).toEqual([]);
  });

  it('one block dearer than the step to the next tier: the units are never worth buying', () => {
    expect(rules(catalog(withUnits(1, [unit('api_calls', 50_000, null, 100_000)])))).toEqual(['warning:units-never-worth:pro>enterprise:api_calls']);
  });

  it('a max past the break-even with the next tier', () => {
    // Pro -> Enterprise step $450; seats at $20: 22 seats ($440) is the most before Enterprise is cheaper
    const f = checkCatalog(catalog(withUnits(1, [unit('seats', 2000, 30)])));
    expect(f.map((x) => [x.rule, x.figures])).toEqual([['units-max-past-break-even', { max_extra: 30, break_even: 22 }]]);
  });

  const addon = (over: Partial<Catalog['addons'][number]>): Catalog['addons'][number] => ({
    id: 'audit_module', name: 'Audit module', kind: 'module', price: { monthly: 10_000 }, features: ['audit'], limits: {},
    availableOn: ['pro'], includedIn: ['enterprise'], stripePrices: [], ...over,
  });

  it('an add-on that costs as much as the tier that includes it, and one sold on a plan that has it', () => {
    expect(rules({ ...catalog(good), addons: [addon({})] })).toEqual([]);
    expect(rules({ ...catalog(good), addons: [addon({ price: { monthly: 45_000 } })] })).toEqual(['warning:addon-above-tier:pro>enterprise:audit_module']);
    expect(rules({ ...catalog(good), addons: [addon({ features: ['sso'], availableOn: ['pro'] })] })).toEqual(['error:addon-already-included:pro:audit_module']);
    expect(rules({ ...catalog(good), addons: [addon({ availableOn: ['pro', 'enterprise'] })] })).toEqual(['error:addon-already-included:enterprise:audit_module']);
  });

  it('a discount above 10 % needs a term of 24 months or more', () => {
    const terms = [{ id: 'annual', name: 'Annual', months: 12, maxDiscountPct: 15 }, { id: 'two', name: '2 years', months: 24, maxDiscountPct: 20 }];
    const f = checkCatalog({ ...catalog(good), terms });
    expect(f.map((x) => `${x.severity}:${x.rule}:${x.term}`)).toEqual(['error:term-discount:annual']);
    expect(f[0]?.message).toBe('Annual allows 15% off on 12 months; discounts above 10% need a term of 24 months or more');
  });
});
