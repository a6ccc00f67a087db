// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { unified } from '@astrojs/markdown-remark';
import remarkCheckLabs from './src/authoring/remark-check-labs.ts';

/** The site can be hosted under any path: BASE_PATH=/course/ npm run build. */
const base = process.env.BASE_PATH ?? '/';

export default defineConfig({
  base,
  // Tests build into their own folder so they never overwrite the reader's dist/.
  outDir: process.env.OUT_DIR ?? './dist',
  trailingSlash: 'ignore',
  markdown: {
    // The unified (remark/rehype) processor, for KaTeX math and the build-time checks
    // of every <Lab> and lab reference in a lesson.
    processor: unified({ remarkPlugins: [remarkMath, remarkCheckLabs], rehypePlugins: [rehypeKatex] }),
  },
  integrations: [
    starlight({
      title: 'Client-server vs peer-to-peer',
      description:
        'An explorable course: every claim about client-server and peer-to-peer networks, tested in a lab you can run.',
      customCss: ['katex/dist/katex.min.css', './src/styles/course.css'],
      // The sidebar and previous/next links come from each lesson's `order` (src/route-data.ts).
      routeMiddleware: './src/route-data.ts',
      lastUpdated: false,
      pagination: true,
    }),
  ],
});
