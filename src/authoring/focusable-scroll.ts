/**
 * Boxes that may scroll sideways (display math on a phone, a long line of code) take
 * keyboard focus, so a reader without a mouse can scroll them (axe:
 * scrollable-region-focusable). KaTeX's display math is marked here, by a rehype plugin
 * that runs after rehype-katex; Expressive Code's blocks by the plugin in ec.config.mjs.
 */
import type { Element, Root } from 'hast';
import katex from 'katex';
import { visit } from 'unist-util-visit';

/** hast keeps an element's classes as a list. */
function classes(node: Element): string[] {
  const value = node.properties['className'];
  return Array.isArray(value) ? value.map(String) : [];
}

/** rehype: display equations scroll inside their own box and can be scrolled from the keyboard. */
export function rehypeFocusableMath() {
  return (tree: Root) =>
    visit(tree, 'element', (node: Element) => {
      if (classes(node).includes('katex-display')) node.properties['tabIndex'] = 0;
    });
}

/**
 * A formula as display math, for components that render TeX themselves: scrolls in its
 * own box like the lessons' math, and takes focus like it.
 */
export function displayMath(tex: string): string {
  return katex
    .renderToString(tex, { displayMode: true, throwOnError: true })
    .replace('<span class="katex-display"', '<span class="katex-display" tabindex="0"');
}
