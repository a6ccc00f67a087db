/**
 * Offline support: every page gets ./register.ts, and after the build a Workbox service
 * worker (sw.js at the site's root, under its base path) precaches the whole output: pages,
 * scripts, lab workers, styles, fonts and the search index. Its URLs are relative to
 * sw.js, so the same build works under any base path.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { generateSW } from 'workbox-build';

export default function offline(): AstroIntegration {
  return {
    name: 'course-offline',
    hooks: {
      'astro:config:setup': ({ injectScript }) => {
        injectScript('page', `import ${JSON.stringify(fileURLToPath(new URL('./register.ts', import.meta.url)))};`);
      },
      'astro:build:done': async ({ dir, logger }) => {
        const out = fileURLToPath(dir);
        if (!existsSync(join(out, 'pagefind'))) {
          throw new Error('course-offline: the search index is not built yet; this integration must run after Starlight’s.');
        }
        const { count, size, warnings } = await generateSW({
          globDirectory: out,
          globPatterns: ['**/*.{html,js,mjs,css,svg,png,woff2,json,webmanifest}', 'pagefind/**/*'],
          globIgnores: ['sw.js', 'workbox-*.js'],
          swDest: join(out, 'sw.js'),
          // The search index's WebAssembly and the largest lab bundles are over Workbox's 2 MB default.
          maximumFileSizeToCacheInBytes: 10 * 1024 * 1024,
          // A lab's address carries its settings (?churn.peers=200): the page is the same file.
          ignoreURLParametersMatching: [/.*/],
          cleanupOutdatedCaches: true,
          clientsClaim: true,
          // A new version waits until the reader accepts the update prompt (register.ts).
          skipWaiting: false,
          mode: 'production',
          sourcemap: false,
        });
        for (const warning of warnings) logger.warn(warning);
        logger.info(`service worker: ${count} files (${(size / 1e6).toFixed(1)} MB) precached for offline use`);
      },
    },
  };
}
