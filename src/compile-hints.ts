import type { Plugin } from 'vite';

/**
 * Marks chunks with V8's explicit compile hint, so that Chromium compiles every function in them
 * while the file downloads, off the main thread, instead of one by one as they are first called.
 * Chart.js's chunk is the one it is for: the first chart on a page was a task of 100–180 ms on a
 * slow machine, much of it compiling Chart.js's code (measured about a fifth less with the hint).
 * Other engines ignore the comment.
 */
export function compileHints(chunkNames: ReadonlyArray<string>): Plugin {
  return {
    name: 'compile-hints',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && chunkNames.includes(file.name)) file.code = `//# allFunctionsCalledOnLoad\n${file.code}`;
      }
    },
  };
}
