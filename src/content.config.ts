import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { z } from 'astro/zod';

/**
 * Lessons live in the top-level content/ folder, the one place an instructor edits.
 * Every page declares where it sits in the course and what a reader will learn.
 */
const courseFields = z.object({
  /** Position in the sidebar and in previous/next links; lower comes first. */
  order: z.number().int().min(0),
  /** What a reader can do after the page; at least one. */
  objectives: z.array(z.string().min(1)).min(1),
  description: z.string().min(1),
});

export const collections = {
  docs: defineCollection({
    loader: glob({ pattern: '**/[^_]*.{md,mdx}', base: './content' }),
    schema: docsSchema({ extend: courseFields }),
  }),
};
