import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { courseFields, describeProblems, FRONTMATTER_PROBLEMS } from './schema';

const lessonSchema = docsSchema({ extend: courseFields });
type SchemaContext = Parameters<typeof lessonSchema>[0];

/**
 * Strict in a build; in `npm start` a page with wrong frontmatter becomes a placeholder that
 * carries its problems (see FRONTMATTER_PROBLEMS), so the dev server neither stops nor drops
 * the page, and the reader sees the problems in the browser.
 */
function docsCollectionSchema(context: SchemaContext) {
  const strict = lessonSchema(context);
  if (!import.meta.env.DEV) return strict;
  // The issues a catch sees have no messages yet: parsing again gives them their words.
  const issuesWithMessages = (issues: Parameters<typeof describeProblems>[0], value: unknown) => {
    const again = strict.safeParse(value);
    return again.success ? issues : again.error.issues;
  };
  return strict.catch(({ issues, value }) => {
    const given = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const title = typeof given['title'] === 'string' && given['title'].trim() !== '' ? given['title'] : 'A page with frontmatter problems';
    return strict.parse({
      title,
      description: 'This page’s frontmatter has problems.',
      order: 0,
      objectives: ['Fix the frontmatter.'],
      banner: { content: FRONTMATTER_PROBLEMS + JSON.stringify(describeProblems(issuesWithMessages(issues, value))) },
    });
  });
}

/** Lessons live in the top-level content/ folder, the one place an instructor edits. */
export const collections = {
  docs: defineCollection({
    loader: glob({ pattern: '**/[^_]*.{md,mdx}', base: './content' }),
    schema: docsCollectionSchema,
  }),
  /**
   * The course's own words for Starlight's interface (src/content/i18n/en.json). Starlight
   * reads this collection on every page and warns at each build when it is missing.
   */
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
};
