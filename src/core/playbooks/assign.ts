// Owner assignment among the configured CSMs / AEs by spare capacity: the account's named owner
// first (traits.csm / traits.ae) while they have room, then whoever is least loaded relative to capacity.
import type { OwnerRole, TeamMember } from './types.ts';

export interface Assignment { member: TeamMember; why: string }

export function pickOwner(members: readonly TeamMember[], role: OwnerRole, load: ReadonlyMap<string, number>, preferred?: string): Assignment | null {
  const pool = members.filter((m) => m.role === role);
  const room = (m: TeamMember): number => m.capacity - (load.get(m.id) ?? 0);
  const named = preferred ? pool.find((m) => m.id === preferred || m.name === preferred) : undefined;
  if (named && room(named) > 0) return { member: named, why: `the account's ${role}, ${room(named)} of ${named.capacity} free` };
  let best: TeamMember | undefined;
  let bestShare = Infinity;
  for (const m of pool) {
    if (room(m) <= 0) continue;
    const share = (load.get(m.id) ?? 0) / m.capacity;
    if (share < bestShare || (share === bestShare && best && m.id < best.id)) { best = m; bestShare = share; }
  }
  if (!best) return null;
  const full = named ? ` (${named.id} is at capacity)` : '';
  return { member: best, why: `least loaded ${role}: ${load.get(best.id) ?? 0} of ${best.capacity}${full}` };
}
