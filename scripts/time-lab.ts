/**
 * Times one lab's model in Node, the way the page runs it: its tasks one after another,
 * with the time of each, then the assembly. For tuning a model against its budget:
 *
 *   npx tsx scripts/time-lab.ts <lab id> ['{"param": value, ...}'] [seed]
 *   npx tsx scripts/time-lab.ts <lab id> max     every numeric parameter at its maximum
 *
 * Parameters not given take the manifest's defaults and are validated like a preset.
 */
import { findModel, models } from '../labs/models';
import { validateParams, type ParamValues } from '../labs/kernel/manifest';
import { sweepOf, taskSeed } from '../labs/kernel/model';

const [id, paramsText = '{}', seedText = '1'] = process.argv.slice(2);
const model = id ? findModel(id) : undefined;
if (!model) {
  console.error(
    `usage: npx tsx scripts/time-lab.ts <lab id> ['{"param": value}' | max] [seed]; lab ids: ${models.map((m) => m.manifest.id).join(', ')}`,
  );
  process.exit(2);
}
let raw: Record<string, unknown>;
if (paramsText === 'max') {
  const values: ParamValues = {};
  for (const param of model.manifest.params) if (param.kind !== 'choice') values[param.name] = param.max;
  raw = values;
} else {
  raw = JSON.parse(paramsText) as Record<string, unknown>;
}
const { values, errors } = validateParams(model.manifest, raw);
if (Object.keys(errors).length > 0) {
  console.error(Object.values(errors).join('\n'));
  process.exit(2);
}
const seed = Number(seedText);
const sweep = sweepOf(model);
const started = performance.now();
const tasks = sweep.plan(values);
const planned = performance.now();
const parts: unknown[] = [];
const taskTimes: number[] = [];
for (const [index, task] of tasks.entries()) {
  const t0 = performance.now();
  parts.push(structuredClone(sweep.runTask(values, task.task, { seed: taskSeed(seed, index), progress: () => {} })));
  taskTimes.push(performance.now() - t0);
}
const ran = performance.now();
const result = sweep.assemble(values, parts, seed);
const assembled = performance.now();
const trace = sweep.network?.(values, seed);
const recorded = performance.now();
const ms = (value: number) => `${value.toFixed(0)} ms`;
console.log(`${model.manifest.id} ${JSON.stringify(values)}`);
console.log(
  `tasks: ${tasks.length}; plan ${ms(planned - started)}; tasks ${ms(ran - planned)} (first ${ms(taskTimes[0] ?? 0)}, longest ${ms(Math.max(0, ...taskTimes))}); assemble ${ms(assembled - ran)}; network ${ms(recorded - assembled)}`,
);
console.log(`total ${ms(recorded - started)}; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`);
console.log(`weights vs times: ${tasks.map((t, i) => `${t.weight.toPrecision(3)}:${taskTimes[i]!.toFixed(0)}`).join(' ')}`);
console.log(result.verdict);
void trace;
