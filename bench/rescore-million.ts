// Child of bench/figures/engine.ts: prints the milliseconds of one full rescore of 1M accounts.
import { engineFiguresInput } from './rescore-input.ts';

const { texts, now, rescoreMs } = engineFiguresInput(process.argv[2] as string);
process.stdout.write(`${rescoreMs(texts, 1_000_000, now)}\n`);
