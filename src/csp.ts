/**
 * The Content-Security-Policy every page ships: in a <meta> tag written by Astro's
 * `security.csp` (astro.config.mjs), and as a header for hosts that read public/_headers
 * (tests/site/csp.test.ts checks that file says the same).
 *
 * No script runs inline: Starlight's inline scripts are replaced by the overrides in
 * src/components/starlight/ and the files in public/scripts/, and Vite does not inline small
 * scripts or fonts, so `script-src` is the site itself. Pagefind's search runs WebAssembly
 * ('wasm-unsafe-eval'); KaTeX and Expressive Code write style attributes, hence 'unsafe-inline'
 * in `style-src` (Astro then leaves out style hashes, which would cancel it).
 */
export const cspDirectives = [
  "default-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  // Chart.js and Pagefind's interface draw a few images from data: URLs.
  "img-src 'self' data:",
  "form-action 'self'",
] as const;
export const cspScriptSources = ["'self'", "'wasm-unsafe-eval'"] as const;
export const cspStyleSources = ["'self'", "'unsafe-inline'"] as const;

/** The whole policy as one header value. */
export function cspHeader(): string {
  return [...cspDirectives, `script-src ${cspScriptSources.join(' ')}`, `style-src ${cspStyleSources.join(' ')}`].join('; ');
}
