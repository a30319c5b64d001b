import { artifactsInfo } from '../artifacts_json.js';
import type { IOHandler, ModelArtifacts, SaveResult } from '../types.js';
import { concatWeightData } from '../weights.js';

// tfjs' key layout, so models saved by either library load in the other.
function keys(name: string) {
  const prefix = `tensorflowjs_models/${name}`;
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
      const info = artifactsInfo(artifacts);
      const entries: [string, string][] = [
        [k.topology, JSON.stringify(artifacts.modelTopology)],
        [k.weightSpecs, JSON.stringify(artifacts.weightSpecs ?? [])],
        [k.weightData, toBase64(concatWeightData(artifacts.weightData))],
        [k.metadata, JSON.stringify({ format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy ?? null, trainingConfig: artifacts.trainingConfig })],
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
