/**
 * Starlight's "On this page" highlight, standing in for its own starlight-toc module (aliased
 * in astro.config.mjs; its mobile menu extends this class). Starlight's finds the section in
 * view by observing every block of the page through `:has()` selectors, a 50–120 ms task on a
 * lab page full of math on a slow phone. This one reads where the few headings the list links
 * to are, once per animation frame while the page scrolls: the current section is the last one
 * whose heading has come up to just under the header.
 */
import { whenIdle } from '../../when-idle';

export class StarlightTOC extends HTMLElement {
  private currentLink: HTMLAnchorElement | null = this.querySelector('a[aria-current="true"]');

  set current(link: HTMLAnchorElement) {
    if (link === this.currentLink) return;
    this.currentLink?.removeAttribute('aria-current');
    link.setAttribute('aria-current', 'true');
    this.currentLink = link;
  }

  constructor() {
    super();
    // When the page is idle, or within a second on a page busy loading its labs.
    void whenIdle(1000).then(() => this.init());
  }

  private init(): void {
    const sections = [...this.querySelectorAll<HTMLAnchorElement>('a')].flatMap((link) => {
      const heading = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      return heading ? [{ link, heading }] : [];
    });
    const first = sections[0];
    if (!first) return;
    let frame = 0;
    const update = () => {
      frame = 0;
      // A section is current once its heading is in the band Starlight watches: from the sticky
      // header and 2rem of padding down to 53 px below them.
      const line = (document.querySelector('header')?.getBoundingClientRect().height ?? 0) + 32 + 53;
      let current = first;
      for (const section of sections) {
        if (section.heading.getBoundingClientRect().top > line) break;
        current = section;
      }
      this.current = current.link;
    };
    const schedule = () => {
      frame ||= requestAnimationFrame(update);
    };
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule, { passive: true });
    update();
  }
}

customElements.define('starlight-toc', StarlightTOC);
