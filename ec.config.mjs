// @ts-check
// Expressive Code's options live here (not in astro.config.mjs) so that the <Code>
// component can read them too.
import { defineEcConfig } from '@astrojs/starlight/expressive-code';

/** A code block's <pre> scrolls sideways; it takes focus so a keyboard can scroll it (axe: scrollable-region-focusable). */
const focusableCode = {
  name: 'focusable-code',
  hooks: {
    /** @param {{ renderData: { blockAst: import('hast').Element } }} context */
    postprocessRenderedBlock({ renderData }) {
      /** @param {import('hast').ElementContent} node */
      const visit = (node) => {
        if (node.type !== 'element') return;
        if (node.tagName === 'pre') node.properties.tabIndex = 0;
        node.children.forEach(visit);
      };
      visit(renderData.blockAst);
    },
  },
};

export default defineEcConfig({ plugins: [focusableCode] });
