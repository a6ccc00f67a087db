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

/**
 * In `npm start`, a page whose frontmatter is wrong still loads the course: the collection
 * keeps a placeholder whose banner starts with this marker and lists the problems, and the
 * page throws them (src/route-data.ts) into Astro's error overlay, naming the file. A build
 * validates strictly and stops on the first such page, as Astro does.
 */
export const FRONTMATTER_PROBLEMS = 'Frontmatter problems: ';

/** One line per problem, as `field: message`. */
export function describeProblems(
  issues: ReadonlyArray<{ path?: ReadonlyArray<PropertyKey> | undefined; message?: string | undefined }>,
): string[] {
  return issues.map(
    (issue) => `${issue.path && issue.path.length > 0 ? issue.path.map(String).join('.') : 'frontmatter'}: ${issue.message ?? 'not valid'}`,
  );
}
