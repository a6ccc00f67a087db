import { describe, expect, it } from 'vitest';
import {
  clearPage,
  exerciseKey,
  field,
  isIndexList,
  loadAnswer,
  loadPageTally,
  loadVariantSeed,
  pageKey,
  removeAnswer,
  saveAnswer,
  savePageTally,
  saveVariantSeed,
  type StorageLike,
} from './storage';

/** An in-memory Storage with the same key order semantics as the browser's. */
function memoryStorage(initial: Record<string, string> = {}): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get length() {
      return data.size;
    },
    key: (index) => [...data.keys()][index] ?? null,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

/** Storage as private browsing or a full quota may present it: every call throws. */
const brokenStorage: StorageLike = {
  get length(): number {
    throw new Error('SecurityError');
  },
  key: () => {
    throw new Error('SecurityError');
  },
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
  removeItem: () => {
    throw new Error('SecurityError');
  },
};

describe('exercise storage', () => {
  it('names keys by page path and exercise id, the same for every spelling of a page', () => {
    expect(exerciseKey('/course/guides/exercises/', 'q1')).toBe('cs-p2p:exercise:/course/guides/exercises/:q1');
    expect(pageKey('/course/guides/exercises')).toBe('/course/guides/exercises/');
    expect(pageKey('/course/guides/exercises/index.html')).toBe('/course/guides/exercises/');
    expect(pageKey('/')).toBe('/');
  });

  it('saves, loads and removes an answer', () => {
    const storage = memoryStorage();
    expect(saveAnswer('q1', { selected: [1] }, '/a/', storage)).toBe(true);
    expect(loadAnswer('q1', '/a', storage)).toEqual({ selected: [1] });
    expect(loadAnswer('q2', '/a/', storage)).toBeNull();
    removeAnswer('q1', '/a/', storage);
    expect(loadAnswer('q1', '/a/', storage)).toBeNull();
  });

  it('clears one page’s answers and leaves other pages and other keys alone', () => {
    const storage = memoryStorage({ theme: 'dark' });
    saveAnswer('q1', 1, '/a/', storage);
    saveAnswer('q2', 2, '/a/', storage);
    saveAnswer('q1', 3, '/a/b/', storage);
    saveAnswer('q1', 4, '/ab/', storage);
    expect(clearPage('/a/', storage)).toBe(2);
    expect([...storage.data.keys()].sort()).toEqual(['cs-p2p:exercise:/a/b/:q1', 'cs-p2p:exercise:/ab/:q1', 'theme']);
  });

  it('never throws when storage is missing, throws or holds garbage', () => {
    expect(saveAnswer('q1', 1, '/a/', null)).toBe(false);
    expect(loadAnswer('q1', '/a/', null)).toBeNull();
    expect(clearPage('/a/', null)).toBe(0);
    expect(saveAnswer('q1', 1, '/a/', brokenStorage)).toBe(false);
    expect(loadAnswer('q1', '/a/', brokenStorage)).toBeNull();
    expect(() => removeAnswer('q1', '/a/', brokenStorage)).not.toThrow();
    expect(clearPage('/a/', brokenStorage)).toBe(0);
    const garbage = memoryStorage({ 'cs-p2p:exercise:/a/:q1': '{not json' });
    expect(loadAnswer('q1', '/a/', garbage)).toBeNull();
  });

  it('reads saved fields only when they have the expected type', () => {
    expect(field({ selected: [0, 2] }, 'selected', isIndexList)).toEqual([0, 2]);
    expect(field({ selected: [0, -1] }, 'selected', isIndexList)).toBeUndefined();
    expect(field({ selected: 'x' }, 'selected', isIndexList)).toBeUndefined();
    expect(field(null, 'selected', isIndexList)).toBeUndefined();
    expect(field(7, 'selected', isIndexList)).toBeUndefined();
  });
});

describe('page tallies, for the course’s progress page', () => {
  it('keeps one tally per page, read back whichever way the page was reached, apart from the answers', () => {
    const storage = memoryStorage();
    expect(savePageTally({ correct: 1, tried: 2, total: 3 }, '/course/lessons/churn', storage)).toBe(true);
    expect(loadPageTally('/course/lessons/churn/index.html', storage)).toEqual({ correct: 1, tried: 2, total: 3 });
    expect(loadPageTally('/course/lessons/lookup/', storage)).toBeNull();
    saveAnswer('q', { input: '1' }, '/course/lessons/churn/', storage);
    expect(clearPage('/course/lessons/churn/', storage)).toBe(1);
  });

  it('ignores a stored tally that is not one, and never throws when storage fails or is missing', () => {
    const storage = memoryStorage({
      'cs-p2p:progress:/a/': '{"correct": 3, "tried": 2, "total": 5}',
      'cs-p2p:progress:/b/': 'not json',
      'cs-p2p:progress:/c/': '{"correct": 1, "tried": 1}',
    });
    for (const page of ['/a/', '/b/', '/c/']) expect(loadPageTally(page, storage)).toBeNull();
    expect(savePageTally({ correct: 0, tried: 0, total: 1 }, '/a/', brokenStorage)).toBe(false);
    expect(loadPageTally('/a/', brokenStorage)).toBeNull();
    expect(savePageTally({ correct: 0, tried: 0, total: 1 }, '/a/', null)).toBe(false);
    expect(loadPageTally('/a/', null)).toBeNull();
  });
});

describe('a page’s seed for its variant questions', () => {
  it('is kept per page beside the answers, survives Reset my answers, and can be forgotten', () => {
    const storage = memoryStorage();
    expect(saveVariantSeed('S1234', '/course/lessons/homework/', storage)).toBe(true);
    expect(loadVariantSeed('/course/lessons/homework/index.html', storage)).toBe('S1234');
    expect(loadVariantSeed('/course/lessons/churn/', storage)).toBeNull();
    saveAnswer('q', { input: '1', seed: 's1234' }, '/course/lessons/homework/', storage);
    // Reset erases the answers only: the seed is who the student is, not an answer.
    expect(clearPage('/course/lessons/homework/', storage)).toBe(1);
    expect(loadVariantSeed('/course/lessons/homework/', storage)).toBe('S1234');
    expect(saveVariantSeed(null, '/course/lessons/homework/', storage)).toBe(true);
    expect(loadVariantSeed('/course/lessons/homework/', storage)).toBeNull();
    expect(storage.data.size).toBe(0);
  });

  it('is null when what is stored is not a seed, and never throws when storage fails or is missing', () => {
    const storage = memoryStorage({ 'cs-p2p:variant-seed:/a/': '{"seed": 7}', 'cs-p2p:variant-seed:/b/': 'not json' });
    expect(loadVariantSeed('/a/', storage)).toBeNull();
    expect(loadVariantSeed('/b/', storage)).toBeNull();
    expect(saveVariantSeed('x', '/a/', brokenStorage)).toBe(false);
    expect(saveVariantSeed(null, '/a/', brokenStorage)).toBe(false);
    expect(loadVariantSeed('/a/', brokenStorage)).toBeNull();
    expect(saveVariantSeed('x', '/a/', null)).toBe(false);
    expect(loadVariantSeed('/a/', null)).toBeNull();
  });
});
