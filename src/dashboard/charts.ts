// Chart.js configurations built on the server as plain JSON (no functions), so the page script
// stays generic: it finds each canvas's JSON island and hands it to Chart.js.

export const COLORS = {
  usage: '#1f6feb', limit: '#b42318', p90: '#d9480f', p80: '#e8a33d', p70: '#8c959f',
  positive: '#1a7f37', negative: '#b42318', neutral: '#57606a', accent: '#8250df',
};

export interface Dataset {
  label: string;
  data: (number | null)[];
  borderColor?: string;
  backgroundColor?: string;
  borderDash?: number[];
  borderWidth?: number;
  pointRadius?: number;
  fill?: boolean;
  stack?: string;
  type?: 'line' | 'bar';
  yAxisID?: string;
}

export interface ChartConfig {
  type: 'line' | 'bar';
  data: { labels: string[]; datasets: Dataset[] };
  options: Record<string, unknown>;
}

const baseOptions = (yTitle: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  interaction: { mode: 'index', intersect: false },
  plugins: { legend: { position: 'bottom' } },
  scales: { y: { beginAtZero: true, title: { display: true, text: yTitle } }, x: { ticks: { maxTicksLimit: 10 } } },
  ...extra,
});

export function lineChart(labels: string[], datasets: Dataset[], yTitle: string): ChartConfig {
  return { type: 'line', data: { labels, datasets }, options: baseOptions(yTitle) };
}

export function barChart(labels: string[], datasets: Dataset[], yTitle: string, stacked = false): ChartConfig {
  const opts = baseOptions(yTitle);
  if (stacked) opts['scales'] = { x: { stacked: true }, y: { stacked: true, title: { display: true, text: yTitle } } };
  return { type: 'bar', data: { labels, datasets }, options: opts };
}

/** A level line across the whole chart (70/80/90 % of a limit, the limit itself). */
export const levelLine = (label: string, value: number, n: number, color: string, dash: number[] = [6, 4]): Dataset =>
  ({ label, data: new Array<number>(n).fill(value), borderColor: color, borderDash: dash, borderWidth: 1.5, pointRadius: 0, fill: false });
