/** Shared settings of the browser tests. */
export const BASE_PATH = '/course/';
export const OUT_DIR = process.env['TEST_OUT_DIR'] ?? './dist-test';
export const PORT = Number(process.env['TEST_PORT'] ?? 4391);
export const ORIGIN = `http://127.0.0.1:${PORT}`;
export const SITE = `${ORIGIN}${BASE_PATH}`;
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
