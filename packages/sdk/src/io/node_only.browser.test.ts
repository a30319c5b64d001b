// file:// paths and the other Node-only features in headless Chromium: each says up front that it
// needs Node.js and what works in a browser, instead of failing inside a stubbed node:fs.
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

const BROWSER_PLACES = "In a browser, save models to 'indexeddb://name', 'localstorage://name' or 'downloads://name', and load them from 'indexeddb://name', 'localstorage://name', an http(s):// URL or km.io.browserFiles(files).";

function model(): km.Sequential {
  const m = km.sequential([km.layers.dense({ inputShape: [3], units: 2 })]);
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
}

beforeAll(() => km.ready());

describe('file:// in Chromium', () => {
  it('loadLayersModel says file:// works only in Node.js and lists the browser schemes', async () => {
    await expect(km.loadLayersModel('file://x/model.json')).rejects.toThrow(`file:// ('file://x/model.json') works only in Node.js, which has a file system; this is not Node.js (a browser, a worker or another runtime). ${BROWSER_PLACES}`);
  });

  it('model.save, saveWeights and loadWeights say the same', async () => {
    const m = model();
    await expect(m.save('file://out/m')).rejects.toThrow(`file:// ('file://out/m') works only in Node.js`);
    await expect(m.save('FILE://out/m')).rejects.toThrow(BROWSER_PLACES);
    await expect(m.saveWeights('file://out/w')).rejects.toThrow(`file:// ('file://out/w') works only in Node.js`);
    await expect(m.loadWeights('file://out/w')).rejects.toThrow(`file:// ('file://out/w') works only in Node.js`);
  });

  it('km.io.fileSystem refuses at once', () => {
    expect(() => km.io.fileSystem('out/m')).toThrow(`km.io.fileSystem('out/m') works only in Node.js`);
  });

  it('the file-writing callbacks and readers refuse with their own browser advice', async () => {
    expect(() => km.callbacks.csvLogger('log.csv')).toThrow("km.callbacks.csvLogger ('log.csv') works only in Node.js, which has a file system; this is not Node.js (a browser, a worker or another runtime). In a browser, collect the logs with a custom onEpochEnd callback instead.");
    expect(() => km.callbacks.backupAndRestore({ backupDir: 'backup' })).toThrow('km.callbacks.backupAndRestore (it backs up to a folder) works only in Node.js');
    await expect(km.data.csv('file://data.csv').toArray()).rejects.toThrow("file:// ('file://data.csv') works only in Node.js, which has a file system; this is not Node.js (a browser, a worker or another runtime). In a browser, read the file from an http(s):// URL instead.");
  });
});
