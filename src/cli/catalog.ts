import type { Command } from 'commander';
import { loadConfig, resolveConfigPath } from '../config/load.ts';
import { checkOptions, toCatalog } from '../config/catalog-from-config.ts';
import { CATALOG_CHECKS, checkCatalog, hasErrors, type Finding } from '../core/catalog/check.ts';
import { formatLimit } from '../core/catalog/catalog.ts';
import type { Catalog, UnitPrice } from '../core/catalog/types.ts';
import { EXIT, money, printJson, table } from './output.ts';

export function registerCatalog(program: Command): void {
  const catalog = program.command('catalog').description('the plan catalog: tiers, limits, features, support');
  catalog.command('check')
    .description('apply the tier-architecture rules; exit 1 when a finding is an error')
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print findings as JSON')
    .action((opts: { config?: string; json?: boolean }) => {
      const file = resolveConfigPath(opts.config);
      const cfg = loadConfig(file);
      const c = toCatalog(cfg);
      const findings = checkCatalog(c, checkOptions(cfg));
      const errors = findings.filter((f) => f.severity === 'error').length;
      const names = (kind: 'plan' | 'meter' | 'feature', id: string): string =>
        (kind === 'plan' ? c.plans : kind === 'meter' ? c.meters : c.features).find((x) => x.id === id)?.name ?? id;
      if (opts.json) printJson({ file, ok: !hasErrors(findings), errors, warnings: findings.length - errors, checks: CATALOG_CHECKS, findings });
      else process.stdout.write(renderFindings(file, findings, names));
      process.exitCode = hasErrors(findings) ? EXIT.problems : EXIT.ok;
    });
  catalog.command('show')
    .description('print the tiers side by side')
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print the catalog as JSON')
    .action((opts: { config?: string; json?: boolean }) => {
      const c = toCatalog(loadConfig(resolveConfigPath(opts.config)));
      if (opts.json) return printJson(c);
      const rows: (string | number)[][] = [
        ['monthly', ...c.plans.map((p) => money(p.price.monthly))],
        ['annual', ...c.plans.map((p) => (p.price.annual === undefined ? '-' : money(p.price.annual)))],
        ...c.meters.map((m) => [m.id, ...c.plans.map((p) => (m.id in p.limits ? formatLimit(p.limits[m.id]) : '-'))]),
        ...c.features.map((f) => [f.id, ...c.plans.map((p) => (p.features.includes(f.id) ? 'yes' : '-'))]),
        ['support', ...c.plans.map((p) => `${p.support.channels.join('+')} ${p.support.responseHours}h`)],
        ['csm', ...c.plans.map((p) => p.support.csm)],
      ];
      process.stdout.write(`${table(['', ...c.plans.map((p) => p.name)], rows)}\n${extrasText(c)}`);
    });
}

function extrasText(c: Catalog): string {
  const out: string[] = [];
  const units = c.plans.flatMap((p) => (p.units ?? []).map((u) => [p.name, u.meter, unitPriceText(u), u.included, u.maxExtra ?? 'to break-even']));
  if (units.length > 0) out.push('', 'extra units:', table(['plan', 'meter', 'price', 'included', 'max extra'], units));
  if (c.addons.length > 0) {
    out.push('', 'add-ons:', table(['add-on', 'kind', 'monthly', 'annual', 'grants', 'sold on', 'included in'], c.addons.map((a) => [
      a.name, a.kind, money(a.price.monthly), a.price.annual === undefined ? '-' : money(a.price.annual),
      [...a.features, ...Object.entries(a.limits).map(([m, n]) => `+${n} ${m}`), ...(a.support ? [`${a.support.responseHours}h support`] : [])].join(', '),
      a.availableOn.join(', '), a.includedIn.join(', ') || '-'])));
  }
  if (c.terms.length > 0) out.push('', 'terms:', table(['term', 'months', 'max discount'], c.terms.map((t) => [t.name, t.months, `${t.maxDiscountPct}%`])));
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

function unitPriceText(u: UnitPrice): string {
  const per = u.blockSize === 1 ? 'each' : `per ${u.blockSize.toLocaleString('en-US')}`;
  if (u.scheme === 'per_unit') return `${money(u.unitAmount)}/mo ${per}`;
  return `${u.scheme}: ${u.tiers.map((t) => `${money(t.unitAmount)} ${per}${t.upTo === null ? ' after' : ` up to ${t.upTo}`}`).join(', ')}`;
}

/** Every check with its outcome, then the findings in words (their raw figures are in --json). */
function renderFindings(file: string, findings: Finding[], names: (kind: 'plan' | 'meter' | 'feature', id: string) => string): string {
  const checks = CATALOG_CHECKS.map((c) => {
    const hits = findings.filter((f) => f.rule === c.rule);
    const mark = hits.some((f) => f.severity === 'error') ? 'ERROR' : hits.length > 0 ? 'warn ' : 'ok   ';
    return `  ${mark} ${c.what}${hits.length > 1 ? ` (${hits.length} findings)` : ''}`;
  });
  const lines = findings.map((f) => {
    const where = [f.plans.map((p) => names('plan', p)).join(' -> '), f.meter && names('meter', f.meter), f.feature && names('feature', f.feature), f.addon && `add-on ${f.addon}`, f.term && `term ${f.term}`].filter(Boolean).join(', ');
    return `${f.severity.toUpperCase().padEnd(7)} ${where}: ${f.message}`;
  });
  const errors = findings.filter((f) => f.severity === 'error').length;
  const summary = findings.length === 0 ? 'catalog ok, no findings' : `${errors} error(s), ${findings.length - errors} warning(s)`;
  return `${file}\nchecks run:\n${checks.join('\n')}\n${lines.length > 0 ? `\n${lines.join('\n')}\n` : ''}\n${summary}\n`;
}
