/**
 * Checks every lab reference in a lesson at build time, so that a wrong lab id, an
 * unknown parameter, a value out of range or an unknown series stops the build with
 * the lesson's file, line and column, and a message that says what is allowed.
 *
 * It reads the MDX syntax tree: `<Lab id preset>`, and any component with a `lab`
 * attribute (`<LabValue>`, `<PredictRun>`) or an `answerFrom={{ lab, ... }}` object.
 * Presets written as plain object literals are checked here; a preset computed from
 * a variable is left to the component, which validates it again when it renders.
 */
import type { Root } from 'mdast';
import type { MdxJsxAttribute, MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { findManifest, labIds } from '../../labs/manifests';
import { validateParams, type LabManifest } from '../../labs/kernel/manifest';

type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;
type Literal = string | number | boolean | null | LiteralObject;
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
  return typeof value === 'object' && value !== null;
}

export interface LabReference {
  lab: AttributeValue;
  preset?: AttributeValue;
  series?: AttributeValue;
  output?: AttributeValue;
}

/** Every problem with one reference, as messages; empty when it is fine. */
export function checkLabReference(reference: LabReference, where: string): string[] {
  const { lab, preset, series, output } = reference;
  if (lab === COMPUTED) return [];
  if (typeof lab !== 'string') return [`${where} needs a lab id (a string); the labs are: ${labIds.join(', ')}.`];
  const manifest = findManifest(lab);
  if (!manifest) return [`${where}: there is no lab "${lab}". The labs are: ${labIds.join(', ')}.`];
  const problems: string[] = [];
  if (preset !== undefined && preset !== COMPUTED) {
    if (!isObject(preset)) problems.push(`${where}: preset must be an object such as {{ ${manifest.params[0]?.name ?? 'name'}: … }}.`);
    else problems.push(...Object.values(validateParams(manifest, preset).errors).map((error) => `${where}: ${error}`));
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
      problems.push(`${where}: the ${lab} lab has no output "${String(output)}"; its outputs are ${keys.length > 0 ? keys.join(', ') : 'none'}.`);
    }
  }
  return problems;
}

function seriesKeys(manifest: LabManifest): string[] {
  return [...new Set(manifest.charts.flatMap((chart) => chart.series.map((s) => s.key)))];
}

function referencesOf(element: JsxElement): Array<{ reference: LabReference; where: string }> {
  const name = element.name ?? '';
  const found: Array<{ reference: LabReference; where: string }> = [];
  if (name === 'Lab') {
    found.push({ reference: { lab: attribute(element, 'id'), preset: attribute(element, 'preset') }, where: `<Lab>` });
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

export default function remarkCheckLabs() {
  return (tree: Root, file: VFile): void => {
    visit(tree, (node) => {
      if (node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') return;
      const element = node as JsxElement;
      for (const { reference, where } of referencesOf(element)) {
        const problems = checkLabReference(reference, where);
        // file.fail throws a message that carries the file path, line and column.
        if (problems.length > 0) file.fail(problems.join(' '), element.position ?? undefined);
      }
    });
  };
}
