/**
 * Where a student's answers live: localStorage only, one key per exercise, named by
 * the page's path and the exercise's id (`cs-p2p:exercise:<pathname>:<id>`), so that
 * a page's answers can be erased together. Storage can be missing or refuse to write
 * (private browsing, a full quota, blocked cookies): every access is guarded, and an
 * exercise then simply forgets on reload.
 */

export const STORAGE_PREFIX = 'cs-p2p:exercise:';

/** Fired (bubbling) by an exercise whose status changed, for the progress summary. */
export const EXERCISE_CHANGE_EVENT = 'cs-p2p:exercise-change';
/** Fired on document when a page's answers are erased; every exercise clears itself. */
export const EXERCISE_RESET_EVENT = 'cs-p2p:exercise-reset';

/** What an exercise's root carries in data-exercise-status, for styling, progress and tests. */
export type ExerciseStatus = '' | 'correct' | 'incorrect';

/** The part of the Storage interface used here, so tests can pass a stand-in. */
export interface StorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The browser's localStorage, or null where reading it throws or it does not exist. */
export function browserStorage(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The same page whether it was reached as /a/b, /a/b/ or /a/b/index.html. */
export function pageKey(pathname: string): string {
  const path = pathname.replace(/\/index\.html?$/, '/');
  return path.endsWith('/') ? path : `${path}/`;
}

export function exerciseKey(pathname: string, id: string): string {
  return `${STORAGE_PREFIX}${pageKey(pathname)}:${id}`;
}

function currentPath(): string {
  return typeof location === 'undefined' ? '/' : location.pathname;
}

/** The saved value, or null when there is none, storage fails, or it is not JSON. */
export function loadAnswer(id: string, pathname = currentPath(), storage = browserStorage()): unknown {
  if (!storage) return null;
  try {
    const text = storage.getItem(exerciseKey(pathname, id));
    return text === null ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

/** Saves a value; false when storage is unavailable or full. */
export function saveAnswer(id: string, value: unknown, pathname = currentPath(), storage = browserStorage()): boolean {
  if (!storage) return false;
  try {
    storage.setItem(exerciseKey(pathname, id), JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export function removeAnswer(id: string, pathname = currentPath(), storage = browserStorage()): void {
  try {
    storage?.removeItem(exerciseKey(pathname, id));
  } catch {
    // Nothing to do: an answer that cannot be removed could not have been saved either.
  }
}

/** Erases every saved answer of one page (and no other page's); returns how many. */
export function clearPage(pathname = currentPath(), storage = browserStorage()): number {
  if (!storage) return 0;
  const prefix = `${STORAGE_PREFIX}${pageKey(pathname)}:`;
  try {
    // Collect first: removing while walking by index would skip keys.
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(prefix)) keys.push(key);
    }
    keys.forEach((key) => storage.removeItem(key));
    return keys.length;
  } catch {
    return 0;
  }
}

/** Records an exercise's status on its root, tells the progress summary, and keeps the page's tally. */
export function setStatus(root: HTMLElement, status: ExerciseStatus): void {
  root.dataset['exerciseStatus'] = status;
  root.dispatchEvent(new CustomEvent(EXERCISE_CHANGE_EVENT, { bubbles: true }));
  savePageTally(tallyExercises(root.ownerDocument));
}

/**
 * Each page's tally lives under a key of its own (`cs-p2p:progress:<pathname>`), apart
 * from the answers, so the course's progress page can read every page's without
 * knowing its exercises, and erasing a page's answers counts only answers.
 */
export const PROGRESS_PREFIX = 'cs-p2p:progress:';

export interface PageTally {
  /** Exercises answered right. */
  correct: number;
  /** Exercises answered, right or wrong. */
  tried: number;
  /** Exercises on the page. */
  total: number;
}

/** The tally of the exercises in a document, read from their status attributes. */
export function tallyExercises(root: ParentNode): PageTally {
  const statuses = [...root.querySelectorAll<HTMLElement>('[data-exercise]')].map((exercise) => exercise.dataset['exerciseStatus'] ?? '');
  return { correct: statuses.filter((s) => s === 'correct').length, tried: statuses.filter(Boolean).length, total: statuses.length };
}

export function savePageTally(tally: PageTally, pathname = currentPath(), storage = browserStorage()): boolean {
  if (!storage) return false;
  try {
    storage.setItem(`${PROGRESS_PREFIX}${pageKey(pathname)}`, JSON.stringify(tally));
    return true;
  } catch {
    return false;
  }
}

const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/** A page's saved tally, or null when there is none, storage fails, or what is stored is not a tally. */
export function loadPageTally(pathname: string, storage = browserStorage()): PageTally | null {
  if (!storage) return null;
  try {
    const text = storage.getItem(`${PROGRESS_PREFIX}${pageKey(pathname)}`);
    const record = text === null ? null : (JSON.parse(text) as unknown);
    const correct = field(record, 'correct', isCount);
    const tried = field(record, 'tried', isCount);
    const total = field(record, 'total', isCount);
    if (correct === undefined || tried === undefined || total === undefined || correct > tried || tried > total) return null;
    return { correct, tried, total };
  } catch {
    return null;
  }
}

/**
 * The seed a student drew a page's variant questions with (src/exercises/variants.ts), kept
 * beside the answers under a key of its own (`cs-p2p:variant-seed:<pathname>`): it is not an
 * answer, so **Reset my answers** keeps it, and the progress counts never see it.
 */
export const VARIANT_SEED_PREFIX = 'cs-p2p:variant-seed:';

/** The page's saved seed, or null when there is none, storage fails, or what is stored is not text. */
export function loadVariantSeed(pathname = currentPath(), storage = browserStorage()): string | null {
  if (!storage) return null;
  try {
    const text = storage.getItem(`${VARIANT_SEED_PREFIX}${pageKey(pathname)}`);
    const seed = text === null ? undefined : field(JSON.parse(text) as unknown, 'seed', isString);
    return seed ?? null;
  } catch {
    return null;
  }
}

/** Saves the page's seed, or forgets it (null); false when storage is unavailable or full. */
export function saveVariantSeed(seed: string | null, pathname = currentPath(), storage = browserStorage()): boolean {
  if (!storage) return false;
  const key = `${VARIANT_SEED_PREFIX}${pageKey(pathname)}`;
  try {
    if (seed === null) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify({ seed }));
    return true;
  } catch {
    return false;
  }
}

/** Reads a saved record's field with a type check, since storage can hold anything. */
export function field<T>(record: unknown, name: string, guard: (value: unknown) => value is T): T | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const value = (record as Record<string, unknown>)[name];
  return guard(value) ? value : undefined;
}

export const isString = (value: unknown): value is string => typeof value === 'string';
export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const isIndexList = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((item) => Number.isInteger(item) && (item as number) >= 0);
