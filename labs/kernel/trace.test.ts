import { describe, expect, it } from 'vitest';
import { MAX_FRAMES, TraceRecorder, idRingLayout, ringLayout, starLayout, traceBuffers, traceFromJson, traceToJson } from './trace';

const legend = [
  { label: 'waiting', tone: 'idle' as const },
  { label: 'done', tone: 'done' as const },
];

describe('the trace recorder', () => {
  it('snapshots states and levels per frame, carrying them over, and files messages under their frame', () => {
    const layout = { title: 'swarm', ...ringLayout(3), names: ['a', 'b', 'c'], levels: true };
    const recorder = new TraceRecorder([layout], legend, [{ label: 'chunk', tone: 'busy' }]);
    recorder.message(0, 0, 1);
    recorder.setLevel(0, 1, 0.5);
    recorder.frame(1, 'a sends to b');
    recorder.setState(0, 1, 1);
    recorder.setLevel(0, 1, 2);
    recorder.message(0, 1, 2);
    recorder.message(0, 0, 2);
    recorder.frame(2, 'b is done');
    recorder.message(0, 2, 0); // after the last frame: belongs to none
    const trace = recorder.finish('3 peers');
    const panel = trace.panels[0]!;
    expect([...trace.times]).toEqual([1, 2]);
    expect(trace.descriptions).toEqual(['a sends to b', 'b is done']);
    expect([...panel.states]).toEqual([0, 0, 0, 0, 1, 0]);
    expect([...panel.levels]).toEqual([0, 0.5, 0, 0, 1, 0]);
    expect([...panel.messageStart]).toEqual([0, 1, 3]);
    expect([...panel.messageFrom]).toEqual([0, 1, 0]);
    expect([...panel.messageTo]).toEqual([1, 2, 2]);
  });

  it('stops at MAX_FRAMES and says so', () => {
    const recorder = new TraceRecorder([{ title: 't', ...ringLayout(1), names: ['a'] }], legend, []);
    for (let i = 0; i < MAX_FRAMES + 10; i++) recorder.frame(i, '');
    expect(recorder.full).toBe(true);
    expect(recorder.finish('').times.length).toBe(MAX_FRAMES);
  });

  it('lists each buffer once for transfer', () => {
    const trace = new TraceRecorder([{ title: 't', ...ringLayout(2), names: ['a', 'b'] }], legend, []).finish('');
    const buffers = traceBuffers(trace);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(buffers.length).toBe(10);
  });
});

describe('layouts', () => {
  it('keep every node inside the unit square', () => {
    for (const { x, y } of [ringLayout(50), starLayout(30), idRingLayout([0, 2 ** 31, 2 ** 32 - 1], 2 ** 32)]) {
      for (const value of [...x, ...y]) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
    const star = starLayout(5);
    expect([star.x[0], star.y[0]]).toEqual([0.5, 0.5]);
  });
});

describe('a trace as JSON', () => {
  it('comes back with the same typed arrays and values', () => {
    const recorder = new TraceRecorder(
      [{ title: 'p', ...starLayout(4), names: ['s', 'a', 'b', 'c'], levels: true, edges: [0, 1, 0, 2] }],
      legend,
      [{ label: 'm', tone: 'busy' }],
    );
    recorder.message(0, 0, 3);
    recorder.setLevel(0, 2, 0.25);
    recorder.frame(0.5, 'one');
    const trace = recorder.finish('four nodes');
    const back = traceFromJson(traceToJson(trace));
    expect(back).toEqual(trace);
    expect(back.panels[0]!.states).toBeInstanceOf(Uint8Array);
    expect(back.times).toBeInstanceOf(Float64Array);
  });
});

describe('words per panel', () => {
  it('are kept when every frame gives them, and left out otherwise', () => {
    const layouts = [
      { title: 'a', ...ringLayout(2), names: ['x', 'y'] },
      { title: 'b', ...ringLayout(2), names: ['x', 'y'] },
    ];
    const both = new TraceRecorder(layouts, legend, []);
    both.frame(0, 'A: one. B: two.', ['one', 'two']);
    both.frame(1, 'A: three. B: four.', ['three', 'four']);
    const trace = both.finish('');
    expect(trace.panels.map((panel) => panel.descriptions)).toEqual([
      ['one', 'three'],
      ['two', 'four'],
    ]);
    const some = new TraceRecorder(layouts, legend, []);
    some.frame(0, 'x', ['one', 'two']);
    some.frame(1, 'y');
    expect(some.finish('').panels[0]!.descriptions).toBeUndefined();
  });
});
