import { artifactsInfo } from '../artifacts_json.js';
import type { IOHandler, ModelArtifacts, SaveResult } from '../types.js';
import { concatWeightData } from '../weights.js';

// tfjs' database layout, so models saved by either library load in the other.
const DATABASE = 'tensorflowjs';
const MODELS = 'models_store';
const INFO = 'model_info_store';

function openDatabase(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') {
    throw new Error('indexeddb:// needs a browser with IndexedDB; in Node save to a folder (file://...) instead.');
  }
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(MODELS, { keyPath: 'modelPath' });
      request.result.createObjectStore(INFO, { keyPath: 'modelPath' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

/**
 * Saves to and loads from the browser's IndexedDB under a model name, in the same database
 * TensorFlow.js uses (`indexeddb://name` works with both).
 *
 * @example
 * ```ts
 * await model.save('indexeddb://mnist');
 * ```
 */
export function browserIndexedDB(name: string): IOHandler {
  if (!name) throw new Error("indexeddb:// needs a model name, e.g. 'indexeddb://mnist'.");
  return {
    async save(artifacts: ModelArtifacts): Promise<SaveResult> {
      const db = await openDatabase();
      try {
        const info = artifactsInfo(artifacts);
        // One transaction over both stores: a failed save leaves the previous model as it was.
        const transaction = db.transaction([MODELS, INFO], 'readwrite');
        transaction.objectStore(INFO).put({ modelPath: name, modelArtifactsInfo: info });
        transaction.objectStore(MODELS).put({ modelPath: name, modelArtifacts: { ...artifacts, weightData: concatWeightData(artifacts.weightData) } });
        await done(transaction);
        return { modelArtifactsInfo: info };
      } finally {
        db.close();
      }
    },
    async load(): Promise<ModelArtifacts> {
      const db = await openDatabase();
      try {
        const request = db.transaction(MODELS, 'readonly').objectStore(MODELS).get(name);
        const record = await new Promise<{ modelArtifacts: ModelArtifacts } | undefined>((resolve, reject) => {
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        if (!record) throw new Error(`No model named '${name}' in IndexedDB. Save one first with model.save('indexeddb://${name}').`);
        return record.modelArtifacts;
      } finally {
        db.close();
      }
    },
  };
}
