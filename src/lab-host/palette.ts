/**
 * The charts' colours for the current theme, read from the stylesheet once per theme. Read
 * while the page is still (as a run starts), this costs nothing; read as a chart is made,
 * after the run has filled the page, it made the browser recompute every element's style.
 */
export interface ChartPalette {
  text: string;
  grid: string;
}

const palettes = new Map<string, ChartPalette>();

export function theme(): 'light' | 'dark' {
  return document.documentElement.dataset['theme'] === 'light' ? 'light' : 'dark';
}

export function cssColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

export function chartPalette(): ChartPalette {
  const key = theme();
  let palette = palettes.get(key);
  if (!palette) {
    palette = { text: cssColor('--sl-color-gray-2', '#444'), grid: cssColor('--sl-color-gray-5', '#ccc') };
    palettes.set(key, palette);
  }
  return palette;
}
