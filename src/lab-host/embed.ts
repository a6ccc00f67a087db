/**
 * The embed page (/embed/<lab>/) inside another site's iframe, e.g. a course in Moodle or
 * Canvas. It never touches storage (a third-party frame may not have any), and tells the
 * page around it how tall it is, so the frame can fit the lab without a scroll bar.
 */

/** The message the parent receives: `{ type: EMBED_HEIGHT_MESSAGE, lab, height }`, height in CSS pixels. */
export const EMBED_HEIGHT_MESSAGE = 'cs-p2p-lab:height';

export function reportHeight(lab: string): void {
  if (window.parent === window) return;
  let last = -1;
  const send = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // The height is no secret, and the course cannot know which site embeds it: any origin may read it.
    window.parent.postMessage({ type: EMBED_HEIGHT_MESSAGE, lab, height }, '*');
  };
  new ResizeObserver(send).observe(document.documentElement);
  send();
}
