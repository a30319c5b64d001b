// km.io.listModels / removeModel / copyModel / moveModel in Node, which has neither IndexedDB nor
// localStorage: each says so and points to the file system. The browser behaviour is in
// model_management.browser.test.ts.
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

const IN_NODE = "In Node.js, models are folders (model.save('file://out/model')): list, copy, move and delete them with the file system (fs.readdir, fs.cp, fs.rename, fs.rm).";

describe('km.io model management in Node', () => {
  it('listModels says this runtime has neither store', async () => {
    await expect(km.io.listModels()).rejects.toThrow(`km.io.listModels() lists the models in the browser's IndexedDB and localStorage, and this runtime has neither. ${IN_NODE}`);
  });

  it('removeModel, copyModel and moveModel name the store Node lacks', async () => {
    await expect(km.io.removeModel('indexeddb://m')).rejects.toThrow(`km.io.removeModel: 'indexeddb://m' is a model in the browser's IndexedDB, and this runtime has no IndexedDB (Node.js has neither IndexedDB nor localStorage; a web worker has no localStorage). ${IN_NODE}`);
    await expect(km.io.copyModel('localstorage://a', 'indexeddb://b')).rejects.toThrow("km.io.copyModel: 'localstorage://a' is a model in the browser's localStorage, and this runtime has no localStorage");
    await expect(km.io.moveModel('indexeddb://a', 'localstorage://b')).rejects.toThrow("km.io.moveModel: 'indexeddb://a' is a model in the browser's IndexedDB");
  });

  it('file:// is a folder, not a store: the error says how to copy one', async () => {
    await expect(km.io.copyModel('file://out/a', 'file://out/b')).rejects.toThrow(`km.io.copyModel manages the browser's model stores, indexeddb:// and localstorage://; file:// names a folder, not a store (received 'file://out/a'). ${IN_NODE}`);
    await expect(km.io.removeModel('file://out/a')).rejects.toThrow('file:// names a folder, not a store');
  });

  it('refuses unknown schemes, URLs without one, and non-strings', async () => {
    await expect(km.io.removeModel('indexdb://m')).rejects.toThrow("Unknown model store 'indexdb://' in 'indexdb://m'. km.io.removeModel takes indexeddb:// and localstorage:// URLs, such as 'indexeddb://my-model' or 'localstorage://my-model'.");
    await expect(km.io.removeModel('out/m')).rejects.toThrow("Received: 'out/m'.");
    await expect(km.io.removeModel(3 as never)).rejects.toThrow('Received: number.');
    await expect(km.io.copyModel('downloads://m', 'indexeddb://m')).rejects.toThrow("cannot list, change or copy downloads:// models (received 'downloads://m')");
  });
});
