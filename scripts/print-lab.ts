/**
 * Runs one lab's model in Node and prints its result as JSON, for independent checks
 * written in other languages (scripts/crosscheck_connectivity.py):
 *
 *   npx tsx scripts/print-lab.ts <lab id> ['{"param": value, ...}'] [seed]
 *
 * Parameters not given take the manifest's defaults; they are validated like a preset,
 * so a typo is an error rather than a silent default.
 */
import { findModel, models } from '../labs/models';
import { validateParams } from '../labs/kernel/manifest';

const [id, paramsJson = '{}', seedText = '1'] = process.argv.slice(2);
const model = id ? findModel(id) : undefined;
if (!model) {
  console.error(
    `usage: npx tsx scripts/print-lab.ts <lab id> ['{"param": value}'] [seed]; lab ids: ${models.map((m) => m.manifest.id).join(', ')}`,
  );
  process.exit(2);
}
const raw: unknown = JSON.parse(paramsJson);
if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
  console.error('parameters must be a JSON object');
  process.exit(2);
}
const checked = validateParams(model.manifest, raw as Record<string, unknown>);
if (Object.keys(checked.errors).length > 0) {
  console.error(Object.values(checked.errors).join('\n'));
  process.exit(2);
}
const seed = Number(seedText);
if (!Number.isInteger(seed) || seed < 0) {
  console.error(`seed must be a whole number >= 0, not ${seedText}`);
  process.exit(2);
}
const started = performance.now();
const result = model.run(checked.values, { seed, progress: () => {} });
const seconds = (performance.now() - started) / 1000;
// NaN is not JSON; a missing output prints as null.
process.stdout.write(
  JSON.stringify({ lab: model.manifest.id, params: checked.values, seed, seconds, ...result }, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? null : value,
  ),
);
process.stdout.write('\n');
