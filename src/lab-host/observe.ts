/**
 * Loads the lab host only when a lab comes near the viewport, so a lesson's first
 * paint never waits for Chart.js or a worker.
 */
export function observeLabs(): void {
  const labs = document.querySelectorAll<HTMLElement>('section.lab[data-lab]:not([data-observed])');
  if (labs.length === 0) return;
  const mount = (lab: HTMLElement) => {
    void import('./mount').then(({ mountLab }) => mountLab(lab));
  };
  if (!('IntersectionObserver' in window)) {
    labs.forEach(mount);
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        mount(entry.target as HTMLElement);
      }
    },
    { rootMargin: '300px 0px' },
  );
  labs.forEach((lab) => {
    lab.dataset['observed'] = '';
    observer.observe(lab);
  });
}

/** A link to a lab's source code points inside closed <details>: open them so it shows. */
export function revealLinkedDetails(): void {
  let id: string;
  try {
    id = decodeURIComponent(window.location.hash.slice(1));
  } catch {
    // A malformed fragment ("#%") names nothing on the page.
    return;
  }
  const target = id ? document.getElementById(id) : null;
  if (!target) return;
  for (let node: Element | null = target; node; node = node.parentElement) {
    if (node instanceof HTMLDetailsElement) node.open = true;
  }
  target.scrollIntoView();
}
