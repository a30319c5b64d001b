import { getModelArtifactsInfoForJSON } from '../artifacts_json.js';
import type { IOHandler, ModelArtifacts, ModelArtifactsInfo, SaveResult } from '../types.js';
import { concatWeightData } from '../weights.js';

// tfjs' key layout, so models saved by either library load in the other.
const PREFIX = 'tensorflowjs_models/';
const INFO_SUFFIX = '/info';

function keys(name: string) {
  const prefix = `${PREFIX}${name}`;
  return {
    info: `${prefix}/info`,
    topology: `${prefix}/model_topology`,
    weightSpecs: `${prefix}/weight_specs`,
    weightData: `${prefix}/weight_data`,
    metadata: `${prefix}/model_metadata`,
  };
}

function storage(): Storage {
  if (typeof localStorage === 'undefined') {
    throw new Error('localstorage:// needs a browser with localStorage; in Node save to a folder (file://...) instead.');
  }
  return localStorage;
}

/** Whether this runtime has localStorage (browser pages do; workers and Node.js do not). */
export function hasLocalStorage(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage !== null;
  } catch {
    // A sandboxed frame or blocked site data throws on access.
    return false;
  }
}

/** JSON turns `dateSaved` into a string; tfjs' type, and IndexedDB, give a Date. */
function parseInfo(text: string): ModelArtifactsInfo {
  const info = JSON.parse(text) as ModelArtifactsInfo;
  return { ...info, dateSaved: new Date(info.dateSaved) };
}

/** The models under tfjs' keys (kerasm's and tfjs' saves alike), by name. */
export function listLocalStorageModels(): Record<string, ModelArtifactsInfo> {
  const store = storage();
  const out: Record<string, ModelArtifactsInfo> = {};
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i)!;
    if (key.startsWith(PREFIX) && key.endsWith(INFO_SUFFIX) && key.length > PREFIX.length + INFO_SUFFIX.length) {
      out[key.slice(PREFIX.length, -INFO_SUFFIX.length)] = parseInfo(store.getItem(key)!);
    }
  }
  return out;
}

/** Deletes a model's keys; returns its info, or undefined when there is no such model. */
export function removeLocalStorageModel(name: string): ModelArtifactsInfo | undefined {
  const store = storage();
  const k = keys(name);
  const info = store.getItem(k.info);
  if (info === null && store.getItem(k.topology) === null) return undefined;
  for (const key of Object.values(k)) store.removeItem(key);
  return info === null ? { dateSaved: new Date(0), modelTopologyType: 'JSON' } : parseInfo(info);
}

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/**
 * Saves to and loads from the browser's localStorage under a model name, with TensorFlow.js' keys
 * (`localstorage://name` works with both). localStorage holds a few MB: use IndexedDB for big models.
 *
 * @example
 * ```ts
 * await model.save('localstorage://mnist');
 * ```
 */
export function browserLocalStorage(name: string): IOHandler {
  if (!name) throw new Error("localstorage:// needs a model name, e.g. 'localstorage://mnist'.");
  const k = keys(name);
  return {
    async save(artifacts: ModelArtifacts): Promise<SaveResult> {
      const store = storage();
      const info = getModelArtifactsInfoForJSON(artifacts);
      const entries: [string, string][] = [
        [k.topology, JSON.stringify(artifacts.modelTopology)],
        [k.weightSpecs, JSON.stringify(artifacts.weightSpecs ?? [])],
        [k.weightData, toBase64(concatWeightData(artifacts.weightData))],
        [k.metadata, JSON.stringify({ format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy ?? null, trainingConfig: artifacts.trainingConfig, userDefinedMetadata: artifacts.userDefinedMetadata })],
        [k.info, JSON.stringify(info)],
      ];
      const previous = entries.map(([key]) => [key, store.getItem(key)] as const);
      try {
        for (const [key, value] of entries) store.setItem(key, value);
      } catch (err) {
        // Quota exceeded part-way: put the previous model back so it stays loadable.
        for (const [key, value] of previous) value === null ? store.removeItem(key) : store.setItem(key, value);
        throw new Error(`Saving '${name}' to localStorage failed (${(err as Error).message}); the model needs ${info.weightDataBytes} bytes of weights. Use 'indexeddb://${name}' for larger models.`);
      }
      return { modelArtifactsInfo: info };
    },
    async load(): Promise<ModelArtifacts> {
      const store = storage();
      const topology = store.getItem(k.topology);
      if (topology === null) throw new Error(`No model named '${name}' in localStorage (key '${k.topology}' is missing). Save one first with model.save('localstorage://${name}').`);
      const metadata = JSON.parse(store.getItem(k.metadata) ?? '{}');
      return {
        modelTopology: JSON.parse(topology),
        weightSpecs: JSON.parse(store.getItem(k.weightSpecs) ?? '[]'),
        weightData: fromBase64(store.getItem(k.weightData) ?? ''),
        ...metadata,
      };
    },
  };
}
