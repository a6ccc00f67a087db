import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifests } from '../labs/manifests';
import type { LabManifest } from '../labs/kernel/manifest';
import { formulasOf, parseVerdicts, textOfHtml, verdictFor, verdicts } from './verdicts';

const source = readFileSync(new URL('../content/verdicts.yml', import.meta.url), 'utf8');

/** One lab with two claims, enough to exercise every rule. */
const lab = {
  ...manifests[0]!,
  id: 'toy',
  claims: ['Servers are slow.', 'Peers are fast.'],
  charts: [{ id: 'speed', title: 'Speed', x: { label: 'N' }, y: { label: 'time' }, series: [] }],
  presets: [{ id: 'big', label: 'Big', values: {} }],
  method: { assumptions: [], formulas: [{ label: 'Speed', tex: 'v = d/t' }], reference: '' },
} satisfies LabManifest;

function entry(claim: string, id: string, extra = ''): string {
  return `- claim: ${claim}
  id: ${id}
  title: A title
  verdict: holds
  headline: Holds.
  explanation: Because $x$.
  decides: $x$
  formulas: [Speed]
  chart: { lab: toy, chart: speed${extra} }
`;
}

describe('the verdicts file', () => {
  it('gives every claim of the course’s labs exactly one verdict', () => {
    for (const manifest of manifests) {
      for (const claim of manifest.claims) expect(verdictFor(claim), `${manifest.id}: ${claim}`).toBeDefined();
    }
    expect(new Set(verdicts.map((v) => v.claim)).size).toBe(verdicts.length);
  });

  it('takes the labs of a claim from the manifests, not from the file', () => {
    const overloaded = verdictFor('When many customers make simultaneous service requests, a server may become overloaded.');
    const expected = manifests.filter((m) => m.claims.includes(overloaded!.claim)).map((m) => m.id);
    expect(overloaded?.labs).toEqual(expected);
    expect(expected.length).toBeGreaterThan(1);
    expect(source).not.toMatch(/^\s*labs:/m);
  });

  it('has a verdict for every claim marked in the comparison table', () => {
    const lesson = readFileSync(new URL('../content/lessons/comparison.mdx', import.meta.url), 'utf8');
    const claims = [...lesson.matchAll(/<Claim lab="[^"]+">([^<]+)<\/Claim>/g)].map((match) => match[1]!);
    expect(claims.length).toBeGreaterThanOrEqual(13);
    for (const claim of claims) expect(verdictFor(claim), claim).toBeDefined();
  });

  it('takes each formula from the manifest of the lab that draws its chart', () => {
    for (const verdict of verdicts) {
      const formulas = formulasOf(verdict);
      expect(
        formulas.map((f) => f.label),
        verdict.id,
      ).toEqual(verdict.formulas);
      const lab = manifests.find((m) => m.id === verdict.chart.lab)!;
      for (const formula of formulas) expect(lab.method.formulas).toContainEqual(formula);
    }
  });

  it('reads the lab and verdict of a well-formed file', () => {
    const parsed = parseVerdicts(entry('Servers are slow.', 'slow') + entry('Peers are fast.', 'fast', ', preset: big'), [lab]);
    expect(parsed.map((v) => [v.id, v.verdict, v.labs])).toEqual([
      ['slow', 'holds', ['toy']],
      ['fast', 'holds', ['toy']],
    ]);
  });

  it('lets a claim go without a verdict (a lab just scaffolded), which then has no badge', () => {
    expect(parseVerdicts(entry('Servers are slow.', 'slow'), [lab]).map((v) => v.claim)).toEqual(['Servers are slow.']);
  });

  it('rejects a verdict on a sentence no lab tests', () => {
    const text = entry('Servers are slow.', 'slow') + entry('Peers are fast.', 'fast') + entry('The moon is cheese.', 'moon');
    expect(() => parseVerdicts(text, [lab])).toThrow(/entry 3: "The moon is cheese\." is not a claim of any lab/);
  });

  it('rejects an unknown verdict word, chart or preset, and a repeated id', () => {
    const text = [
      entry('Servers are slow.', 'slow'),
      entry('Peers are fast.', 'slow', ', preset: tiny').replace('chart: speed', 'chart: sped'),
      entry('Servers are slow.', 'slow-again').replace('verdict: holds', 'verdict: maybe'),
      entry('Servers are slow.', 'slower').replace('[Speed]', '[Sped]'),
    ].join('');
    const error = (() => {
      try {
        parseVerdicts(text, [lab]);
      } catch (thrown) {
        return String(thrown);
      }
      return '';
    })();
    expect(error).toMatch(/entry 3: verdict:/);
    expect(error).toMatch(/entry 2: the toy lab has no chart "sped"; its charts are speed/);
    expect(error).toMatch(/entry 2: the toy lab has no preset "tiny"; its presets are big/);
    expect(error).toMatch(/entry 2: the id "slow" is used twice/);
    expect(error).toMatch(/entry 4: the toy lab has no formula "Sped"; its formulas are "Speed"/);
  });
});

describe('finding a claim from rendered text', () => {
  it('decodes entities and typographic quotes', () => {
    const html = 'A Client-Server network is secure because the server can validate a client&#39;s access to <em>any</em> network area.';
    expect(textOfHtml(html)).toBe(
      "A Client-Server network is secure because the server can validate a client's access to any network area.",
    );
    expect(verdictFor(textOfHtml(html))?.id).toBe('server-secure');
    expect(verdictFor('A Client-Server network is secure because the server can validate a client’s access to any network area.')?.id).toBe(
      'server-secure',
    );
  });

  it('finds nothing for a sentence that is not a claim', () => {
    expect(verdictFor('In a client-server network, we have a server and clients that are connected to the server.')).toBeUndefined();
  });
});
