import { browserIndexedDB, hasIndexedDB, listIndexedDBModels, removeIndexedDBModel } from './handlers/indexeddb.js';
import { browserLocalStorage, hasLocalStorage, listLocalStorageModels, removeLocalStorageModel } from './handlers/local_storage.js';
import type { IOHandler, ModelArtifactsInfo } from './types.js';

/** A browser store of models: IndexedDB or localStorage, with tfjs' layout (both libraries see the same models). */
interface ModelStore {
  /** What the runtime must have, for errors. */
  needs: string;
  available(): boolean;
  list(): Promise<Record<string, ModelArtifactsInfo>>;
  remove(name: string): Promise<ModelArtifactsInfo | undefined>;
  handler(name: string): IOHandler;
}

const STORES: Record<string, ModelStore> = {
  'indexeddb://': { needs: 'IndexedDB', available: hasIndexedDB, list: listIndexedDBModels, remove: removeIndexedDBModel, handler: browserIndexedDB },
  'localstorage://': { needs: 'localStorage', available: hasLocalStorage, list: async () => listLocalStorageModels(), remove: async (name) => removeLocalStorageModel(name), handler: browserLocalStorage },
};

const IN_NODE = "In Node.js, models are folders (model.save('file://out/model')): list, copy, move and delete them with the file system (fs.readdir, fs.cp, fs.rename, fs.rm).";

interface StoreURL {
  scheme: string;
  name: string;
  store: ModelStore;
  /** The URL with the scheme in lower case, as listModels() gives it. */
  url: string;
}

/** The store and model name a URL names, or an error that says what `fn` takes instead. */
function parseStoreURL(url: unknown, fn: string): StoreURL {
  const example = "'indexeddb://my-model' or 'localstorage://my-model'";
  if (typeof url !== 'string') throw new Error(`${fn} expects a model URL such as ${example}. Received: ${url === null ? 'null' : typeof url}.`);
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(url);
  if (!match) throw new Error(`${fn} expects a model URL with its store, such as ${example}. Received: '${url}'.`);
  const scheme = `${match[1].toLowerCase()}://`;
  const store = STORES[scheme];
  if (!store) {
    if (scheme === 'file://') {
      throw new Error(`${fn} manages the browser's model stores, indexeddb:// and localstorage://; file:// names a folder, not a store (received '${url}'). ${IN_NODE}`);
    }
    if (scheme === 'http://' || scheme === 'https://' || scheme === 'downloads://') {
      throw new Error(
        `${fn} manages the browser's model stores, indexeddb:// and localstorage://; it cannot list, change or copy ${scheme} models (received '${url}'). ` +
          `To copy a model from a URL, load it and save it: (await km.loadLayersModel(url)).save('indexeddb://my-model').`,
      );
    }
    throw new Error(`Unknown model store '${scheme}' in '${url}'. ${fn} takes ${Object.keys(STORES).join(' and ')} URLs, such as ${example}.`);
  }
  if (match[2] === '') throw new Error(`${fn} needs a model name after ${scheme}, e.g. '${scheme}my-model'. Received: '${url}'.`);
  if (!store.available()) {
    throw new Error(`${fn}: '${url}' is a model in the browser's ${store.needs}, and this runtime has no ${store.needs} (Node.js has neither IndexedDB nor localStorage; a web worker has no localStorage). ${IN_NODE}`);
  }
  return { scheme, name: match[2], store, url: `${scheme}${match[2]}` };
}

/**
 * Lists the models saved in the browser's IndexedDB and localStorage (tfjs' `tf.io.listModels`),
 * those tfjs saved there included: an object from each model's URL to its sizes and save date.
 * A runtime with only one of the stores (a web worker has no localStorage) lists that one.
 *
 * @example
 * ```ts
 * await model.save('indexeddb://mnist');
 * console.log(Object.keys(await km.io.listModels())); // ['indexeddb://mnist']
 * ```
 */
export async function listModels(): Promise<Record<string, ModelArtifactsInfo>> {
  const here = Object.entries(STORES).filter(([, store]) => store.available());
  if (here.length === 0) throw new Error(`km.io.listModels() lists the models in the browser's IndexedDB and localStorage, and this runtime has neither. ${IN_NODE}`);
  const out: Record<string, ModelArtifactsInfo> = {};
  for (const [scheme, store] of here) {
    for (const [name, info] of Object.entries(await store.list())) out[`${scheme}${name}`] = info;
  }
  return out;
}

/**
 * Deletes a model saved in the browser's IndexedDB or localStorage (tfjs' `tf.io.removeModel`) and
 * returns its info. Throws when there is no such model.
 *
 * @example
 * ```ts
 * await km.io.removeModel('localstorage://mnist');
 * ```
 */
export async function removeModel(url: string): Promise<ModelArtifactsInfo> {
  const { store, name, url: canonical } = parseStoreURL(url, 'km.io.removeModel');
  const info = await store.remove(name);
  if (!info) throw new Error(`km.io.removeModel: there is no model '${canonical}' to remove. ${await savedHere()}`);
  return info;
}

/**
 * Copies a model between or within the browser's stores (tfjs' `tf.io.copyModel`), replacing
 * any model at `destURL`; returns the copy's info.
 *
 * @example
 * ```ts
 * await km.io.copyModel('localstorage://mnist', 'indexeddb://mnist-backup');
 * ```
 */
export async function copyModel(sourceURL: string, destURL: string): Promise<ModelArtifactsInfo> {
  return transfer(sourceURL, destURL, false);
}

/**
 * Moves a model between or within the browser's stores (tfjs' `tf.io.moveModel`), replacing any
 * model at `destURL`; returns the moved model's info. A move that fails leaves the source as it was.
 *
 * @example
 * ```ts
 * await km.io.moveModel('localstorage://mnist', 'indexeddb://mnist');
 * ```
 */
export async function moveModel(sourceURL: string, destURL: string): Promise<ModelArtifactsInfo> {
  return transfer(sourceURL, destURL, true);
}

async function transfer(sourceURL: string, destURL: string, move: boolean): Promise<ModelArtifactsInfo> {
  const fn = move ? 'km.io.moveModel' : 'km.io.copyModel';
  const source = parseStoreURL(sourceURL, fn);
  const dest = parseStoreURL(destURL, fn);
  if (source.url === dest.url) throw new Error(`${fn}: the source and the destination are the same model, '${source.url}'. Pass another destination.`);
  if (!Object.hasOwn(await source.store.list(), source.name)) throw new Error(`${fn}: there is no model '${source.url}' to ${move ? 'move' : 'copy'}. ${await savedHere()}`);
  const sourceHandler = source.store.handler(source.name);
  const artifacts = await sourceHandler.load!();
  const save = () => dest.store.handler(dest.name).save!(artifacts);
  // localStorage holds a few MB: a move within it frees the source first, as tfjs does, so the
  // model need not fit twice; if the save fails the source is written back.
  if (move && source.scheme === 'localstorage://' && dest.scheme === 'localstorage://') {
    await source.store.remove(source.name);
    try {
      return (await save()).modelArtifactsInfo;
    } catch (err) {
      await sourceHandler.save!(artifacts);
      throw err;
    }
  }
  const { modelArtifactsInfo } = await save();
  // Anywhere else the source goes only once the copy is saved.
  if (move) await source.store.remove(source.name);
  return modelArtifactsInfo;
}

/** The saved models, for errors about a missing one. */
async function savedHere(): Promise<string> {
  const urls = Object.keys(await listModels().catch(() => ({})));
  return urls.length === 0 ? 'No models are saved here.' : `Saved models: ${urls.map((u) => `'${u}'`).join(', ')}.`;
}
