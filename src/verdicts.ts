/// <reference types="vite/client" />
/**
 * The verdict on every claim a lab tests, read from content/verdicts.yml: the one place a
 * verdict is written. The comparison table's badges (Claim), each lab's list of claims (Lab),
 * the lesson "What the labs show" (Verdicts) and the revision sheet all read it from here.
 *
 * The claims themselves stay in the labs' manifests: a verdict names its claim word for word,
 * and the labs that test it are the labs whose manifests list it. A verdict for no lab's claim,
 * or a chart, preset or formula the lab does not have, stops the build, naming the entry. A claim
 * with no verdict yet (a lab just scaffolded with `npm run new-lab`) shows without a badge. Formulas are named by their label in the lab's manifest,
 * so their TeX is written once, there.
 */
import { parse } from 'yaml';
import { z } from 'astro/zod';
import type { LabManifest } from '../labs/kernel/manifest';
import { manifests } from '../labs/manifests';
import verdictsSource from '../content/verdicts.yml?raw';

export const VERDICT_KINDS = ['holds', 'depends', 'fails'] as const;
export type VerdictKind = (typeof VERDICT_KINDS)[number];

/** The badge's word and symbol: the verdict never rests on colour alone. */
export const VERDICT_LABELS: Readonly<Record<VerdictKind, { word: string; symbol: string }>> = {
  holds: { word: 'Holds', symbol: '✓' },
  depends: { word: 'Depends', symbol: '≈' },
  fails: { word: 'Fails', symbol: '✗' },
};

const entrySchema = z.strictObject({
  claim: z.string().trim().min(1),
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens'),
  title: z.string().trim().min(1),
  verdict: z.enum(VERDICT_KINDS),
  headline: z.string().trim().min(1),
  explanation: z.string().trim().min(1),
  decides: z.string().trim().min(1),
  /** Labels of formulas in the chart's lab's manifest (method.formulas): the TeX is written there. */
  formulas: z.array(z.string().min(1)).min(1),
  chart: z.strictObject({
    lab: z.string().min(1),
    chart: z.string().min(1),
    preset: z.string().min(1).optional(),
  }),
});

type Entry = z.infer<typeof entrySchema>;

export interface Verdict extends Entry {
  /** The labs whose manifests list this claim, in course order. */
  labs: ReadonlyArray<string>;
}

const FILE = 'content/verdicts.yml';

/**
 * Reads and checks the verdicts against the labs' manifests; throws one error that lists
 * every problem, each with the entry it is in.
 */
export function parseVerdicts(text: string, labManifests: ReadonlyArray<LabManifest>): Verdict[] {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new Error(`${FILE} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!Array.isArray(data)) throw new Error(`${FILE} must be a list of verdicts (each line starting "- claim: …").`);
  const problems: string[] = [];
  const verdicts: Verdict[] = [];
  const seenIds = new Set<string>();
  const seenClaims = new Set<string>();
  data.forEach((raw, index) => {
    const where = `${FILE}, entry ${index + 1}`;
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${where}: ${issue.path.join('.') || 'entry'}: ${issue.message}`);
      return;
    }
    const entry = parsed.data;
    if (seenIds.has(entry.id)) problems.push(`${where}: the id "${entry.id}" is used twice.`);
    if (seenClaims.has(entry.claim)) problems.push(`${where}: the claim "${entry.claim}" has two verdicts.`);
    seenIds.add(entry.id);
    seenClaims.add(entry.claim);
    const labs = labManifests.filter((manifest) => manifest.claims.includes(entry.claim)).map((manifest) => manifest.id);
    if (labs.length === 0) {
      problems.push(
        `${where}: "${entry.claim}" is not a claim of any lab; a verdict's claim must be word for word one of a manifest's claims.`,
      );
    }
    const chartLab = labManifests.find((manifest) => manifest.id === entry.chart.lab);
    if (!labs.includes(entry.chart.lab)) {
      problems.push(
        `${where}: chart.lab "${entry.chart.lab}" does not test this claim; the labs that do are ${labs.join(', ') || 'none'}.`,
      );
    } else if (chartLab) {
      if (!chartLab.charts.some((chart) => chart.id === entry.chart.chart)) {
        problems.push(
          `${where}: the ${chartLab.id} lab has no chart "${entry.chart.chart}"; its charts are ${chartLab.charts.map((c) => c.id).join(', ')}.`,
        );
      }
      const labels = chartLab.method.formulas.map((formula) => formula.label);
      for (const label of entry.formulas) {
        if (!labels.includes(label)) {
          problems.push(
            `${where}: the ${chartLab.id} lab has no formula "${label}"; its formulas are ${labels.map((l) => `"${l}"`).join(', ')}.`,
          );
        }
      }
      const preset = entry.chart.preset;
      if (preset !== undefined && !chartLab.presets?.some((candidate) => candidate.id === preset)) {
        problems.push(
          `${where}: the ${chartLab.id} lab has no preset "${preset}"; its presets are ${(chartLab.presets ?? []).map((p) => p.id).join(', ') || 'none'}.`,
        );
      }
    }
    verdicts.push({ ...entry, labs });
  });
  if (problems.length > 0) throw new Error(`The verdicts are not valid:\n- ${problems.join('\n- ')}`);
  return verdicts;
}

/** Every verdict, in the order of the article's comparison table. */
export const verdicts: ReadonlyArray<Verdict> = parseVerdicts(verdictsSource, manifests);

/** Spaces and typographic quotes as written in prose, so rendered text finds its claim. */
function normalise(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The formulas a verdict names, with their TeX, from its chart's lab. */
export function formulasOf(verdict: Verdict, labManifests: ReadonlyArray<LabManifest> = manifests): Array<{ label: string; tex: string }> {
  const lab = labManifests.find((manifest) => manifest.id === verdict.chart.lab);
  return verdict.formulas.flatMap((label) => lab?.method.formulas.filter((formula) => formula.label === label) ?? []);
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: ' ' };

/** The text of a fragment of rendered HTML: tags dropped, entities decoded. */
export function textOfHtml(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}

/** The verdict on a claim, found by its words; undefined for a sentence no lab tests. */
export function verdictFor(claim: string): Verdict | undefined {
  const wanted = normalise(claim);
  return verdicts.find((verdict) => normalise(verdict.claim) === wanted);
}

/** The site path (without the base) of the lesson that explains every verdict. */
export const VERDICTS_LESSON = 'lessons/verdicts/';

/** The site path (without the base) of the printable revision sheet. */
export const REVISION_PAGE = 'revision/';

/** The anchor of a verdict's section in that lesson. */
export function verdictAnchor(verdict: Pick<Verdict, 'id'>): string {
  return `verdict-${verdict.id}`;
}
