import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { componentProps } from './component-props';

/** The top-level keys of a component's `interface Props { … }`, read from its source. */
function declaredProps(component: string): string[] {
  const source = readFileSync(new URL(`../components/${component}.astro`, import.meta.url), 'utf8');
  const body = /\ninterface Props \{\n([\s\S]*?)\n\}/.exec(source)?.[1];
  if (body === undefined) throw new Error(`${component}.astro has no interface Props`);
  // Two spaces of indentation: the interface's own members, not those of a nested object type.
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((match) => match[1]!);
}

describe('the table of component props the build checks lessons against', () => {
  it.each(Object.keys(componentProps))('lists exactly the props %s.astro declares', (component) => {
    expect([...componentProps[component]!].sort()).toEqual(declaredProps(component).sort());
  });
});
