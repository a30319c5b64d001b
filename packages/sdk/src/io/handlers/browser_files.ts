import { artifactsFromModelJSON, checkGroupBytes, parseModelJSON } from '../artifacts_json.js';
import type { IOHandler, ModelArtifacts } from '../types.js';
import { concatWeightData } from '../weights.js';

/** The part of a `File` this handler reads; browser `File`s and Node's `File` both have it. */
export interface NamedFile {
  readonly name: string;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

function describe(file: unknown): string {
  if (file === null || typeof file !== 'object') return String(file);
  const name = (file as { name?: unknown }).name;
  return typeof name === 'string' ? `'${name}'` : Object.prototype.toString.call(file);
}

function checkFiles(files: unknown): NamedFile[] {
  const list = files !== null && typeof files === 'object' && Symbol.iterator in files ? Array.from(files as Iterable<unknown>) : null;
  if (!list || list.length === 0) {
    throw new Error(`browserFiles() needs the model's files: its .json file and the weights files it lists (e.g. from <input type="file" multiple>). Received: ${list ? 'no files' : describe(files)}.`);
  }
  for (const f of list) {
    const file = f as Partial<NamedFile> | null;
    if (!file || typeof file.name !== 'string' || typeof file.text !== 'function' || typeof file.arrayBuffer !== 'function') {
      throw new Error(`browserFiles() takes File objects (with a name). Received: ${describe(f)}. Pass input.files, or new File([bytes], 'model.weights.bin').`);
    }
  }
  return list as NamedFile[];
}

/**
 * Loads a model from files the user picked, e.g. the `name.json` and `name.weights.bin` that
 * `downloads://name` saved (tfjs' `io.browserFiles`). Weight files are matched to the paths in the
 * model.json by file name; a single weights file is used even when the browser renamed it on
 * download (`mnist.weights (1).bin`).
 *
 * @param files The model.json file and its weights files, in any order.
 * @example
 * ```ts
 * const input = document.querySelector('input[type=file]');  // <input type="file" multiple>
 * const model = await km.loadLayersModel(km.io.browserFiles(input.files));
 * ```
 */
export function browserFiles(files: Iterable<NamedFile> | ArrayLike<NamedFile>): IOHandler {
  const list = checkFiles(files);
  return { load: () => load(list) };
}

async function load(files: NamedFile[]): Promise<ModelArtifacts> {
  const names = files.map((f) => `'${f.name}'`).join(', ');
  const jsonFiles = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (jsonFiles.length !== 1) {
    throw new Error(`browserFiles() needs exactly one .json file (the model.json) among the files. Received ${jsonFiles.length}: ${names}. Select the model's .json file together with its weights files.`);
  }
  const [jsonFile] = jsonFiles;
  const json = parseModelJSON(await jsonFile.text(), jsonFile.name);
  const weightFiles = files.filter((f) => f !== jsonFile);
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  const unused = new Set(weightFiles);
  const fileFor = (path: string, weights: string): NamedFile => {
    const found = weightFiles.find((f) => f.name === baseName(path)) ?? (paths.length === 1 && weightFiles.length === 1 ? weightFiles[0] : undefined);
    if (!found) {
      throw new Error(`${jsonFile.name} lists the weights file '${baseName(path)}' (weights ${weights}), but it is not among the selected files (${names}). Select it together with ${jsonFile.name}.`);
    }
    unused.delete(found);
    return found;
  };
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) {
    const groupFiles = group.paths.map((p) => fileFor(p, group.weights.map((w) => w.name).join(', ')));
    const bytes = concatWeightData(await Promise.all(groupFiles.map((f) => f.arrayBuffer())));
    checkGroupBytes(group, bytes.byteLength, groupFiles.map((f) => f.name).join(' + '));
    buffers.push(bytes);
  }
  if (unused.size > 0) {
    throw new Error(`${jsonFile.name} does not list ${[...unused].map((f) => `'${f.name}'`).join(', ')}, so these files may belong to another model. Select only ${jsonFile.name} and the weights files it lists (${paths.map((p) => `'${baseName(p)}'`).join(', ') || 'none'}).`);
  }
  return artifactsFromModelJSON(json, concatWeightData(buffers));
}
