/** Shared settings of the browser tests. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE_PATH = '/course/';
/** Outside the project, as a host's deploy folder may be (tests/site/out-dir.test.ts checks it stays so). */
export const OUT_DIR = process.env['TEST_OUT_DIR'] ?? join(tmpdir(), 'cs-vs-p2p-course-test-build');
export const PORT = Number(process.env['TEST_PORT'] ?? 4391);
export const ORIGIN = `http://127.0.0.1:${PORT}`;
export const SITE = `${ORIGIN}${BASE_PATH}`;
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
