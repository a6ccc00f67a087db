/**
 * A lesson may start a lab from one of its manifest's named presets, by id
 * (`<Lab id="churn" preset="no-repair" />`), or from values written out
 * (`preset={{ peers: 100 }}`). Both the build-time check and the component read it here.
 */
import type { LabManifest } from '../../labs/kernel/manifest';

export type PresetInput = string | Record<string, number | string>;

/** The ids of a lab's named presets, for messages. */
export function presetNames(manifest: LabManifest): string {
  const ids = (manifest.presets ?? []).map((preset) => `"${preset.id}"`);
  return ids.length > 0 ? `its presets are ${ids.join(', ')}` : 'it has no named presets';
}

/** The values a preset stands for, or why it does not exist. */
export function presetValues(manifest: LabManifest, preset: PresetInput): { values: Record<string, number | string> } | { error: string } {
  if (typeof preset !== 'string') return { values: preset };
  const found = manifest.presets?.find((candidate) => candidate.id === preset);
  if (!found) return { error: `the ${manifest.id} lab has no preset "${preset}"; ${presetNames(manifest)}.` };
  return { values: { ...found.values } };
}
