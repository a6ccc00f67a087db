/**
 * The course's own frontmatter fields, on top of Starlight's. Kept in a module of its
 * own so that the content collection (src/content.config.ts) and the lesson scaffold's
 * tests (scripts/new-lesson.test.ts) validate with exactly the same rules.
 */
import { z } from 'astro/zod';

/** Every page declares where it sits in the course and what a reader will learn. */
export const courseFields = z.object({
  /** Position in the sidebar and in previous/next links; lower comes first. */
  order: z.number().int().min(0),
  /** What a reader can do after the page; at least one. */
  objectives: z.array(z.string().min(1)).min(1),
  description: z.string().min(1),
});
