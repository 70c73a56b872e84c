// Child of bench/figures/engine.ts: one full rescore of 1M accounts by evaluate() per account (the
// reference) and by the columnar kernel, in one process; prints {reference, extract, kernel} in ms.
import { engineFiguresInput } from './rescore-input.ts';
import { columnarRows, kernelMs } from './figures/engine.ts';

const N = 1_000_000;
const { texts, now, rescoreMs } = engineFiguresInput(process.argv[2] as string);
const reference = rescoreMs(texts, N, now);
const { cols, extractMs } = columnarRows(texts, N, now);
const kernel = kernelMs(cols, N, now);
process.stdout.write(`${JSON.stringify({ reference, extract: extractMs, kernel })}\n`);
