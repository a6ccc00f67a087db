/**
 * Markdown with $math$ from a data file (content/verdicts.yml, content/glossary.yml), rendered
 * at build time by Astro's own Markdown processor with the same math plugins as the lessons.
 */
import { createMarkdownProcessor, type MarkdownRenderer } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';

let processor: Promise<MarkdownRenderer> | undefined;

/** HTML for a short Markdown text; `inline` drops the paragraph around a single one. */
export async function renderMarkdown(text: string, { inline = false }: { inline?: boolean } = {}): Promise<string> {
  processor ??= createMarkdownProcessor({
    syntaxHighlight: false,
    remarkPlugins: [remarkMath],
    rehypePlugins: [[rehypeKatex, { throwOnError: true }]],
  });
  const { code } = await (await processor).render(text);
  const html = code.trim();
  const single = /^<p>([\s\S]*)<\/p>$/.exec(html);
  return inline && single && !single[1]!.includes('<p>') ? single[1]! : html;
}
