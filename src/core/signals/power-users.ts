// Power-user emergence (seed 002 §3.3): users who work like the users of higher-tier accounts.
// The bar is the next plan's median user (a per-plan profile from the rescore pass), or config.
import { activeDays, events28 } from '../state/users.ts';
import { clamp01, plural, pct, round2, type Detector } from './types.ts';

const MIN_PROFILE_USERS = 30;

export const powerUsers: Detector = {
  id: 'power_users',
  kind: 'positive',
  detect(ctx) {
    const cfg = ctx.settings.signals.powerUsers;
    const prof = ctx.nextPlan ? ctx.profiles?.[ctx.nextPlan.id] : undefined;
    const useProfile = prof !== undefined && prof.users >= MIN_PROFILE_USERS;
    const barDays = Math.max(cfg.minActiveDays, useProfile ? prof.activeDays : 0);
    const barEvents = Math.max(cfg.minEvents, useProfile ? prof.events : 0);
    let active = 0;
    let power = 0;
    for (const u of ctx.state.users) {
      const d = activeDays(u, ctx.today);
      if (d === 0) continue;
      active++;
      if (d >= barDays && events28(u, ctx.today) >= barEvents) power++;
    }
    if (power < cfg.minUsers || active === 0) return null;
    const density = power / active;
    const strength = clamp01(0.4 + 0.6 * Math.min(1, density / cfg.strongDensity));
    // name the next plan only when its profile, not the configured floor, set the bar
    const fromProfile = useProfile && (prof.activeDays > cfg.minActiveDays || prof.events > cfg.minEvents);
    const like = fromProfile && ctx.nextPlan ? `${ctx.nextPlan.name} users` : 'power users';
    return {
      id: 'power_users', kind: 'positive', strength: round2(strength),
      evidence: { powerUsers: power, activeUsers: active, density: round2(density), barActiveDays: barDays, barEvents, profile: fromProfile ? ctx.nextPlan?.id ?? null : null,
        sentence: `${power} of ${plural(active, 'active user')} (${pct(density)}) work like ${like}: ${barDays}+ active days and ${barEvents}+ events in 28 days` },
    };
  },
};
