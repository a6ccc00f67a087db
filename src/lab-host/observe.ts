/**
 * Loads the lab host only when a lab comes near the viewport, so a lesson's first
 * paint never waits for Chart.js or a worker.
 */
export function observeLabs(): void {
  const labs = document.querySelectorAll<HTMLElement>('section.lab[data-lab]:not([data-observed])');
  if (labs.length === 0) return;
  const mount = (lab: HTMLElement) => {
    import('./mount')
      .then(({ mountLab }) => mountLab(lab))
      .then(() => showFailure(lab, null))
      .catch(() => {
        const status = lab.querySelector('[data-status]');
        if (status) status.textContent = 'The lab did not load.';
        showFailure(lab, {
          text: 'The lab’s code could not be loaded: the connection may be down, or something blocked it. The article is unaffected.',
          retry: () => {
            if (status) status.textContent = 'Loading the lab…';
            mount(lab);
          },
        });
      });
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

/**
 * Shows, beside a lab's status, what went wrong and a Retry button that calls `retry`;
 * null hides it (and moves the focus from Retry to Run). Used before the lab's code has
 * loaded, so it depends on nothing but the markup of Lab.astro.
 */
export function showFailure(lab: HTMLElement, failure: { text: string; retry: () => void } | null): void {
  const box = lab.querySelector<HTMLElement>('[data-failure]');
  const text = box?.querySelector('[data-failure-text]');
  const button = box?.querySelector<HTMLButtonElement>('[data-retry]');
  if (!box || !text || !button) return;
  if (!failure) {
    const hadFocus = box.contains(document.activeElement);
    box.hidden = true;
    if (hadFocus) lab.querySelector<HTMLButtonElement>('[data-run]')?.focus();
    return;
  }
  text.textContent = failure.text;
  box.hidden = false;
  button.onclick = () => {
    text.textContent = 'Trying again…';
    failure.retry();
  };
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
