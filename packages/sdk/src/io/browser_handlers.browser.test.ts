// The browser handlers (indexeddb://, localstorage://, downloads://, browserFiles) in headless
// Chromium, checked against TensorFlow.js 4.22 reading and writing the same stores.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';

const INPUT = 6;
const xValues = Float32Array.from({ length: 4 * INPUT }, (_, i) => Math.sin(i + 0.5));
const x = km.tensor(xValues, [4, INPUT]);

function kerasmModel(seed: number): km.Sequential {
  km.utils.setRandomSeed(seed);
  const model = km.sequential([km.layers.dense({ inputShape: [INPUT], units: 8, activation: 'relu' }), km.layers.dense({ units: 3, activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

const kerasmPredict = (model: km.LayersModel) => Array.from(model.predict(x).dataSync());
const tfjsPredict = (model: tfl.LayersModel) => Array.from((model.predict(tf.tensor(xValues, [4, INPUT])) as tf.Tensor).dataSync());

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-6));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

describe.each(['indexeddb', 'localstorage'])('%s:// in Chromium', (scheme) => {
  it('saves, loads back and predicts the same probabilities, optimizer included', async () => {
    const model = kerasmModel(3);
    await model.fit(km.tensor(xValues, [4, INPUT]), km.tensor([0, 1, 2, 1], [4], 'int32'), { epochs: 2, batchSize: 2, verbose: 0 });
    const url = `${scheme}://kerasm-${scheme}-round-trip`;
    const result = await model.save(url, { includeOptimizer: true });
    expect(result.modelArtifactsInfo.weightDataBytes).toBeGreaterThan(4 * (INPUT * 8 + 8 + 8 * 3 + 3));
    const loaded = await km.loadLayersModel(url);
    expect(kerasmPredict(loaded)).toEqual(kerasmPredict(model));
    expect(loaded.optimizer?.iterations).toBe(model.optimizer?.iterations);
  });

  it('is read by tfjs.loadLayersModel, and reads what tfjs saved there', async () => {
    const model = kerasmModel(4);
    await model.save(`${scheme}://kerasm-made`);
    const inTfjs = await tfl.loadLayersModel(`${scheme}://kerasm-made`);
    expectClose(tfjsPredict(inTfjs), kerasmPredict(model));

    const tfjsModel = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [INPUT], units: 5, activation: 'tanh' }), tfl.layers.dense({ units: 2, activation: 'softmax' })] });
    await tfjsModel.save(`${scheme}://tfjs-made`);
    expectClose(kerasmPredict(await km.loadLayersModel(`${scheme}://tfjs-made`)), tfjsPredict(tfjsModel));
  });

  it('saveWeights stores the weights alone, and loadWeights reads them into a copy of the model built here', async () => {
    const model = kerasmModel(5);
    await model.fit(km.tensor(xValues, [4, INPUT]), km.tensor([2, 0, 1, 1], [4], 'int32'), { epochs: 2, batchSize: 2, verbose: 0 });
    const url = `${scheme}://kerasm-${scheme}-weights`;
    await model.saveWeights(url);
    const copy = kerasmModel(6);
    expect(kerasmPredict(copy)).not.toEqual(kerasmPredict(model));
    await copy.loadWeights(url);
    expect(kerasmPredict(copy)).toEqual(kerasmPredict(model));
    expect((await km.loadLayersModel(url)).optimizer).toBeUndefined();
  });

  it('says which name is missing', async () => {
    await expect(km.loadLayersModel(`${scheme}://never-saved`)).rejects.toThrow(/never-saved/);
  });
});

describe('downloads:// and browserFiles in Chromium', () => {
  afterEach(() => vi.restoreAllMocks());

  it('downloads name.json and name.weights.bin, which browserFiles loads back to the same predictions', async () => {
    // Watch the real clicks (the download still happens) to read back what was offered.
    const offered: { name: string; href: string }[] = [];
    const click = HTMLAnchorElement.prototype.click;
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      offered.push({ name: this.download, href: this.href });
      click.call(this);
    });
    const model = kerasmModel(5);
    await model.save('downloads://mnist-mlp');
    expect(offered.map((o) => o.name)).toEqual(['mnist-mlp.json', 'mnist-mlp.weights.bin']);
    const files = await Promise.all(offered.map(async (o) => new File([await (await fetch(o.href)).blob()], o.name)));
    const json = JSON.parse(await files[0].text());
    expect(json.weightsManifest[0].paths).toEqual(['./mnist-mlp.weights.bin']);
    expect(json.format).toBe('layers-model');

    const loaded = await km.loadLayersModel(km.io.browserFiles([files[1], files[0]]));
    expect(kerasmPredict(loaded)).toEqual(kerasmPredict(model));
    // tfjs' own browserFiles reads the same files.
    const inTfjs = await tfl.loadLayersModel(tf.io.browserFiles(files));
    expectClose(tfjsPredict(inTfjs), kerasmPredict(model));
  });

  it('browserFiles names the weights file that was not picked', async () => {
    const json = new File([JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['./w.bin'], weights: [{ name: 'dense/kernel', shape: [1], dtype: 'float32' }] }] })], 'm.json');
    await expect(km.loadLayersModel(km.io.browserFiles([json]))).rejects.toThrow(/m\.json lists the weights file 'w\.bin' \(weights dense\/kernel\), but it is not among the selected files \('m\.json'\)/);
  });
});
