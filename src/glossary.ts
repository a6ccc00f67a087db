/// <reference types="vite/client" />
/**
 * The glossary, read from content/glossary.yml: one definition per term, shown on the
 * glossary page and in every <Term> pop-up. A <Term id> that is not here stops the build
 * (checked in the lesson by remark-check-labs, and again by the component).
 */
import { parse } from 'yaml';
import { z } from 'astro/zod';
import glossarySource from '../content/glossary.yml?raw';

const entrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens'),
  term: z.string().trim().min(1),
  definition: z.string().trim().min(1),
});

export type GlossaryEntry = z.infer<typeof entrySchema>;

const FILE = 'content/glossary.yml';

/** Reads and checks the glossary; one error lists every problem with its entry. */
export function parseGlossary(text: string): GlossaryEntry[] {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new Error(`${FILE} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!Array.isArray(data)) throw new Error(`${FILE} must be a list of terms (each starting "- id: …").`);
  const problems: string[] = [];
  const entries: GlossaryEntry[] = [];
  const ids = new Set<string>();
  data.forEach((raw, index) => {
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${FILE}, entry ${index + 1}: ${issue.path.join('.') || 'entry'}: ${issue.message}`);
      return;
    }
    if (ids.has(parsed.data.id)) problems.push(`${FILE}, entry ${index + 1}: the id "${parsed.data.id}" is used twice.`);
    ids.add(parsed.data.id);
    entries.push(parsed.data);
  });
  if (problems.length > 0) throw new Error(`The glossary is not valid:\n- ${problems.join('\n- ')}`);
  // Listed alphabetically, whatever order the file keeps.
  return entries.sort((a, b) => a.term.localeCompare(b.term, 'en', { sensitivity: 'base' }));
}

/** Every term, alphabetically. */
export const glossary: ReadonlyArray<GlossaryEntry> = parseGlossary(glossarySource);

export const termIds: ReadonlyArray<string> = glossary.map((entry) => entry.id);

/** The entry for an id, or an error message that lists the nearest ids. */
export function lookupTerm(id: string, entries: ReadonlyArray<GlossaryEntry> = glossary): { entry: GlossaryEntry } | { error: string } {
  const entry = entries.find((candidate) => candidate.id === id);
  if (entry) return { entry };
  const near = entries.filter((candidate) => candidate.id.startsWith(id.slice(0, 2).toLowerCase())).map((candidate) => candidate.id);
  const hint = near.length > 0 ? `did you mean ${near.map((n) => `"${n}"`).join(' or ')}? ` : '';
  return {
    error: `the glossary has no term "${id}"; ${hint}Add it to ${FILE} or use one of its ids: ${entries.map((e) => e.id).join(', ')}.`,
  };
}

/** The site path (without the base) of the glossary page. */
export const GLOSSARY_PAGE = 'glossary/';

/** The anchor of a term on the glossary page. */
export function termAnchor(id: string): string {
  return `term-${id}`;
}

let tips = 0;

/** An id for a term's pop-up, unique in the build (a page may use one term twice). */
export function nextTipId(id: string): string {
  tips += 1;
  return `term-tip-${id}-${tips}`;
}
