// Trained models are kept in the store's meta table, versioned: `model.v<N>` holds a model with its
// training window and report, `model.latest` the newest version. Scoring loads the newest and uses
// it only while it is active (it beat the rules on its holdout). No new table: every store already
// passes the meta contract, so the SQLite and PostgreSQL stores need nothing new.
import type { PropensityModel } from '../core/model/train.ts';
import type { StateStore } from './ports.ts';

type MetaStore = Pick<StateStore, 'getMeta' | 'setMeta'>;

export const MODEL_LATEST_KEY = 'model.latest';
const versionKey = (v: number): string => `model.v${v}`;

export interface StoredModel {
  version: number;
  /** when it was trained (ms) and the data it saw */
  trainedAt: number;
  window: { dataFrom: number; dataTo: number; snapshots: number; accounts: number };
  model: PropensityModel;
  /** later re-checks (`tierwise model evaluate`) */
  evaluations: { at: number; from: number; to: number; rows: number; modelAuc: number; rulesAuc: number; modelBrier: number; rulesBrier: number; beatsRules: boolean }[];
}

export async function latestModel(store: MetaStore): Promise<StoredModel | undefined> {
  const v = await store.getMeta(MODEL_LATEST_KEY);
  return v === undefined ? undefined : loadModel(store, Number(v));
}

export async function loadModel(store: MetaStore, version: number): Promise<StoredModel | undefined> {
  const text = await store.getMeta(versionKey(version));
  return text === undefined ? undefined : (JSON.parse(text) as StoredModel);
}

/** Stores a new version and makes it the latest; returns its version number. */
export async function saveNewModel(store: MetaStore, m: Omit<StoredModel, 'version' | 'evaluations'>): Promise<StoredModel> {
  const prev = Number((await store.getMeta(MODEL_LATEST_KEY)) ?? 0);
  const stored: StoredModel = { ...m, version: prev + 1, evaluations: [] };
  await store.setMeta(versionKey(stored.version), JSON.stringify(stored));
  await store.setMeta(MODEL_LATEST_KEY, String(stored.version));
  return stored;
}

export async function updateModel(store: MetaStore, m: StoredModel): Promise<void> {
  await store.setMeta(versionKey(m.version), JSON.stringify(m));
}
