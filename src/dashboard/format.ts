// How numbers read on a page: money from integer cents, percentages, dates and ages.

const DAY_MS = 86_400_000;

/** One money format everywhere (as the CLI's): whole amounts without cents ($999), others with ($9,417.81). */
export function money(cents: number | null | undefined, currency = 'USD'): string {
  if (cents === null || cents === undefined || !Number.isFinite(cents)) return '—';
  const digits = Math.round(cents) % 100 === 0 ? 0 : 2;
  try {
    return (cents / 100).toLocaleString('en-US', { style: 'currency', currency, maximumFractionDigits: digits, minimumFractionDigits: digits });
  } catch {
    // a currency code Intl does not know: the number with the code beside it
    return `${(cents / 100).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${currency.toUpperCase()}`;
  }
}

export function signedMoney(cents: number, currency = 'USD'): string {
  return `${cents > 0 ? '+' : ''}${money(cents, currency)}`;
}

export const pct = (x: number | null | undefined, digits = 0): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`;

export const num = (x: number): string => (Number.isInteger(x) ? x : Math.round(x * 10) / 10).toLocaleString('en-US');

export const limitText = (x: number | null | undefined): string => (x === null ? 'unlimited' : x === undefined ? '—' : num(x));

export const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const dateTime = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

export function age(fromMs: number, nowMs: number): string {
  const d = Math.max(0, Math.floor((nowMs - fromMs) / DAY_MS));
  return d === 0 ? 'today' : d === 1 ? '1 day' : `${d} days`;
}

const LABELS: Record<string, string> = {
  self_serve: 'Self-serve', smb: 'SMB', mid_market: 'Mid-market', enterprise: 'Enterprise',
  product_led: 'Product-led', csm: 'CSM', ae: 'AE', in_app: 'In-app', nps: 'NPS',
};

/** snake_case ids as words: "usage_ceiling" -> "Usage ceiling"; known acronyms kept. */
export const words = (id: string): string => {
  const known = LABELS[id];
  if (known) return known;
  const s = id.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};
