// `tierwise model train|evaluate`: weekly snapshots of the store's history, a model fitted and
// judged against the rules on the later weeks, stored as a new version; later, the stored model
// re-checked on weeks it has not seen.
import type { Catalog } from '../core/catalog/types.ts';
import { FEATURES } from '../core/model/features.ts';
import { evaluateModel, trainModel, type Quality } from '../core/model/train.ts';
import type { EngineSettings } from '../core/scoring/settings.ts';
import { eventsInTimeOrder, snapshotsFromEvents } from './model-snapshots.ts';
import { latestModel, saveNewModel, updateModel, type StoredModel } from './model-store.ts';
import type { EventStore, StateStore } from './ports.ts';

type ModelDeps = { store: EventStore & Pick<StateStore, 'getMeta' | 'setMeta'>; catalog: Catalog; settings: EngineSettings };

export interface TrainRequest { horizonDays: number; testFrom?: number | undefined; l2?: number | undefined; trainedAt: number }

export async function trainFromStore(d: ModelDeps, r: TrainRequest): Promise<StoredModel> {
  const events = await eventsInTimeOrder(d.store);
  const set = snapshotsFromEvents(events, { catalog: d.catalog, settings: d.settings, horizonDays: r.horizonDays });
  const model = trainModel(set.snapshots, { features: FEATURES, horizonDays: r.horizonDays, testFrom: r.testFrom, l2: r.l2 });
  return saveNewModel(d.store, {
    trainedAt: r.trainedAt, model,
    window: { dataFrom: set.dataFrom, dataTo: set.dataTo, snapshots: set.snapshots.length, accounts: new Set(set.snapshots.map((s) => s.account)).size },
  });
}

export interface EvaluationResult { version: number; from: number; to: number; rows: number; model: Quality; rules: Quality; beatsRules: boolean; active: boolean }

export class NoModelError extends Error {
  readonly code = 'no_model';
}

/**
 * Re-checks the latest model on snapshots from `from` (default: the day after the data it was trained
 * on ended), recording the result; a model that no longer beats the rules is switched off.
 */
export async function evaluateLatest(d: ModelDeps, o: { from?: number | undefined; at: number }): Promise<EvaluationResult> {
  const stored = await latestModel(d.store);
  if (!stored) throw new NoModelError('no model has been trained yet: run `tierwise model train`');
  const from = o.from ?? stored.window.dataTo + 1;
  const events = await eventsInTimeOrder(d.store);
  const set = snapshotsFromEvents(events, { catalog: d.catalog, settings: d.settings, horizonDays: stored.model.report.horizonDays, from });
  if (set.snapshots.length === 0 || !set.snapshots.some((s) => s.y)) {
    throw new NoModelError(`no labelled weeks after ${new Date(from).toISOString().slice(0, 10)} with an expansion in them yet: a week is labelled once ${stored.model.report.horizonDays} days have passed after it`);
  }
  const r = evaluateModel(stored.model, set.snapshots);
  const times = set.snapshots.map((s) => s.at);
  const result: EvaluationResult = { version: stored.version, from: Math.min(...times), to: Math.max(...times), rows: set.snapshots.length, ...r, active: r.beatsRules };
  stored.evaluations.push({ at: o.at, from: result.from, to: result.to, rows: result.rows, modelAuc: r.model.auc, rulesAuc: r.rules.auc, modelBrier: r.model.brier, rulesBrier: r.rules.brier, beatsRules: r.beatsRules });
  stored.model.active = r.beatsRules;
  await updateModel(d.store, stored);
  return result;
}
