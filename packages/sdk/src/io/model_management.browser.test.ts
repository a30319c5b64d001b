// km.io.listModels / removeModel / copyModel / moveModel in headless Chromium, checked against
// TensorFlow.js 4.22's own tf.io.listModels, which reads the same IndexedDB database and localStorage keys.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as km from '../index.js';

const INPUT = 5;
const x = km.tensor(Float32Array.from({ length: 2 * INPUT }, (_, i) => Math.cos(i)), [2, INPUT]);

function model(seed: number): km.Sequential {
  km.utils.setRandomSeed(seed);
  return km.sequential([km.layers.dense({ inputShape: [INPUT], units: 4, activation: 'relu' }), km.layers.dense({ units: 2 })]);
}

const predict = (m: km.LayersModel) => Array.from(m.predict(x).dataSync());

/** What tfjs lists, with localStorage's dates (JSON strings in tfjs) made Dates, as kerasm gives them. */
async function tfjsList(): Promise<Record<string, km.io.ModelArtifactsInfo>> {
  const listed = await tf.io.listModels();
  return Object.fromEntries(Object.entries(listed).map(([url, info]) => [url, { ...info, dateSaved: new Date(info.dateSaved) } as km.io.ModelArtifactsInfo]));
}

async function clearStores(): Promise<void> {
  for (const url of Object.keys(await tf.io.listModels())) await tf.io.removeModel(url);
  localStorage.clear();
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

beforeEach(clearStores);

describe('km.io.listModels in Chromium', () => {
  it('lists kerasm and tfjs saves in both stores, as tf.io.listModels does', async () => {
    const a = await model(1).save('indexeddb://a');
    await model(2).save('localstorage://b');
    await tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [INPUT], units: 3 })] }).save('indexeddb://tfjs-made');
    const listed = await km.io.listModels();
    expect(Object.keys(listed).sort()).toEqual(['indexeddb://a', 'indexeddb://tfjs-made', 'localstorage://b']);
    expect(listed).toEqual(await tfjsList());
    expect(listed['indexeddb://a']).toEqual(a.modelArtifactsInfo);
    expect(listed['localstorage://b'].dateSaved).toBeInstanceOf(Date);
    expect(listed['localstorage://b'].weightDataBytes).toBe(4 * (INPUT * 4 + 4 + 4 * 2 + 2));
  });

  it('gives {} when nothing is saved', async () => {
    expect(await km.io.listModels()).toEqual({});
  });
});

describe('km.io.removeModel in Chromium', () => {
  it.each(['indexeddb', 'localstorage'])('removes a %s:// model and returns its info; loading it then fails', async (scheme) => {
    const saved = await model(3).save(`${scheme}://gone`);
    await model(4).save(`${scheme}://kept`);
    const removed = await km.io.removeModel(`${scheme}://gone`);
    expect(removed.weightDataBytes).toBe(saved.modelArtifactsInfo.weightDataBytes);
    expect(removed.dateSaved).toBeInstanceOf(Date);
    expect(Object.keys(await tfjsList())).toEqual([`${scheme}://kept`]);
    await expect(km.loadLayersModel(`${scheme}://gone`)).rejects.toThrow(/No model named 'gone'/);
    if (scheme === 'localstorage') expect(Object.keys(localStorage).filter((k) => k.includes('/gone/'))).toEqual([]);
  });

  it('removes a model tfjs saved', async () => {
    await tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [INPUT], units: 3 })] }).save('localstorage://tfjs-made');
    await km.io.removeModel('LocalStorage://tfjs-made');
    expect(await tf.io.listModels()).toEqual({});
  });

  it('names the missing model and the saved ones', async () => {
    await model(5).save('indexeddb://there');
    await expect(km.io.removeModel('indexeddb://missing')).rejects.toThrow("there is no model 'indexeddb://missing' to remove. Saved models: 'indexeddb://there'.");
  });
});

describe('km.io.copyModel and moveModel in Chromium', () => {
  const pairs = [
    ['indexeddb', 'indexeddb'],
    ['indexeddb', 'localstorage'],
    ['localstorage', 'indexeddb'],
    ['localstorage', 'localstorage'],
  ];

  it.each(pairs)('copyModel %s:// to %s:// keeps the source, and the copy predicts the same', async (from, to) => {
    const m = model(6);
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    m.setUserDefinedMetadata({ note: 'kept' });
    await m.save(`${from}://src`, { includeOptimizer: true });
    const info = await km.io.copyModel(`${from}://src`, `${to}://dst`);
    expect(Object.keys(await tfjsList()).sort()).toEqual([`${from}://src`, `${to}://dst`].sort());
    expect(info).toEqual((await km.io.listModels())[`${to}://dst`]);
    const copy = await km.loadLayersModel(`${to}://dst`);
    expect(predict(copy)).toEqual(predict(m));
    expect(copy.optimizer).toBeDefined();
    expect(copy.getUserDefinedMetadata()).toEqual({ note: 'kept' });
    const inTfjs = await tfl.loadLayersModel(`${to}://dst`);
    const tfjsOut = Array.from((inTfjs.predict(tf.tensor(x.dataSync(), [2, INPUT])) as tf.Tensor).dataSync());
    tfjsOut.forEach((v, i) => expect(Math.abs(v - predict(m)[i])).toBeLessThan(1e-6));
  });

  it.each(pairs)('moveModel %s:// to %s:// removes the source, and the moved model predicts the same', async (from, to) => {
    const m = model(7);
    await m.save(`${from}://src`);
    await model(8).save(`${to}://dst`);
    await km.io.moveModel(`${from}://src`, `${to}://dst`);
    expect(Object.keys(await tfjsList())).toEqual([`${to}://dst`]);
    expect(predict(await km.loadLayersModel(`${to}://dst`))).toEqual(predict(m));
  });

  it('a move within localStorage that cannot be saved puts the source back', async () => {
    const m = model(9);
    await m.save('localstorage://src');
    const before = Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)]));
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key: string, value: string) {
      if (key.includes('/dst/')) throw new DOMException('quota', 'QuotaExceededError');
      setItem.call(this, key, value);
    };
    try {
      await expect(km.io.moveModel('localstorage://src', 'localstorage://dst')).rejects.toThrow(/Saving 'dst' to localStorage failed/);
    } finally {
      Storage.prototype.setItem = setItem;
    }
    expect(Object.keys(await tfjsList())).toEqual(['localstorage://src']);
    expect(predict(await km.loadLayersModel('localstorage://src'))).toEqual(predict(m));
    expect(Object.keys(localStorage).sort()).toEqual(Object.keys(before).sort());
  });

  it('refuses a missing source, the same URL twice, and stores it does not manage', async () => {
    await model(10).save('indexeddb://m');
    await expect(km.io.copyModel('indexeddb://nope', 'indexeddb://x')).rejects.toThrow("km.io.copyModel: there is no model 'indexeddb://nope' to copy. Saved models: 'indexeddb://m'.");
    await expect(km.io.moveModel('indexeddb://m', 'IndexedDB://m')).rejects.toThrow("km.io.moveModel: the source and the destination are the same model, 'indexeddb://m'");
    await expect(km.io.copyModel('file://out/m', 'indexeddb://x')).rejects.toThrow(/file:\/\/ names a folder, not a store .*fs\.cp/);
    await expect(km.io.copyModel('https://example.com/model.json', 'indexeddb://x')).rejects.toThrow(/cannot list, change or copy https:\/\/ models .*km\.loadLayersModel\(url\)/);
    await expect(km.io.removeModel('indexdb://m')).rejects.toThrow("Unknown model store 'indexdb://' in 'indexdb://m'. km.io.removeModel takes indexeddb:// and localstorage:// URLs");
    await expect(km.io.removeModel('m')).rejects.toThrow("km.io.removeModel expects a model URL with its store, such as 'indexeddb://my-model' or 'localstorage://my-model'. Received: 'm'.");
    await expect(km.io.removeModel('localstorage://')).rejects.toThrow("needs a model name after localstorage://");
    expect(Object.keys(await tfjsList())).toEqual(['indexeddb://m']);
  });
});
