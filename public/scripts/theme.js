/**
 * The reader's colour theme, set before the first paint. It is a file, not an inline script,
 * so the site's Content-Security-Policy needs no 'unsafe-inline' (src/csp.ts). The choice is
 * kept in localStorage where the browser allows it; where storage is refused (a frame on
 * another site, some private modes) it lasts for the page's life and nothing is thrown.
 * On an embed page (data-embed on this script) nothing is stored: the theme comes from
 * ?theme=light|dark, else the system's preference.
 * The theme picker (src/components/starlight/ThemeSelect.astro) uses `window.courseTheme`.
 */
(() => {
  const storageKey = 'starlight-theme';
  const embed = document.currentScript?.hasAttribute('data-embed') ?? false;
  const systemLight = matchMedia('(prefers-color-scheme: light)');
  /** @param {unknown} value @returns {'auto' | 'dark' | 'light'} */
  const parse = (value) => (value === 'light' || value === 'dark' ? value : 'auto');

  const stored = () => {
    if (embed) return parse(new URLSearchParams(location.search).get('theme'));
    try {
      return parse(localStorage.getItem(storageKey));
    } catch {
      return 'auto';
    }
  };
  let current = stored();

  const apply = () => {
    const light = current === 'auto' ? systemLight.matches : current === 'light';
    document.documentElement.dataset.theme = light ? 'light' : 'dark';
  };

  const updatePickers = () => {
    const icons = document.querySelector('#theme-icons');
    document.querySelectorAll('starlight-theme-select').forEach((picker) => {
      const select = picker.querySelector('select');
      if (select) select.value = current;
      const icon = icons instanceof HTMLTemplateElement ? icons.content.querySelector(`.${current}`) : null;
      const shown = picker.querySelector('svg.label-icon');
      if (icon && shown) shown.replaceChildren(...icon.cloneNode(true).childNodes);
    });
  };

  window.courseTheme = {
    get: () => current,
    /** @param {unknown} theme */
    set(theme) {
      current = parse(theme);
      apply();
      updatePickers();
      if (embed) return;
      try {
        localStorage.setItem(storageKey, current === 'auto' ? '' : current);
      } catch {
        // Storage refused: the choice holds until the page is left.
      }
    },
    updatePickers,
  };

  apply();
  systemLight.addEventListener('change', () => {
    if (current === 'auto') apply();
  });
})();
