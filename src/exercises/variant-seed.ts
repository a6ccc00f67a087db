/**
 * The page's seed for its variant questions, shared by the seed field (<VariantSeed>) and
 * the questions (<NumericQuestion variant>) whatever order their scripts run in: each reads
 * it here when it sets up, and hears of a change through an event on the document. It lives
 * in storage (guarded: see storage.ts) and, where storage is refused, in this module for the
 * page's life.
 */
import { loadVariantSeed, saveVariantSeed } from './storage';

/** Fired on document when the seed changes; the detail is the new seed, or null for the standard numbers. */
export const VARIANT_SEED_EVENT = 'cs-p2p:variant-seed';
/** Fired (bubbling) by a variant question whose answer is computing, ready or failed, for the seed field's status. */
export const VARIANT_STATE_EVENT = 'cs-p2p:variant-state';

export interface VariantSeedDetail {
  seed: string | null;
}

/** What a variant question is doing, in its data-variant-state. */
export type VariantState = 'standard' | 'computing' | 'ready' | 'failed';

let current: string | null | undefined;

/** The seed in effect on this page, or null for the standard numbers. */
export function pageSeed(): string | null {
  current ??= loadVariantSeed();
  return current;
}

/** Sets the page's seed (null: the standard numbers) and tells the questions; false when it could not be saved. */
export function setPageSeed(seed: string | null): boolean {
  current = seed;
  const saved = saveVariantSeed(seed);
  document.dispatchEvent(new CustomEvent<VariantSeedDetail>(VARIANT_SEED_EVENT, { detail: { seed } }));
  return saved;
}
