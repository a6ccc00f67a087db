import { describe, expect, it } from 'vitest';
import { compileHints } from './compile-hints';

describe('compile hints', () => {
  it('marks the named chunks only, at their first line', () => {
    const bundle = {
      'charts.abc.js': { type: 'chunk', name: 'charts', code: 'export const a = 1;' },
      'page.def.js': { type: 'chunk', name: 'page', code: 'export const b = 2;' },
      'style.css': { type: 'asset', name: 'charts', source: 'a{}' },
    };
    const plugin = compileHints(['charts']);
    (plugin.generateBundle as (options: unknown, bundle: unknown) => void).call(null, {}, bundle);
    expect(bundle['charts.abc.js'].code).toBe('//# allFunctionsCalledOnLoad\nexport const a = 1;');
    expect(bundle['page.def.js'].code).toBe('export const b = 2;');
    expect(bundle['style.css']).toEqual({ type: 'asset', name: 'charts', source: 'a{}' });
  });
});
