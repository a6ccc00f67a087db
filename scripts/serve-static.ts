/**
 * Serves a built site under its base path, as a static host would: the tests and the
 * benchmark use it instead of `astro preview`, which allows one preview per machine.
 * Like Netlify or Cloudflare Pages, it sends the headers the site's `_headers` file gives
 * (public/_headers: the Content-Security-Policy), so the tests run under the real policy.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import sirv from 'sirv';

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** One rule of a `_headers` file: a path pattern (`*` matches anything) and its headers. */
export interface HeaderRule {
  pattern: RegExp;
  headers: [string, string][];
}

/**
 * Reads the `_headers` format: a line with a path, then its headers indented as
 * `Name: value`; `#` starts a comment. Paths are relative to the site's root.
 */
export function parseHeaders(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const pattern = line
        .trim()
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
      rules.push({ pattern: new RegExp(`^${pattern}$`), headers: [] });
      continue;
    }
    const colon = line.indexOf(':');
    const rule = rules.at(-1);
    if (!rule || colon < 0) throw new Error(`_headers: a header outside a path rule, or without a colon: ${line.trim()}`);
    rule.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return rules;
}

/**
 * Serves `dir` under `base`, with the headers of its `_headers` file. With `compressed`,
 * a file's `.br` or `.gz` twin is sent to a browser that accepts it, as hosts compress.
 */
export function serveStatic(dir: string, base: string, port: number, options: { compressed?: boolean } = {}): Promise<StaticServer> {
  const headersFile = join(dir, '_headers');
  const rules = existsSync(headersFile) ? parseHeaders(readFileSync(headersFile, 'utf8')) : [];
  const setHeaders = (response: import('node:http').ServerResponse, path: string) => {
    for (const rule of rules) if (rule.pattern.test(path)) for (const [name, value] of rule.headers) response.setHeader(name, value);
  };
  const files = sirv(dir, {
    dev: false,
    etag: true,
    extensions: ['html'],
    gzip: options.compressed === true,
    brotli: options.compressed === true,
    setHeaders: (response, path) => setHeaders(response, path),
  });
  const notFoundPage = join(dir, '404.html');
  const notFound = (response: import('node:http').ServerResponse) => {
    response.statusCode = 404;
    setHeaders(response, '/404.html');
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(existsSync(notFoundPage) ? readFileSync(notFoundPage) : 'Not found');
  };
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (!url.startsWith(base)) return notFound(response);
    request.url = `/${url.slice(base.length)}`;
    files(request, response, () => notFound(response));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Port 0 takes any free port; the address says which.
    server.listen(port, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}${base}`,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    );
  });
}
