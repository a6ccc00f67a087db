/**
 * Page weight: every page's JavaScript is measured against its budget where the page is
 * checked (tests/site/page-check.ts); here, lab pages link to their model's source
 * instead of carrying it.
 */
import { describe, expect, it } from 'vitest';
import { manifests } from '../../labs/manifests';
import { SITE } from './config';

describe('page weight', () => {
  it.each(manifests.map((m) => m.id))('the %s lab page links to its model source instead of inlining it', async (id) => {
    const html = await (await fetch(`${SITE}labs/${id}/`)).text();
    expect(html).not.toContain('class="expressive-code"');
    expect(html).toContain(`href="/course/labs/${id}/source/"`);
    const source = await (await fetch(`${SITE}labs/${id}/source/`)).text();
    expect(source).toContain('class="expressive-code"');
    expect(source).toContain(`labs/${id}/model.ts`);
  });
});
