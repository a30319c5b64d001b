import { getModelArtifactsInfoForJSON } from '../artifacts_json.js';
import type { IOHandler, ModelArtifacts, ModelArtifactsInfo, SaveResult } from '../types.js';
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

function result<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Whether this runtime has IndexedDB (browsers and their workers do; Node.js does not). */
export function hasIndexedDB(): boolean {
  return typeof indexedDB !== 'undefined';
}

/** The models in tfjs' database (kerasm's and tfjs' saves alike), by name. */
export async function listIndexedDBModels(): Promise<Record<string, ModelArtifactsInfo>> {
  const db = await openDatabase();
  try {
    const records = await result(db.transaction(INFO, 'readonly').objectStore(INFO).getAll() as IDBRequest<{ modelPath: string; modelArtifactsInfo: ModelArtifactsInfo }[]>);
    return Object.fromEntries(records.map((r) => [r.modelPath, r.modelArtifactsInfo]));
  } finally {
    db.close();
  }
}

/** Deletes a model from both stores in one transaction; returns its info, or undefined when there is no such model. */
export async function removeIndexedDBModel(name: string): Promise<ModelArtifactsInfo | undefined> {
  const db = await openDatabase();
  try {
    const transaction = db.transaction([MODELS, INFO], 'readwrite');
    const info = await result(transaction.objectStore(INFO).get(name) as IDBRequest<{ modelArtifactsInfo: ModelArtifactsInfo } | undefined>);
    const model = info ?? (await result(transaction.objectStore(MODELS).getKey(name)));
    if (model === undefined) {
      transaction.abort();
      return undefined;
    }
    transaction.objectStore(INFO).delete(name);
    transaction.objectStore(MODELS).delete(name);
    await done(transaction);
    return info?.modelArtifactsInfo ?? { dateSaved: new Date(0), modelTopologyType: 'JSON' };
  } finally {
    db.close();
  }
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
        const info = getModelArtifactsInfoForJSON(artifacts);
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
        const record = await result(db.transaction(MODELS, 'readonly').objectStore(MODELS).get(name) as IDBRequest<{ modelArtifacts: ModelArtifacts } | undefined>);
        if (!record) throw new Error(`No model named '${name}' in IndexedDB. Save one first with model.save('indexeddb://${name}').`);
        return record.modelArtifacts;
      } finally {
        db.close();
      }
    },
  };
}
