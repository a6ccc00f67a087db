import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { courseFields } from './schema';

/** Lessons live in the top-level content/ folder, the one place an instructor edits. */
export const collections = {
  docs: defineCollection({
    loader: glob({ pattern: '**/[^_]*.{md,mdx}', base: './content' }),
    schema: docsSchema({ extend: courseFields }),
  }),
  /**
   * The course's own words for Starlight's interface (src/content/i18n/en.json). Starlight
   * reads this collection on every page and warns at each build when it is missing.
   */
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
};
