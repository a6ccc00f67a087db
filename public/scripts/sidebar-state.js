/**
 * Restores the sidebar as the reader left it on the previous page (which groups were open,
 * how far it was scrolled), as Starlight's inline sidebar scripts do, from a file so the
 * site's Content-Security-Policy needs no inline script (src/components/starlight/Sidebar.astro
 * loads it just before the sidebar). Starlight's own page script saves the state. Where
 * storage is refused, or the sidebar is a menu (narrow screens), nothing is restored.
 */
(() => {
  /** @type {{ hash?: unknown, open?: unknown, scroll?: unknown } | null} */
  let state = null;
  try {
    if (!matchMedia('(min-width: 50em)').matches) return;
    state = JSON.parse(sessionStorage.getItem('sl-sidebar-state') || 'null');
  } catch {
    return;
  }
  if (!state || typeof state !== 'object') return;
  /** The saved state, if it was saved for this same sidebar. */
  const saved = (/** @type {Element} */ element) => {
    const persist = element.closest('sl-sidebar-state-persist');
    return persist instanceof HTMLElement && state?.hash === persist.dataset.hash ? state : null;
  };

  // One in each sidebar group, parsed just after the group's <summary>.
  customElements.define(
    'sl-sidebar-restore',
    class extends HTMLElement {
      connectedCallback() {
        const open = saved(this)?.open;
        const index = Number.parseInt(this.dataset.index ?? '', 10);
        const details = this.closest('details');
        if (details && Array.isArray(open) && typeof open[index] === 'boolean') details.open = open[index];
      }
    },
  );

  // Placed after the sidebar's tree, so every group is open or closed by then.
  customElements.define(
    'course-sidebar-scroll',
    class extends HTMLElement {
      connectedCallback() {
        const scroller = document.getElementById('starlight__sidebar');
        const persist = scroller?.querySelector('sl-sidebar-state-persist');
        const scroll = persist ? saved(persist)?.scroll : undefined;
        if (scroller && typeof scroll === 'number') scroller.scrollTop = scroll;
      }
    },
  );
})();
