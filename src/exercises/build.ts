/**
 * Build-time checks and markup helpers shared by the exercise components. Nothing
 * here reaches the browser.
 */

const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
const IDS_ON_PAGE = Symbol.for('cs-p2p:exercise-ids');

/**
 * Checks an exercise id: a saved answer is stored under it, so it must be present,
 * simple, and unique on its page. `locals` is the page render's Astro.locals, which
 * every component of one page shares, so a second use of an id is caught.
 */
export function claimExerciseId(where: string, id: unknown, locals?: object): string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new Error(
      `${where}: id must be a word of letters, digits, "-" or "_" starting with a letter (such as "bound-quiz"), not ${JSON.stringify(id)}. ` +
        'A student’s answer is saved under it.',
    );
  }
  if (locals) {
    const holder = locals as { [IDS_ON_PAGE]?: Set<string> };
    const ids = (holder[IDS_ON_PAGE] ??= new Set<string>());
    if (ids.has(id)) {
      throw new Error(
        `${where}: another exercise on this page already has id "${id}". Give each exercise its own id; answers are saved under it.`,
      );
    }
    ids.add(id);
  }
  return id;
}

// Elements that may not sit inside a <legend> (which takes phrasing content only).
const BLOCK = /<(?:p|div|ul|ol|li|dl|pre|table|blockquote|h[1-6]|figure|section|aside|details|hr|form)\b/i;

/**
 * A question's rendered slot, split for the markup: a one-paragraph question can
 * be a fieldset's <legend> itself; anything with blocks (a list, a code block, two
 * paragraphs) goes beside it and labels the group by id instead.
 */
export function splitQuestion(html: string): { inline: boolean; html: string } {
  const trimmed = html.trim();
  const single = /^<p>([\s\S]*)<\/p>$/.exec(trimmed);
  if (single && !BLOCK.test(single[1] ?? '')) return { inline: true, html: single[1] ?? '' };
  if (!BLOCK.test(trimmed)) return { inline: true, html: trimmed };
  return { inline: false, html: trimmed };
}
