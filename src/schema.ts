/**
 * The course's own frontmatter fields, on top of Starlight's. Kept in a module of its
 * own so that the content collection (src/content.config.ts) and the lesson scaffold's
 * tests (scripts/new-lesson.test.ts) validate with exactly the same rules.
 */
import { z } from 'astro/zod';

/** Every page declares where it sits in the course and what a reader will learn. */
export const courseFields = z.object({
  /**
   * Position in the sidebar and in previous/next links, within its part; lower comes first.
   * Starlight's `sidebar.order`, when given, takes its place.
   */
  order: z.number().int().min(0),
  /** What a reader can do after the page; at least one. */
  objectives: z.array(z.string().min(1)).min(1),
  description: z.string().min(1),
});

/**
 * A part of the course (a week, a module): the optional `part.yml` in a subfolder of
 * content/lessons/. Strict, so that a misspelt key (`titel:`) is an error, not ignored.
 */
export const partFields = z.strictObject({
  /** The part's label in the sidebar. */
  title: z.string().trim().min(1),
  /** The part's place among the parts, lowest first; parts without one come last. */
  order: z.number().int().min(0).optional(),
});
