// @tierwise/sdk: a zero-dependency fetch client for the Tierwise HTTP API (Node >= 20 and browsers).
export { TierwiseClient, type TierwiseClientOptions } from './client.ts';
export { TierwiseError, TierwiseNetworkError, type ItemError, type Problem } from './errors.ts';
export type {
  Account, AccountTraits, Checkout, DecideContext, Decision, EntitlementChange, Entitlements, EventInput, FeatureEntitlement, Grant, MeterLimit, EventOptions, EventType, IngestResult, NoShowCode, Prompt, PromptAction, PromptRecord,
  Trial, TrialOptions, TrialStarted, UsageDay, WireEvent,
} from './types.ts';
