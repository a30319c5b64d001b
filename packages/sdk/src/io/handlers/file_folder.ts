// What a `file://` save and load do on disk, loaded only when one runs (Node.js), so that a
// browser app's bundle leaves the file system code out of its first load.
import { artifactsFromModelJSON, getModelArtifactsInfoForJSON, checkGroupBytes, modelJSONFor, parseModelJSON } from '../artifacts_json.js';
import { removeStaleTempFiles, writeFileAtomic } from '../atomic_write.js';
import type { ModelArtifacts, SaveResult } from '../types.js';
import { concatWeightData } from '../weights.js';

/**
 * How long a save's temporary file must be unchanged before a later save removes it as left by a
 * killed save: well beyond the final fsync of any realistic model, so a concurrent save keeps its own.
 */
const STALE_TEMP_MS = 10 * 60 * 1000;

/** The files a save writes: `model.json` and `weights-<16 hex digits of the SHA-256>.bin`. */
const isSaveFile = (name: string) => name === 'model.json' || /^weights-[0-9a-f]{16}\.bin$/.test(name);

/** Saves `artifacts` into `folder` as `fileSystem` describes: the weights under their hash, then `model.json` in one rename. */
export async function saveToFolder(folder: string, artifacts: ModelArtifacts): Promise<SaveResult> {
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { createHash } = await import('node:crypto');
  if (folder.endsWith('.json')) {
    throw new Error(`Models are saved to a folder, which then holds model.json and the weights. Received the file path '${folder}'; pass its folder instead.`);
  }
  const kerasFile = /\.(keras|h5|hdf5)$/i.exec(folder);
  if (kerasFile) {
    throw new Error(
      `'${folder}' names a Keras ${kerasFile[1].toLowerCase() === 'keras' ? '.keras zip' : 'HDF5'} file, which kerasm does not write: it saves TensorFlow.js' LayersModel format, a folder holding model.json and the weights, ` +
        `which tfjs and kerasm load (and tensorflowjs_converter --input_format=tfjs_layers_model converts for Keras). Save to a folder: model.save('file://${folder.replace(/\.(keras|h5|hdf5)$/i, '')}').`,
    );
  }
  try {
    await fs.mkdir(folder, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way (the folder, or a folder above it, is a file)' : code === 'EACCES' || code === 'EPERM' ? 'this process may not write there' : (err as Error).message;
    throw new Error(`Cannot save the model to the folder '${folder}': ${why}. Nothing was written; save to another folder.`);
  }
  const modelPath = join(folder, 'model.json');
  const previous = await previousWeightFiles(modelPath);
  const data = new Uint8Array(concatWeightData(artifacts.weightData));
  const weightsFile = `weights-${createHash('sha256').update(data).digest('hex').slice(0, 16)}.bin`;
  await writeFileAtomic(join(folder, weightsFile), data);
  try {
    await writeFileAtomic(modelPath, JSON.stringify(modelJSONFor(artifacts, weightsFile)));
  } catch (err) {
    // The save never committed: drop its weights unless the previous model.json still uses them.
    if (!previous.includes(weightsFile)) await fs.rm(join(folder, weightsFile), { force: true });
    throw err;
  }
  for (const old of previous) {
    if (old !== weightsFile) await fs.rm(join(folder, old), { force: true });
  }
  await removeStaleTempFiles(folder, isSaveFile, STALE_TEMP_MS);
  return { modelArtifactsInfo: getModelArtifactsInfoForJSON(artifacts) };
}

/** Weight files the model.json being replaced refers to (none when it is missing or unreadable). */
async function previousWeightFiles(modelPath: string): Promise<string[]> {
  const fs = await import('node:fs/promises');
  try {
    const json = parseModelJSON(await fs.readFile(modelPath, 'utf8'), modelPath);
    // Only plain names in the folder: never delete what a hand-edited manifest points elsewhere.
    return json.weightsManifest.flatMap((g) => g.paths).filter((p) => /^[\w.-]+$/.test(p));
  } catch {
    return [];
  }
}

/** The artifacts of a `model.json` path, or of the folder holding one. */
export async function loadFromPath(path: string): Promise<ModelArtifacts> {
  const fs = await import('node:fs/promises');
  const { dirname, join } = await import('node:path');
  const stat = await fs.stat(path).catch(() => null);
  const modelPath = stat?.isDirectory() || (!stat && !path.endsWith('.json')) ? join(path, 'model.json') : path;
  let text: string;
  try {
    text = await fs.readFile(modelPath, 'utf8');
  } catch (err) {
    if (modelPath !== path && (await fs.stat(join(path, 'saved_model.pb')).catch(() => null))) {
      throw new Error(
        `${path} is a TensorFlow SavedModel (saved_model.pb), not a TensorFlow.js LayersModel. Convert a Keras SavedModel with TensorFlow.js' converter ` +
          `(pip install tensorflowjs; tensorflowjs_converter --input_format keras_saved_model ${path} out_folder), then load out_folder/model.json.`,
      );
    }
    throw new Error(`Cannot read ${modelPath} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Pass the folder model.save() wrote, or the path of its model.json.`);
  }
  const json = parseModelJSON(text, modelPath);
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    const files = group.paths.map((p) => join(dirname(modelPath), p));
    const parts: Uint8Array[] = [];
    for (const file of files) {
      try {
        parts.push(await fs.readFile(file));
      } catch (err) {
        const names = group.weights.map((w) => w.name).join(', ');
        throw new Error(`Cannot read weights file ${file}, listed in ${modelPath} for weights ${names} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Keep the weights files next to model.json, or save the model again.`);
      }
    }
    const bytes = concatBytes(parts);
    checkGroupBytes(group, bytes.byteLength, files.join(' + '));
    buffers.push(bytes);
  }
  return artifactsFromModelJSON(json, concatBytes(buffers).buffer as ArrayBuffer);
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
