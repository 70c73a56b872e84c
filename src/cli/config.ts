import type { Command } from 'commander';
import { z } from 'zod';
import { configSchema } from '../config/schema.ts';
import { loadConfig, resolveConfigPath } from '../config/load.ts';
import { printJson } from './output.ts';

export function configJsonSchema(): unknown {
  return { ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }), title: 'tierwise.yaml', $id: 'https://tierwise.dev/schema/tierwise.json' };
}

export function registerConfig(program: Command): void {
  const config = program.command('config').description('inspect and validate tierwise.yaml');
  config.command('schema')
    .description('print the JSON Schema of tierwise.yaml (for editor completion and checking)')
    .action(() => printJson(configJsonSchema()));
  config.command('validate')
    .description('validate a config file; errors name the path, the line and what was expected')
    .option('-c, --config <file>', 'config file (default: ./tierwise.yaml, $TIERWISE_CONFIG, or the bundled example)')
    .option('--json', 'print the parsed config as JSON')
    .action((opts: { config?: string; json?: boolean }) => {
      const file = resolveConfigPath(opts.config);
      const cfg = loadConfig(file);
      if (opts.json) printJson(cfg);
      else process.stdout.write(`${file}: valid (${cfg.plans.length} plans, ${Object.keys(cfg.meters).length} meters, ${Object.keys(cfg.features).length} features)\n`);
    });
}
