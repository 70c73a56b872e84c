// Child of bench/figures/engine.ts: one full rescore of 1M accounts by evaluate() per account (the
// reference), by the columnar kernel, and by an Engine's tick (a day's first, then a later one the
// same day), then its ranking read as a page and in full, then the ahead pass for the next day and that
// day's first tick, in one process; prints {reference, extract, kernel, first, second, page, pageAgain,
// pageStage, pageStageAgain, ranked, rankedAgain, ahead, firstAfterAhead} in ms.
import { engineFiguresInput } from './rescore-input.ts';
import { columnarRows, engineTicks, kernelMs } from './figures/engine.ts';

const N = 1_000_000;
const { texts, now, rescoreMs } = engineFiguresInput(process.argv[2] as string);
// each phase starts from a collected heap (with --expose-gc), not paying for the million states the one before left
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
gc();
const reference = rescoreMs(texts, N, now);
gc();
const { cols, extractMs } = columnarRows(texts, N, now);
const kernel = kernelMs(cols, N, now);
gc();
const ticks = engineTicks(texts, N, now);
process.stdout.write(`${JSON.stringify({ reference, extract: extractMs, kernel, ...ticks })}\n`);
