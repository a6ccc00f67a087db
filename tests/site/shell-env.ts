/**
 * The environment of an instructor's shell. Vitest puts import.meta.env's values into
 * process.env (MODE=test, BASE_URL=/, DEV, PROD, SSR), and a build inheriting them is a
 * test-mode build at the root: drafts built, links without the base path.
 */
export function shellEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['MODE', 'BASE_URL', 'DEV', 'PROD', 'SSR', 'TEST', 'VITEST', 'VITEST_MODE', 'VITEST_POOL_ID', 'VITEST_WORKER_ID'])
    delete env[name];
  return env;
}
