import { describe, expect, it } from 'vitest';
import type { ChartSpec, NumberParam } from '../../labs/kernel/manifest';
import type { LabResult } from '../../labs/kernel/model';
import { manifest as fileDistribution } from '../../labs/file-distribution/manifest';
import {
  chartTable,
  decodePin,
  describeChart,
  encodePin,
  ignoredStateNote,
  pinLabel,
  shortText,
  readPin,
  readState,
  resultCsv,
  sliderPosition,
  sliderValue,
  writePin,
  writeState,
} from './state';
import { defaults } from '../../labs/kernel/manifest';

describe('lab state in the URL', () => {
  it('round-trips values and seed, and leaves other labs and keys alone', () => {
    const search = writeState('?other.peers=5&page=2', 'fd', { peers: 200, afterDone: 'leave' }, 9);
    const query = new URLSearchParams(search);
    expect(query.get('other.peers')).toBe('5');
    expect(query.get('page')).toBe('2');
    expect(readState(search, 'fd')).toEqual({ values: { peers: '200', afterDone: 'leave' }, seed: '9' });
    expect(readState(search, 'other')).toEqual({ values: { peers: '5' }, seed: null });
  });

  it('replaces a lab’s old values instead of adding to them', () => {
    const first = writeState('', 'fd', { peers: 200, chunks: 50 }, 1);
    const second = writeState(first, 'fd', { peers: 10 }, 2);
    expect(readState(second, 'fd')).toEqual({ values: { peers: '10' }, seed: '2' });
  });
});

describe('sliders', () => {
  const linear: NumberParam = { kind: 'number', name: 'a', label: 'A', unit: '', min: 0, max: 1, step: 0.05, default: 0 };
  const log: NumberParam = { kind: 'integer', name: 'n', label: 'N', unit: '', min: 1, max: 10_000, step: 1, default: 100, scale: 'log' };
  const logFromZero: NumberParam = {
    kind: 'number',
    name: 'u',
    label: 'u',
    unit: '',
    min: 0,
    max: 100,
    step: 0.01,
    default: 1,
    scale: 'log',
  };

  it.each([linear, log, logFromZero])('map the ends to the range and stay on its steps ($name)', (param) => {
    expect(sliderValue(param, 0)).toBe(param.min);
    expect(sliderValue(param, 1000)).toBe(param.max);
    let previous = -Infinity;
    for (let position = 0; position <= 1000; position += 7) {
      const value = sliderValue(param, position);
      expect(value).toBeGreaterThanOrEqual(previous);
      expect(value).toBeGreaterThanOrEqual(param.min);
      expect(value).toBeLessThanOrEqual(param.max);
      expect(Math.abs(value / param.step - Math.round(value / param.step))).toBeLessThan(1e-6);
      previous = value;
    }
  });

  it('spread decades evenly on a log scale and invert the position', () => {
    expect(sliderPosition(log, 1)).toBe(0);
    expect(sliderPosition(log, 100)).toBe(500);
    expect(sliderPosition(log, 10_000)).toBe(1000);
    expect(sliderValue(log, sliderPosition(log, 1000))).toBe(1000);
    expect(sliderPosition(linear, 0.25)).toBe(250);
    expect(sliderPosition(log, 1e9)).toBe(1000);
  });
});

const chart: ChartSpec = {
  id: 'c',
  title: 'Time, by peers',
  x: { label: 'Peers', scale: 'logarithmic' },
  y: { label: 'Time (s)' },
  series: [
    { key: 'bound', label: 'Bound', role: 'reference' },
    { key: 'sim', label: 'Simulated, "chunked"', role: 'simulated' },
    { key: 'none', label: 'Missing', role: 'simulated' },
  ],
};
const result: LabResult = {
  series: {
    bound: [
      [1, 10],
      [10, 100],
      [100, 1000],
    ],
    sim: [
      [1, 12],
      [10, 1500],
      [100, 900],
    ],
  },
  summary: 's',
  verdict: 'v',
};

describe('tables and CSV', () => {
  it('build one row per x with blanks where a series has no point', () => {
    const table = chartTable(chart, result);
    expect(table.columns).toEqual(['Peers', 'Bound', 'Simulated, "chunked"', 'Missing']);
    expect(table.rows).toEqual([
      [1, 10, 12, null],
      [10, 100, 1500, null],
      [100, 1000, 900, null],
    ]);
  });

  it('write every point in long form, quoting fields that need it', () => {
    const csv = resultCsv({ ...fileDistribution, charts: [chart] }, result);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('lab,chart,series,role,x,y,y_low_95,y_high_95');
    expect(lines).toContain('file-distribution,"Time, by peers","Simulated, ""chunked""",simulated,10,1500,,');
    expect(lines).toHaveLength(1 + 3 + 3);
  });
});

describe('chart descriptions', () => {
  it('say what is plotted and where each series starts, ends and peaks', () => {
    const text = describeChart(chart, result);
    expect(text).toContain('Time, by peers: Time (s) against Peers (logarithmic scale).');
    expect(text).toContain('Bound (formula, 3 points): from 10 at 1 to 1,000 at 100.');
    expect(text).toContain('Simulated, "chunked" (simulation, 3 points): from 12 at 1 to 900 at 100, highest 1,500 at 10.');
    expect(text).toContain('Missing (simulation): no points.');
  });
});

describe('pinned runs', () => {
  it('round-trip through the URL beside the lab state, and survive a new run', () => {
    const pin = encodePin({ peers: 100, afterDone: 'stay' }, 7);
    expect(decodePin(pin)).toEqual({ values: { peers: '100', afterDone: 'stay' }, seed: '7' });
    let search = writePin('?other.x=1', 'fd', pin);
    search = writeState(search, 'fd', { peers: 1000 }, 1);
    expect(new URLSearchParams(search).get('fd.pin')).toBe(pin);
    expect(readPin(search, 'fd')).toEqual(decodePin(pin));
    expect(readPin(search, 'other')).toBeNull();
    expect(readState(search, 'fd').values).toEqual({ peers: '1000' });
    expect(new URLSearchParams(writePin(search, 'fd', null)).has('fd.pin')).toBe(false);
  });

  it('reject malformed text instead of guessing', () => {
    expect(decodePin('peers100;seed:1')).toBeNull();
    expect(decodePin('peers:100')).toBeNull();
    expect(decodePin('')).toBeNull();
  });

  it('are labelled with the parameters that differ', () => {
    const values = { ...defaults(fileDistribution), peers: 100 };
    expect(pinLabel(fileDistribution, values, 1, defaults(fileDistribution), 1)).toBe('pinned: Largest number of peers N = 100 peers');
    expect(pinLabel(fileDistribution, defaults(fileDistribution), 2, defaults(fileDistribution), 1)).toBe('pinned: seed 2');
    expect(pinLabel(fileDistribution, defaults(fileDistribution), 1, defaults(fileDistribution), 1)).toBe('pinned: same settings');
  });
});

describe('what a link carries that a lab ignores', () => {
  const params = ['peers', 'chunks'];
  it('says nothing when every key is this lab’s or another lab’s on the page', () => {
    expect(ignoredStateNote('?fd.peers=5&fd.seed=2&fd.pin=peers:3;seed:1&churn.peers=9', 'fd', params, ['fd', 'churn'])).toBeNull();
    expect(ignoredStateNote('', 'fd', params, ['fd'])).toBeNull();
  });

  it('names unknown settings, keys given twice, and keys of no lab on the page', () => {
    const note = ignoredStateNote('?fd.peer=5&fd.chunks=1&fd.chunks=2&peers=7&lookup.ttl=3', 'fd', params, ['fd']);
    expect(note).toMatch(/not settings of this lab: “fd\.peer”/);
    expect(note).toMatch(/given more than once \(the first is used\): “fd\.chunks”/);
    expect(note).toMatch(/for no lab on this page: “peers”, “lookup\.ttl”/);
  });

  it('leaves keys of no lab to the page’s first lab, so they are named once', () => {
    expect(ignoredStateNote('?x=1', 'second', params, ['first', 'second'])).toBeNull();
  });

  it('keeps the first of a key given twice, as the note says', () => {
    expect(readState('?fd.chunks=1&fd.chunks=2&fd.seed=4&fd.seed=5', 'fd')).toEqual({ values: { chunks: '1' }, seed: '4' });
  });

  it('cuts long keys and many keys short', () => {
    const note = ignoredStateNote(`?fd.${'x'.repeat(10_000)}=1&a=1&b=1&c=1&d=1&e=1&f=1`, 'fd', params, ['fd'])!;
    expect(note.length).toBeLessThan(400);
    expect(note).toMatch(/and 1 more/);
    expect(shortText('abcdef', 4)).toBe('abc…');
    expect(shortText('abc', 4)).toBe('abc');
  });
});
