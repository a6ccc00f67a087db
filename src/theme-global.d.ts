/** The theme API that public/scripts/theme.js puts on `window` before the page is drawn. */
export type Theme = 'auto' | 'dark' | 'light';

declare global {
  interface Window {
    courseTheme: {
      /** The reader's choice: 'auto' follows the system. */
      get(): Theme;
      /** Applies a choice (anything else counts as 'auto'), updates every picker, stores it if allowed. */
      set(theme: unknown): void;
      /** Shows the current choice in every theme picker on the page. */
      updatePickers(): void;
    };
  }
}
