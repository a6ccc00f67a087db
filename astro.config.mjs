// @ts-check
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { unified } from '@astrojs/markdown-remark';
import remarkCheckLabs from './src/authoring/remark-check-labs.ts';
import checkLinks from './src/check-links.ts';
import { cspDirectives, cspScriptSources, cspStyleSources } from './src/csp.ts';
import { compileHints } from './src/compile-hints.ts';
import { moveBuildTo, outDirPlan } from './src/out-dir.ts';
import { rehypeFocusableMath } from './src/authoring/focusable-scroll.ts';
import offline from './src/offline/integration.ts';

/** The site can be hosted under any path: BASE_PATH=/course/ npm run build. */
const base = process.env.BASE_PATH ?? '/';
/** The same, with one trailing slash, for addresses written by hand. */
const baseDir = base.endsWith('/') ? base : `${base}/`;

/**
 * The site's public address, such as https://example.edu (SITE_URL=https://example.edu).
 * With it the build writes a sitemap and canonical links; without it there is no sitemap,
 * since a sitemap needs absolute addresses (see the hosting guide).
 */
const site = process.env.SITE_URL || undefined;

/**
 * Starlight adds @astrojs/sitemap unless an integration of that name is present, and the
 * sitemap then warns on every build without `site`. Without SITE_URL this stands in for it.
 */
const noSitemap = { name: '@astrojs/sitemap', hooks: {} };

/** OUT_DIR=/any/folder npm run build writes the site there (dist/ by default). */
const outDir = outDirPlan(fileURLToPath(new URL('.', import.meta.url)), process.env.OUT_DIR ?? './dist');

export default defineConfig({
  base,
  ...(site ? { site } : {}),
  // Tests build into their own folder so they never overwrite the reader's dist/. A folder
  // outside the project is built inside it, then moved (src/out-dir.ts says why).
  outDir: outDir.outDir,
  trailingSlash: 'ignore',
  // Every page's Content-Security-Policy, in a <meta> tag (src/csp.ts says what it allows and why).
  security: {
    csp: {
      directives: [...cspDirectives],
      scriptDirective: { resources: [...cspScriptSources] },
      styleDirective: { resources: [...cspStyleSources] },
    },
  },
  vite: {
    plugins: [compileHints(['charts'])],
    resolve: {
      // Starlight's "On this page" highlight, replaced by a cheaper one (see the file).
      alias: [
        {
          find: /^.*\/components-internals\/TableOfContents\/starlight-toc(\.js)?$/,
          replacement: fileURLToPath(new URL('./src/components/starlight/toc.ts', import.meta.url)),
        },
      ],
    },
    build: {
      // A script or font inlined into the page (a data: URL, an inline module) would need
      // its hash in every policy; as files they are covered by 'self'. Other assets keep
      // Vite's default (undefined falls back to it).
      assetsInlineLimit: (file) => (/\.(m?js|woff2?|ttf|otf)$/.test(file) ? false : undefined),
      rolldownOptions: {
        // Astro marks every MDX page with a "use astro:head-inject" directive that the bundler
        // warns about once per page; harmless, and nothing an instructor can act on
        // (withastro/astro#18087). Every other warning still shows.
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('astro:head-inject')) return;
          warn(warning);
        },
      },
    },
  },
  markdown: {
    // Starlight highlights code with Expressive Code; Astro's own Shiki pass is unused, and
    // left on it warns on every build that it does not suit the Content-Security-Policy.
    syntaxHighlight: false,
    // The unified (remark/rehype) processor, for KaTeX math and the build-time checks
    // of every <Lab> and lab reference in a lesson.
    processor: unified({ remarkPlugins: [remarkMath, remarkCheckLabs], rehypePlugins: [rehypeKatex, rehypeFocusableMath] }),
  },
  integrations: [
    starlight({
      title: 'Client-server vs peer-to-peer',
      description: 'An explorable course: every claim about client-server and peer-to-peer networks, tested in a lab you can run.',
      customCss: ['katex/dist/katex.min.css', './src/styles/course.css'],
      // The web app manifest, for installing the course; offline support is src/offline/.
      head: [{ tag: 'link', attrs: { rel: 'manifest', href: `${baseDir}manifest.webmanifest` } }],
      // The sidebar and previous/next links come from each lesson's `order` (src/route-data.ts).
      routeMiddleware: './src/route-data.ts',
      lastUpdated: false,
      pagination: true,
      // The course's own 404 page (src/pages/404.astro): Starlight's warns on every build
      // without a docs entry named 404.
      disable404Route: true,
      // Starlight's inline scripts, which the site's Content-Security-Policy (src/csp.ts) blocks,
      // replaced by script files; the theme also works where storage is refused.
      components: {
        ThemeProvider: './src/components/starlight/ThemeProvider.astro',
        ThemeSelect: './src/components/starlight/ThemeSelect.astro',
        Search: './src/components/starlight/Search.astro',
        Sidebar: './src/components/starlight/Sidebar.astro',
      },
    }),
    ...(site ? [] : [noSitemap]),
    // After the build: every internal link leads to a page (and its #fragment exists).
    checkLinks(),
    // After Starlight's search index: a service worker that precaches the whole build.
    offline(),
    // Last, once everything that reads the build is done.
    ...(outDir.moveTo ? [moveBuildTo(outDir.moveTo)] : []),
  ],
});
