// The `tierwise` command. Each sub-command lives in its own file and registers itself here.
import { Command, CommanderError } from 'commander';
import { registerCatalog } from './catalog.ts';
import { registerConfig } from './config.ts';
import { registerSimulate } from './simulate.ts';
import { registerImport } from './import.ts';
import { registerDemo } from './demo.ts';
import { registerServe } from './serve.ts';
import { registerKeys } from './keys.ts';
import { reportError } from './output.ts';
import { registerMetrics } from './metrics.ts';
import { registerMilestones } from './milestones.ts';
import { registerScore } from './score.ts';
import { registerAccounts } from './accounts.ts';
import { registerExplain } from './explain.ts';
import { registerRun } from './run.ts';
import { registerOpportunities } from './opportunities.ts';
import { registerDecide } from './decide.ts';
import { registerReport } from './report.ts';
import { registerBacktest } from './backtest.ts';
import { registerOutbox } from './outbox.ts';
import { registerModel } from './model.ts';
import { registerExperiment } from './experiment.ts';
import { registerDb } from './db.ts';
import { registerWorker } from './worker.ts';

const program = new Command('tierwise')
  .description('Tierwise: the upsell engine that knows which accounts outgrew their plan')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  // options after a sub-command's name are that sub-command's: `opportunity create X --db F` opens F
  .enablePositionalOptions()
  .exitOverride();

registerConfig(program);
registerCatalog(program);
registerSimulate(program);
registerImport(program);
registerDemo(program);
registerServe(program);
registerKeys(program);
registerScore(program);
registerAccounts(program);
registerExplain(program);
registerMetrics(program);
registerMilestones(program);
registerRun(program);
registerOutbox(program);
registerOpportunities(program);
registerDecide(program);
registerReport(program);
registerBacktest(program);
registerModel(program);
registerExperiment(program);
registerDb(program);
registerWorker(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    reportError(err);
  }
}
