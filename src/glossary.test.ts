import { describe, expect, it } from 'vitest';
import { glossary, lookupTerm, parseGlossary, termIds } from './glossary';

describe('the glossary', () => {
  it('has the terms the lessons rely on, each with a short definition', () => {
    for (const id of [
      'ttl',
      'dht',
      'finger-table',
      'churn',
      'session-time',
      'mtbf',
      'mttr',
      'erlang-c',
      'knee',
      'sybil',
      'giant-component',
      'percolation',
      'egress',
      'seeding',
      'free-rider',
    ]) {
      expect(termIds, id).toContain(id);
    }
    for (const entry of glossary) expect(entry.definition.length, entry.id).toBeLessThanOrEqual(240);
  });

  it('lists its terms alphabetically, whatever the file order', () => {
    const terms = glossary.map((entry) => entry.term);
    expect(terms).toEqual([...terms].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    const parsed = parseGlossary('- { id: zeta, term: Zeta, definition: Last. }\n- { id: alpha, term: alpha, definition: First. }\n');
    expect(parsed.map((entry) => entry.id)).toEqual(['alpha', 'zeta']);
  });

  it('finds a term by its id', () => {
    const found = lookupTerm('ttl');
    expect('entry' in found && found.entry.term).toMatch(/^TTL/);
  });

  it('names close ids and the file for an unknown one', () => {
    const found = lookupTerm('fingers');
    expect('error' in found && found.error).toMatch(/no term "fingers"; did you mean "finger-table"\?/);
    expect('error' in found && found.error).toMatch(/content\/glossary\.yml/);
  });

  it('rejects a repeated id, a bad id and a missing definition, naming each entry', () => {
    const text =
      '- { id: ttl, term: TTL, definition: A counter. }\n- { id: ttl, term: TTL again, definition: Twice. }\n- { id: Bad Id, term: X, definition: Y }\n- { id: empty, term: Empty }\n';
    expect(() => parseGlossary(text)).toThrow(/entry 2: the id "ttl" is used twice[\s\S]*entry 3: id: [\s\S]*entry 4: definition/);
  });
});
