import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { courseFields } from './schema';

/** Lessons live in the top-level content/ folder, the one place an instructor edits. */
export const collections = {
  docs: defineCollection({
    loader: glob({ pattern: '**/[^_]*.{md,mdx}', base: './content' }),
    schema: docsSchema({ extend: courseFields }),
  }),
};
