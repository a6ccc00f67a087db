/**
 * Checks every lab reference in a lesson at build time, so that a wrong lab id, an
 * unknown parameter, a value out of range or an unknown series stops the build with
 * the lesson's file, line and column, and a message that says what is allowed.
 *
 * It reads the MDX syntax tree: `<Lab id preset>`, and any component with a `lab`
 * attribute (`<LabValue>`, `<PredictRun>`) or an `answerFrom={{ lab, ... }}` object.
 * Presets written as plain object literals, or a named preset of `<Lab>`, are checked
 * here; a preset computed from a variable is left to the component, which validates it
 * again when it renders.
 *
 * A glossary term, `<Term id>`, must name a term of content/glossary.yml.
 *
 * A numeric question's `variant` is checked against its lab's manifest (variant-check.ts);
 * a `<VariantValue>` must sit inside such a question and name a parameter of its lab; and a
 * lesson with variant questions has exactly one `<VariantSeed>`, the field that draws them.
 *
 * It also rejects a prop that a course component does not take (Astro would ignore
 * it silently), and joins a `<LabValue>` written on a line of its own back into the
 * sentence around it, which MDX would otherwise split into three blocks.
 */
import type { Paragraph, Parent, Root, RootContent } from 'mdast';
import type { MdxJsxAttribute, MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { findManifest, labIds } from '../../labs/manifests';
import { validateParams, type LabManifest } from '../../labs/kernel/manifest';
import { astroAttributes, componentProps } from './component-props';
import { lookupTerm } from '../glossary';
import { presetNames } from './presets';
import { checkVariant } from './variant-check';

type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;
type Literal = string | number | boolean | null | LiteralObject | Literal[];
interface LiteralObject {
  [key: string]: Literal;
}

/** Why an expression could not be read as a literal; such attributes are not checked here. */
class NotLiteral extends Error {}

// The estree nodes MDX attaches to attribute expressions, narrowed to what is read here.
interface EstreeNode {
  type: string;
  [key: string]: unknown;
}

function literalFrom(node: EstreeNode): Literal {
  switch (node.type) {
    case 'Literal': {
      const value = node['value'];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
      throw new NotLiteral();
    }
    case 'UnaryExpression': {
      const argument = literalFrom(node['argument'] as EstreeNode);
      if (node['operator'] === '-' && typeof argument === 'number') return -argument;
      if (node['operator'] === '+' && typeof argument === 'number') return argument;
      throw new NotLiteral();
    }
    case 'TemplateLiteral': {
      const quasis = node['quasis'] as Array<{ value: { cooked: string } }>;
      if ((node['expressions'] as unknown[]).length === 0 && quasis.length === 1) return quasis[0]!.value.cooked;
      throw new NotLiteral();
    }
    case 'ArrayExpression':
      return (node['elements'] as Array<EstreeNode | null>).map((element) => {
        // A hole ([1, , 2]) or a spread ([...values]) is not written out.
        if (element === null || element.type === 'SpreadElement') throw new NotLiteral();
        return literalFrom(element);
      });
    case 'ObjectExpression': {
      const result: LiteralObject = {};
      for (const property of node['properties'] as EstreeNode[]) {
        if (property.type !== 'Property' || property['computed']) throw new NotLiteral();
        const key = property['key'] as EstreeNode;
        const name = key.type === 'Identifier' ? (key['name'] as string) : String(key['value']);
        result[name] = literalFrom(property['value'] as EstreeNode);
      }
      return result;
    }
    default:
      throw new NotLiteral();
  }
}

/** An attribute computed at run time (a variable, a call): not checked here. */
export const COMPUTED = Symbol('computed');
type AttributeValue = Literal | undefined | typeof COMPUTED;

/** The literal value of a JSX attribute, `undefined` when absent, COMPUTED when not a literal. */
function attribute(element: JsxElement, name: string): AttributeValue {
  const found = element.attributes.find((a): a is MdxJsxAttribute => a.type === 'mdxJsxAttribute' && a.name === name);
  if (!found) return undefined;
  if (found.value === null || found.value === undefined) return true;
  if (typeof found.value === 'string') return found.value;
  const program = found.value.data?.estree as { body?: Array<{ expression?: EstreeNode }> } | undefined;
  const expression = program?.body?.[0]?.expression;
  try {
    return expression ? literalFrom(expression) : COMPUTED;
  } catch (error) {
    if (error instanceof NotLiteral) return COMPUTED;
    throw error;
  }
}

function isObject(value: AttributeValue): value is LiteralObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface LabReference {
  lab: AttributeValue;
  /** Whether `preset` may name one of the manifest's presets (only `<Lab>` does). */
  namedPreset?: boolean;
  preset?: AttributeValue;
  series?: AttributeValue;
  output?: AttributeValue;
}

/** Every problem with one reference, as messages; empty when it is fine. */
export function checkLabReference(reference: LabReference, where: string): string[] {
  const { lab, preset, series, output, namedPreset = false } = reference;
  if (lab === COMPUTED) return [];
  if (typeof lab !== 'string') return [`${where} needs a lab id (a string); the labs are: ${labIds.join(', ')}.`];
  const manifest = findManifest(lab);
  if (!manifest) return [`${where}: there is no lab "${lab}". The labs are: ${labIds.join(', ')}.`];
  const problems: string[] = [];
  if (preset !== undefined && preset !== COMPUTED) {
    if (namedPreset && typeof preset === 'string') {
      if (!manifest.presets?.some((candidate) => candidate.id === preset)) {
        problems.push(`${where}: the ${lab} lab has no preset "${preset}"; ${presetNames(manifest)}.`);
      }
    } else if (!isObject(preset)) {
      const named =
        namedPreset && (manifest.presets?.length ?? 0) > 0 ? `, or the name of one of its presets (${presetNames(manifest)})` : '';
      problems.push(`${where}: preset must be an object such as {{ ${manifest.params[0]?.name ?? 'name'}: … }}${named}.`);
    } else problems.push(...Object.values(validateParams(manifest, preset).errors).map((error) => `${where}: ${error}`));
  }
  if (series !== undefined && series !== COMPUTED) {
    const keys = seriesKeys(manifest);
    if (typeof series !== 'string' || !keys.includes(series)) {
      problems.push(`${where}: the ${lab} lab has no series "${String(series)}"; its series are ${keys.join(', ')}.`);
    }
  }
  if (output !== undefined && output !== COMPUTED) {
    const keys = (manifest.outputs ?? []).map((o) => o.key);
    if (typeof output !== 'string' || !keys.includes(output)) {
      problems.push(
        `${where}: the ${lab} lab has no output "${String(output)}"; its outputs are ${keys.length > 0 ? keys.join(', ') : 'none'}.`,
      );
    }
  }
  return problems;
}

function seriesKeys(manifest: LabManifest): string[] {
  return [...new Set(manifest.charts.flatMap((chart) => chart.series.map((s) => s.key)))];
}

function referencesOf(element: JsxElement, name: string): Array<{ reference: LabReference; where: string }> {
  const found: Array<{ reference: LabReference; where: string }> = [];
  if (name === 'Lab') {
    found.push({ reference: { lab: attribute(element, 'id'), preset: attribute(element, 'preset'), namedPreset: true }, where: `<Lab>` });
  } else if (name !== 'Claim' && element.attributes.some((a) => a.type === 'mdxJsxAttribute' && a.name === 'lab')) {
    // <Claim lab> may name a lab still to be written: it shows "(lab coming)" until then.
    const outcome = attribute(element, 'outcome');
    found.push({
      reference: {
        lab: attribute(element, 'lab'),
        preset: attribute(element, 'preset'),
        series: isObject(outcome) ? outcome['series'] : outcome === COMPUTED ? COMPUTED : attribute(element, 'series'),
        output: attribute(element, 'output'),
      },
      where: `<${name}>`,
    });
  }
  const answerFrom = attribute(element, 'answerFrom');
  if (isObject(answerFrom)) {
    found.push({
      reference: { lab: answerFrom['lab'], preset: answerFrom['preset'], series: answerFrom['series'], output: answerFrom['output'] },
      where: `<${name} answerFrom>`,
    });
  }
  return found;
}

/**
 * The course component each JSX name in a lesson stands for: the file an import names
 * (`import Quiz from '…/components/MultipleChoice.astro'`), else the name itself.
 */
function componentNames(tree: Root): Map<string, string> {
  const names = new Map<string, string>();
  for (const node of tree.children) {
    if (node.type !== 'mdxjsEsm') continue;
    const program = node.data?.estree as { body?: EstreeNode[] } | undefined;
    for (const statement of program?.body ?? []) {
      if (statement.type !== 'ImportDeclaration') continue;
      const component = /\/components\/(\w+)\.astro$/.exec(String((statement['source'] as EstreeNode)['value']))?.[1];
      if (!component) continue;
      for (const specifier of statement['specifiers'] as EstreeNode[]) {
        if (specifier.type === 'ImportDefaultSpecifier') names.set((specifier['local'] as EstreeNode)['name'] as string, component);
      }
    }
  }
  return names;
}

/** A prop the component does not declare, with the ones it does. */
function unknownProps(element: JsxElement, component: string): string | null {
  const allowed = componentProps[component];
  if (!allowed) return null;
  const unknown = element.attributes.flatMap((a) =>
    a.type === 'mdxJsxAttribute' && !allowed.includes(a.name) && !astroAttributes.includes(a.name) ? [a.name] : [],
  );
  if (unknown.length === 0) return null;
  const what = unknown.length === 1 ? `has no prop "${unknown[0]}"` : `has no props ${unknown.map((name) => `"${name}"`).join(', ')}`;
  return `<${element.name}> ${what}; its props are ${allowed.join(', ')}.`;
}

/** A <Term> whose id is missing or not in the glossary (content/glossary.yml). */
function termProblem(element: JsxElement): string | null {
  const id = attribute(element, 'id');
  if (id === COMPUTED) return null; // the component checks it again when it renders
  if (typeof id !== 'string') return `<${element.name}> needs an id, the term's id in content/glossary.yml (id="ttl").`;
  const found = lookupTerm(id);
  return 'error' in found ? `<${element.name} id="${id}">: ${found.error}` : null;
}

/**
 * In MDX a component alone on its line is a block, so
 *   The swarm needs
 *   <LabValue … />
 *   to finish.
 * would become three paragraphs. A <LabValue> block that touches the paragraph above or
 * below it (no blank line between) is put back inside that sentence as inline text.
 */
function joinInlineValues(parent: Parent, inline: (element: JsxElement) => boolean): void {
  const children = parent.children as RootContent[];
  for (let index = 0; index < children.length; index++) {
    const node = children[index]!;
    if (node.type !== 'mdxJsxFlowElement' || !inline(node)) continue;
    const before = children[index - 1];
    const after = children[index + 1];
    const touches = (a: RootContent | undefined, b: RootContent | undefined): boolean =>
      a?.position !== undefined && b?.position !== undefined && b.position.start.line === a.position.end.line + 1;
    const joinBefore = before?.type === 'paragraph' && touches(before, node);
    const joinAfter = after?.type === 'paragraph' && touches(node, after);
    if (!joinBefore && !joinAfter) continue;
    const value = { ...node, type: 'mdxJsxTextElement' } as unknown as MdxJsxTextElement;
    const newline = { type: 'text', value: '\n' } as const;
    const sentence: Paragraph = {
      type: 'paragraph',
      children: [
        ...(joinBefore ? [...(before as Paragraph).children, newline] : []),
        value,
        ...(joinAfter ? [newline, ...(after as Paragraph).children] : []),
      ],
      position: {
        start: (joinBefore ? before : node).position!.start,
        end: (joinAfter ? after : node).position!.end,
      },
    };
    const start = joinBefore ? index - 1 : index;
    children.splice(start, (joinBefore ? 1 : 0) + 1 + (joinAfter ? 1 : 0), sentence);
    index = start - 1; // look again from the joined sentence: the next value may join it too
  }
}

/** Everything wrong with the lesson's variant questions, their <VariantValue>s and its <VariantSeed>. */
function variantProblems(tree: Root, componentOf: (element: JsxElement) => string): Array<{ problem: string; element: JsxElement }> {
  const found: Array<{ problem: string; element: JsxElement }> = [];
  const seeds: JsxElement[] = [];
  const questions: JsxElement[] = [];
  // A walk that knows the question each node is inside, which `visit` does not tell.
  const walk = (node: Parent | RootContent, question: { element: JsxElement; parameters: string[] | null } | null): void => {
    let inside = question;
    if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
      const element = node as JsxElement;
      const component = componentOf(element);
      const variant = component === 'NumericQuestion' ? attribute(element, 'variant') : undefined;
      if (component === 'VariantSeed') seeds.push(element);
      if (variant !== undefined) {
        questions.push(element);
        let parameters: string[] | null = null;
        if (variant !== COMPUTED) {
          const checked = checkVariant(variant);
          if ('errors' in checked) found.push({ problem: `<${element.name} variant>: ${checked.errors.join(' ')}`, element });
          else parameters = Object.keys(checked.config.base);
        }
        inside = { element, parameters };
      } else if (component === 'NumericQuestion') inside = null;
      if (component === 'VariantValue') {
        const name = attribute(element, 'name');
        if (!question) {
          found.push({
            problem: `<${element.name}> shows a number drawn for the student, so it belongs inside a <NumericQuestion variant={{ … }}> (its question or its worked solution).`,
            element,
          });
        } else if (typeof name !== 'string' && name !== COMPUTED) {
          found.push({
            problem: `<${element.name}> needs a name, the parameter it shows (name="${question.parameters?.[0] ?? 'peers'}").`,
            element,
          });
        } else if (typeof name === 'string' && question.parameters && !question.parameters.includes(name)) {
          found.push({
            problem: `<${element.name} name="${name}">: the question’s lab has no parameter "${name}"; its parameters are ${question.parameters.join(', ')}.`,
            element,
          });
        }
      }
    }
    if ('children' in node) for (const child of node.children as RootContent[]) walk(child, inside);
  };
  walk(tree, null);
  if (questions.length > 0 && seeds.length === 0) {
    found.push({
      problem: `<${questions[0]!.name} variant> draws its numbers from the student’s seed, but the lesson has no <VariantSeed /> for the student to type it in. Import it from src/components/VariantSeed.astro and place it before the questions.`,
      element: questions[0]!,
    });
  }
  for (const extra of seeds.slice(1))
    found.push({
      problem: `<${extra.name}>: a lesson has one seed field, which draws every variant question on it; remove this one.`,
      element: extra,
    });
  if (seeds.length > 0 && questions.length === 0) {
    found.push({
      problem: `<${seeds[0]!.name}> is a seed field for variant questions, and the lesson has none (<NumericQuestion variant={{ … }}>).`,
      element: seeds[0]!,
    });
  }
  return found;
}

export default function remarkCheckLabs() {
  return (tree: Root, file: VFile): void => {
    const names = componentNames(tree);
    const componentOf = (element: JsxElement): string => names.get(element.name ?? '') ?? element.name ?? '';
    visit(tree, (node) => {
      if ('children' in node) joinInlineValues(node as Parent, (element) => componentOf(element) === 'LabValue');
    });
    // Every problem in the lesson is reported at once, so one build shows them all.
    const found: Array<{ problem: string; element: JsxElement }> = [];
    visit(tree, (node) => {
      if (node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') return;
      const element = node as JsxElement;
      const unknown = unknownProps(element, componentOf(element));
      if (unknown) found.push({ problem: unknown, element });
      const term = componentOf(element) === 'Term' ? termProblem(element) : null;
      if (term) found.push({ problem: term, element });
      for (const { reference, where } of referencesOf(element, componentOf(element))) {
        const problems = checkLabReference(reference, where);
        if (problems.length > 0) found.push({ problem: problems.join(' '), element });
      }
    });
    found.push(...variantProblems(tree, componentOf));
    if (found.length === 0) return;
    // In the order of the lesson, so that the first problem reported is the first in the file.
    found.sort((a, b) => (a.element.position?.start.offset ?? 0) - (b.element.position?.start.offset ?? 0));
    const first = found[0]!;
    const others = found.slice(1).map(({ problem, element }) => `\n- line ${element.position?.start.line ?? '?'}: ${problem}`);
    // file.fail throws a message that carries the file path and the first problem's line and column.
    file.fail(
      `${first.problem}${others.length > 0 ? `\nAnd ${others.length} more:${others.join('')}` : ''}`,
      first.element.position ?? undefined,
    );
  };
}
