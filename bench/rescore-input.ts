import { serializeState } from '../src/core/state/serialize.ts';
import { foldAll, loadEvents, rescoreMs } from './figures/engine.ts';

export function engineFiguresInput(eventsFile: string) {
  const events = loadEvents(eventsFile);
  const texts = [...foldAll(events).values()].map(serializeState);
  let now = 0;
  for (const e of events) if (e.ts > now) now = e.ts;
  return { texts, now, rescoreMs };
}
