import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Node 20's File is the same web File API the browser hands out from <input type="file">.
let dir: string;
let files: File[];
let expected: Float32Array;
const x = km.tensor(Float32Array.from({ length: 4 * 6 }, (_, i) => Math.cos(i)), [4, 6]);

beforeAll(async () => {
  await km.ready();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-browser-files-'));
  km.utils.setRandomSeed(7);
  const model = km.sequential([km.layers.dense({ inputShape: [6], units: 5, activation: 'relu' }), km.layers.dense({ units: 3, activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  expected = model.predict(x).dataSync();
  // The files a real save wrote, read back as File objects under their own names.
  await model.save(`file://${dir}`);
  files = await Promise.all((await readdir(dir)).map(async (name) => new File([await readFile(join(dir, name))], name)));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const jsonFile = () => files.find((f) => f.name.endsWith('.json'))!;
const weightsFile = () => files.find((f) => f.name.endsWith('.bin'))!;

describe('km.io.browserFiles', () => {
  it('loads a saved model from its files in either order, predicting as the original', async () => {
    for (const order of [files, [...files].reverse()]) {
      const loaded = await km.loadLayersModel(km.io.browserFiles(order));
      expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(expected));
      expect(loaded.optimizer).toBeDefined();
    }
  });

  it('uses a lone weights file the browser renamed on download', async () => {
    const renamed = new File([await weightsFile().arrayBuffer()], 'model.weights (1).bin');
    const loaded = await km.loadLayersModel(km.io.browserFiles([jsonFile(), renamed]));
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(expected));
  });

  it('rejects what is not a list of files, naming what it received', () => {
    expect(() => km.io.browserFiles([])).toThrow(/needs the model's files: .*Received: no files/);
    expect(() => km.io.browserFiles(null as unknown as File[])).toThrow(/Received: null/);
    expect(() => km.io.browserFiles(['model.json'] as unknown as File[])).toThrow(/takes File objects .*Received: model\.json/);
  });

  it('needs exactly one .json file', async () => {
    await expect(km.loadLayersModel(km.io.browserFiles([weightsFile()]))).rejects.toThrow(/exactly one \.json file .*Received 0: '.*\.bin'/);
    const second = new File(['{}'], 'other.json');
    await expect(km.loadLayersModel(km.io.browserFiles([jsonFile(), second, weightsFile()]))).rejects.toThrow(/Received 2: 'model\.json', 'other\.json'/);
  });

  it('names the weights file that was not selected', async () => {
    await expect(km.loadLayersModel(km.io.browserFiles([jsonFile()]))).rejects.toThrow(/model\.json lists the weights file 'weights-[0-9a-f]+\.bin' \(weights dense\/kernel.*not among the selected files \('model\.json'\)/);
  });

  it('names a truncated weights file and a file the model does not list', async () => {
    const cut = new File([(await weightsFile().arrayBuffer()).slice(0, 40)], weightsFile().name);
    await expect(km.loadLayersModel(km.io.browserFiles([jsonFile(), cut]))).rejects.toThrow(/weights-[0-9a-f]+\.bin holds 40 bytes, but its manifest entry needs \d+.*truncated/);
    const stray = new File([new Uint8Array(4)], 'notes.bin');
    await expect(km.loadLayersModel(km.io.browserFiles([jsonFile(), weightsFile(), stray]))).rejects.toThrow(/does not list 'notes\.bin'/);
  });

  it('names a .json file that is not a model', async () => {
    await expect(km.loadLayersModel(km.io.browserFiles([new File(['{"modelTopology": 3'], 'broken.json')]))).rejects.toThrow(/broken\.json is not valid JSON/);
  });

  it('is what the downloads:// load error points to', async () => {
    await expect(km.loadLayersModel('downloads://m')).rejects.toThrow(/km\.io\.browserFiles\(files\)/);
  });
});
