/**
 * Resolves when the page is idle, or after `timeoutMs` on a page that stays busy. Where the
 * browser has no requestIdleCallback (Safari), in the next task.
 */
export function whenIdle(timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (window.requestIdleCallback) window.requestIdleCallback(() => resolve(), { timeout: timeoutMs });
    else setTimeout(resolve, 1);
  });
}
