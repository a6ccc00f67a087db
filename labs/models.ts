/// <reference types="vite/client" />
import type { LabModel } from './kernel/model';
import { findManifest, manifests } from './manifests';
import { folderOf, LAB_PIECES, missingPieces, requireEach, thisFile } from './discover';

/**
 * Every lab's model, for Node callers: tests, the benchmark, numbers computed at build
 * time. Each labs/<id>/model.ts exports one LabModel, under any name.
 */
function modelModules(): Record<string, Record<string, unknown>> {
  try {
    return import.meta.glob<Record<string, unknown>>(['./*/model.ts', '!./kernel/**'], { eager: true });
  } catch {
    return requireEach('model.ts'); // plain Node: no Vite to expand the glob
  }
}

/** Which pieces of a lab each folder has; only the names are read, not the code. */
function piecesByFolder(): Map<string, Set<string>> {
  let paths: string[];
  try {
    // Lazy: the keys are the file names, and nothing is loaded.
    paths = Object.keys(
      import.meta.glob(['./*/{manifest,model,worker,model.test}.ts', '!./kernel/**'], { query: '?raw', import: 'default' }),
    );
  } catch {
    const fs = process.getBuiltinModule('node:fs');
    const labsDir = new URL('.', thisFile);
    paths = fs
      .readdirSync(labsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => fs.readdirSync(new URL(`${entry.name}/`, labsDir)).map((file) => `./${entry.name}/${file}`));
  }
  const folders = new Map<string, Set<string>>();
  for (const path of paths) {
    const file = path.split('/').at(-1)!;
    if (!LAB_PIECES.some((piece) => piece.file === file)) continue;
    const folder = folderOf(path);
    if (!folders.has(folder)) folders.set(folder, new Set());
    folders.get(folder)!.add(file);
  }
  return folders;
}

function isModel(value: unknown): value is LabModel {
  return typeof value === 'object' && value !== null && 'manifest' in value && typeof (value as LabModel).run === 'function';
}

function discoverModels(): LabModel[] {
  // A folder missing a piece stops the build (and every test) here, naming both.
  const missing = missingPieces(piecesByFolder());
  if (missing.length > 0) throw new Error(`A lab folder is incomplete:\n${missing.join('\n')}`);
  const byId = new Map<string, LabModel>();
  for (const [path, module] of Object.entries(modelModules())) {
    const folder = folderOf(path);
    if (folder === 'kernel') continue;
    const model = Object.values(module).find((value) => isModel(value) && value.manifest.id === folder) as LabModel | undefined;
    if (!model)
      throw new Error(
        `labs/${folder}/model.ts must export the lab's model, a LabModel whose manifest is labs/${folder}/manifest.ts (e.g. export const ${folder.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())} = defineSweepLab({ manifest, … })).`,
      );
    if (!findManifest(folder)) throw new Error(`labs/${folder}/ has a model.ts but no manifest.ts.`);
    byId.set(folder, model);
  }
  return manifests.map((manifest) => byId.get(manifest.id)!);
}

/** Every lab's model, in the order of labs/manifests.ts. */
export const models: ReadonlyArray<LabModel> = discoverModels();

export function findModel(id: string): LabModel | undefined {
  return models.find((model) => model.manifest.id === id);
}
