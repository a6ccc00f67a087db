import { describe, expect, it } from 'vitest';
import { compile } from '@mdx-js/mdx';
import { VFile } from 'vfile';
import remarkCheckLabs from './remark-check-labs';
import { findManifest } from '../../labs/manifests';
import type { NumberParam } from '../../labs/kernel/manifest';

async function build(source: string): Promise<string> {
  const file = new VFile({ path: 'content/lessons/example.mdx', value: source });
  try {
    await compile(file, { remarkPlugins: [remarkCheckLabs] });
    return 'ok';
  } catch (error) {
    return String(error);
  }
}

const lesson = (body: string) => `# A lesson\n\nSome prose.\n\n${body}\n`;

describe('build-time checks of labs in lessons', () => {
  it('accepts a valid lab, preset and series', async () => {
    expect(await build(lesson('<Lab id="file-distribution" preset={{ peers: 200, afterDone: "leave" }} />'))).toBe('ok');
    expect(await build(lesson('<LabValue lab="file-distribution" preset={{ peers: 10 }} series="p2pBound" at={10} />'))).toBe('ok');
  });

  it('names the file, line and the labs that exist for an unknown lab id', async () => {
    const error = await build(lesson('<Lab id="file-distributon" />'));
    expect(error).toMatch(/content\/lessons\/example\.mdx:5:1/);
    expect(error).toMatch(/there is no lab "file-distributon"\. The labs are: file-distribution, /);
  });

  it('names an unknown parameter and lists the allowed ones', async () => {
    const error = await build(lesson('<Lab id="file-distribution" preset={{ peer: 200 }} />'));
    expect(error).toMatch(/example\.mdx:5:1/);
    expect(error).toMatch(/"peer" is not a parameter of the file-distribution lab; its parameters are peers, fileSize/);
  });

  it('rejects a value out of range with the allowed range', async () => {
    // One past the lab's own limit, whatever it is today.
    const peers = findManifest('file-distribution')!.params.find((p) => p.name === 'peers') as NumberParam;
    const error = await build(lesson(`Intro.\n\n<Lab id="file-distribution" preset={{ peers: ${peers.max * 2} }} />`));
    expect(error).toMatch(/example\.mdx:7:1/);
    expect(error).toContain(`must be a whole number from 1 to ${peers.max} peers; ${peers.max * 2} is out of range`);
  });

  it('rejects a wrong choice, a negative number and a wrong type', async () => {
    expect(await build(lesson('<Lab id="file-distribution" preset={{ afterDone: "linger" }} />'))).toMatch(/one of "stay", "leave"/);
    expect(await build(lesson('<Lab id="file-distribution" preset={{ fileSize: -2 }} />'))).toMatch(/-2 is out of range/);
    expect(await build(lesson('<Lab id="file-distribution" preset={{ peers: "many" }} />'))).toMatch(/must be a number/);
  });

  it('checks labs and series referenced by other components', async () => {
    expect(await build(lesson('<LabValue lab="file-distribution" series="p2pBund" />'))).toMatch(
      /no series "p2pBund"; its series are csBound, csSim, p2pBound/,
    );
    expect(
      await build(lesson('<NumericQuestion id="q" answerFrom={{ lab: "file-distribution", preset: { chunks: 0 }, series: "csBound" }} />')),
    ).toMatch(/Chunks per file must be a whole number from 1 to 256/);
    expect(await build(lesson('<PredictRun id="p" lab="nope" outcome={{ series: "csSim" }} />'))).toMatch(/no lab "nope"/);
  });

  it('checks the key number a component asks for', async () => {
    expect(await build(lesson('<LabValue lab="file-distribution" output="nope" />'))).toMatch(
      /the file-distribution lab has no output "nope"; its outputs are /,
    );
  });

  it('leaves presets computed at run time to the component', async () => {
    expect(await build(`export const mine = { peers: 5 }\n\n<Lab id="file-distribution" preset={mine} />\n`)).toBe('ok');
  });

  it('rejects a prop a component does not take, listing the props it takes', async () => {
    const error = await build(lesson('<Lab id="churn" case="memoryless" />'));
    expect(error).toMatch(/example\.mdx:5:1/);
    expect(error).toMatch(/<Lab> has no prop "case"; its props are id, preset, name, title\./);
    expect(await build(lesson('<LabValue lab="cost" output="breakEven" presets={{ users: 3 }} />'))).toMatch(
      /<LabValue> has no prop "presets"; its props are lab, preset, series, at, output, seed, format, unit\./,
    );
    expect(await build(lesson('<Claim lab="churn" quote>Peers leave.</Claim>'))).toMatch(
      /<Claim> has no prop "quote"; its props are lab\./,
    );
    expect(await build(lesson('<MultipleChoice id="q" options={[]} hints="x" answer={1} />'))).toMatch(
      /<MultipleChoice> has no props "hints", "answer"; its props are id, options, hint, multiple\./,
    );
  });

  it('reports every problem of a lesson at once, each with its line', async () => {
    const error = await build(lesson('<Lab id="churn" case="x" />\n\n<Lab id="churn" preset="nope" />'));
    expect(error).toMatch(/example\.mdx:5:1/);
    expect(error).toMatch(/<Lab> has no prop "case"/);
    expect(error).toMatch(/And 1 more:\n- line 7: <Lab>: the churn lab has no preset "nope"/);
  });

  it('knows a component by the file it is imported from, whatever its local name', async () => {
    const source = `import Quiz from '../../src/components/NumericQuestion.astro';\n\n<Quiz id="q" answer={3} tolerence={0.1} />\n`;
    expect(await build(source)).toMatch(/<Quiz> has no prop "tolerence"; its props are id, answer, answerFrom, tolerance/);
  });

  it('starts a lab from a named preset, and lists the names for an unknown one', async () => {
    expect(await build(lesson('<Lab id="churn" preset="memoryless" />'))).toBe('ok');
    const error = await build(lesson('<Lab id="churn" preset="memoryles" />'));
    expect(error).toMatch(/example\.mdx:5:1/);
    expect(error).toMatch(/the churn lab has no preset "memoryles"; its presets are "five-copies-vs-server", "memoryless", /);
    // Other components read values, not names: the message says what a preset is.
    expect(await build(lesson('<LabValue lab="churn" preset="memoryless" output="x" />'))).toMatch(
      /preset must be an object such as \{\{ /,
    );
  });
});

describe('variant questions in lessons', () => {
  const imports = [
    "import NumericQuestion from '../../src/components/NumericQuestion.astro';",
    "import VariantSeed from '../../src/components/VariantSeed.astro';",
    "import VariantValue from '../../src/components/VariantValue.astro';",
  ].join('\n');
  const variant =
    "{{ lab: 'file-distribution', preset: { peers: 300 }, series: 'p2pBound', vary: { peers: { from: 100, to: 1000, step: 50 }, peerUpload: [2, 5, 10] } }}";
  const question = (props = `variant=${variant}`, text = 'With <VariantValue name="peers" /> peers, how long?') =>
    `<NumericQuestion id="q" unit="s" ${props}>\n  ${text}\n</NumericQuestion>`;
  const page = (...blocks: string[]) => `${imports}\n\n# A lesson\n\n${blocks.join('\n\n')}\n`;

  it('accepts a variant question with its seed field and drawn values', async () => {
    expect(await build(page('<VariantSeed />', question()))).toBe('ok');
  });

  it('checks the variant against the lab’s manifest, naming the line', async () => {
    const error = await build(
      page(
        '<VariantSeed />',
        question("variant={{ lab: 'file-distribution', series: 'p2pBound', vary: { peers: { from: 0, to: 10, step: 1 }, nope: [1, 2] } }}"),
      ),
    );
    expect(error).toMatch(/example\.mdx:9:1/);
    expect(error).toMatch(
      /<NumericQuestion variant>: vary\.peers from: Largest number of peers N must be a whole number from 1 to 100000 peers; 0 is out of range\./,
    );
    expect(error).toMatch(/"nope" is not a parameter of the file-distribution lab/);
  });

  it('takes variant as a prop of NumericQuestion, and no unknown prop of the new components', async () => {
    expect(await build(page('<VariantSeed label="x" />', question()))).toMatch(/<VariantSeed> has no prop "label"; its props are \./);
    expect(await build(page('<VariantSeed />', question(`variants=${variant}`)))).toMatch(
      /<NumericQuestion> has no prop "variants"; its props are .*, variant\./,
    );
  });

  it('stops on a drawn value outside a variant question, or naming a parameter the lab lacks', async () => {
    expect(await build(page('<VariantSeed />', question(), 'Then <VariantValue name="peers" /> peers leave.'))).toMatch(
      /example\.mdx:13:6-13:\d+: <VariantValue> shows a number drawn for the student, so it belongs inside a <NumericQuestion variant/,
    );
    expect(await build(page('<VariantSeed />', question(), question('answer={3}')))).toMatch(
      /<VariantValue> shows a number drawn for the student/,
    );
    expect(await build(page('<VariantSeed />', question(`variant=${variant}`, 'With <VariantValue name="peer" /> peers?')))).toMatch(
      /<VariantValue name="peer">: the question’s lab has no parameter "peer"; its parameters are peers, fileSize, /,
    );
  });

  it('asks for exactly one seed field on a page with variant questions, and none without', async () => {
    expect(await build(page(question()))).toMatch(
      /<NumericQuestion variant> draws its numbers from the student’s seed, but the lesson has no <VariantSeed \/>/,
    );
    expect(await build(page('<VariantSeed />', question(), '<VariantSeed />'))).toMatch(
      /example\.mdx:13:1-13:\d+: <VariantSeed>: a lesson has one seed field/,
    );
    expect(await build(page('<VariantSeed />', question('answer={3}', 'How long?')))).toMatch(
      /<VariantSeed> is a seed field for variant questions, and the lesson has none/,
    );
  });
});

describe('glossary terms in lessons', () => {
  const termLesson = (body: string) => `import Term from '~/components/Term.astro';\n\n# A lesson\n\nA ${body} floods.\n`;

  it('accepts a term of the glossary, with or without words of its own', async () => {
    expect(await build(termLesson('<Term id="ttl" />'))).toBe('ok');
    expect(await build(termLesson('<Term id="finger-table">finger</Term>'))).toBe('ok');
  });

  it('stops on a term the glossary does not have, naming the file, line and close ids', async () => {
    const error = await build(termLesson('<Term id="ttls" />'));
    expect(error).toMatch(/example\.mdx:5:3/);
    expect(error).toMatch(/the glossary has no term "ttls"; did you mean "ttl"\?/);
    expect(error).toMatch(/content\/glossary\.yml/);
  });

  it('stops on a term without an id', async () => {
    expect(await build(termLesson('<Term>TTL</Term>'))).toMatch(/<Term> needs an id/);
  });
});

describe('a LabValue on a line of its own', () => {
  async function html(source: string): Promise<string> {
    const file = new VFile({ path: 'content/lessons/example.mdx', value: source });
    const compiled = await compile(file, { remarkPlugins: [remarkCheckLabs], outputFormat: 'function-body' });
    return String(compiled);
  }

  it('stays in the sentence it is written in: one paragraph, not three blocks', async () => {
    const code = await html('The swarm needs\n<LabValue lab="cost" output="breakEven" />\nto finish.\n\nNext paragraph.\n');
    // One <p> holds the text before, the value and the text after.
    expect(code).toMatch(
      /_jsxs\(_components\.p, \{\s*children: \["The swarm needs", "\\n", _jsx\(LabValue, \{[^}]*\}\), "\\n", "to finish\."\]/,
    );
    expect(code.match(/_components\.p,/g)).toHaveLength(2); // this sentence and the next paragraph
  });

  it('joins one side only when the other is a blank line, and leaves a value set apart alone', async () => {
    const trailing = await html('Peer-to-peer wins from\n<LabValue lab="cost" output="breakEven" />\n\nNext.\n');
    expect(trailing).toMatch(/children: \["Peer-to-peer wins from", "\\n", _jsx\(LabValue/);
    const apart = await html('Before.\n\n<LabValue lab="cost" output="breakEven" />\n\nAfter.\n');
    expect(apart).toMatch(/_jsx\(_components\.p, \{\s*children: "Before\."\s*\}\), "\\n", _jsx\(LabValue/);
  });
});
