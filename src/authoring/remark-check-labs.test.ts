import { describe, expect, it } from 'vitest';
import { compile } from '@mdx-js/mdx';
import { VFile } from 'vfile';
import remarkCheckLabs from './remark-check-labs';

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
    const error = await build(lesson('Intro.\n\n<Lab id="file-distribution" preset={{ peers: 20000 }} />'));
    expect(error).toMatch(/example\.mdx:7:1/);
    expect(error).toMatch(/must be a whole number from 1 to 10000 peers; 20000 is out of range/);
  });

  it('rejects a wrong choice, a negative number and a wrong type', async () => {
    expect(await build(lesson('<Lab id="file-distribution" preset={{ afterDone: "linger" }} />'))).toMatch(/one of "stay", "leave"/);
    expect(await build(lesson('<Lab id="file-distribution" preset={{ fileSize: -2 }} />'))).toMatch(/-2 is out of range/);
    expect(await build(lesson('<Lab id="file-distribution" preset={{ peers: "many" }} />'))).toMatch(/must be a number/);
  });

  it('checks labs and series referenced by other components', async () => {
    expect(await build(lesson('<LabValue lab="file-distribution" series="p2pBund" />'))).toMatch(/no series "p2pBund"; its series are csBound, csSim, p2pBound/);
    expect(
      await build(lesson('<NumericQuestion id="q" answerFrom={{ lab: "file-distribution", preset: { chunks: 0 }, series: "csBound" }} />')),
    ).toMatch(/Chunks per file must be a whole number from 1 to 256/);
    expect(await build(lesson('<PredictRun id="p" lab="nope" outcome={{ series: "csSim" }} />'))).toMatch(/no lab "nope"/);
  });

  it('checks the key number a component asks for', async () => {
    expect(await build(lesson('<LabValue lab="file-distribution" output="nope" />'))).toMatch(/the file-distribution lab has no output "nope"; its outputs are /);
  });

  it('leaves presets computed at run time to the component', async () => {
    expect(await build(`export const mine = { peers: 5 }\n\n<Lab id="file-distribution" preset={mine} />\n`)).toBe('ok');
  });
});
