import { access, mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

let dir: string;
const x = km.tensor(Float32Array.from({ length: 3 * 8 }, (_, i) => Math.sin(i)), [3, 2, 4]);

function model(seed: number, units = 5): km.Sequential {
  km.utils.setRandomSeed(seed);
  return km.sequential([km.layers.flatten({ inputShape: [2, 4] }), km.layers.dense({ units, activation: 'relu' }), km.layers.dense({ units: 3, activation: 'softmax' })]);
}

/** A fresh folder holding a saved model; returns its path. */
async function savedModel(name: string): Promise<string> {
  const path = join(dir, name);
  await model(1).save(`file://${path}`);
  return path;
}

beforeAll(async () => {
  await km.ready();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-io-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('file:// handler', () => {
  it('saves model.json and one weights file, and loads from the folder, the model.json, or a plain path', async () => {
    const original = model(2);
    const path = join(dir, 'plain');
    const result = await original.save(path);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(4 * (8 * 5 + 5 + 5 * 3 + 3));
    const files = (await readdir(path)).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toBe('model.json');
    const json = JSON.parse(await readFile(join(path, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual([files[1]]);
    expect(json.modelTopology.config.layers[1].config.kernel_initializer.class_name).toBe('VarianceScaling');
    for (const source of [path, `file://${path}`, `file://${join(path, 'model.json')}`]) {
      const loaded = await km.loadLayersModel(source);
      expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(original.predict(x).dataSync()));
    }
  });

  it('replaces a saved model and removes the old weights file', async () => {
    const path = await savedModel('replace');
    const second = model(3, 7);
    await second.save(path);
    expect(await readdir(path)).toHaveLength(2);
    const loaded = await km.loadLayersModel(path);
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(second.predict(x).dataSync()));
  });

  it('saves a model built from data (no declared inputShape) with its input shape', async () => {
    km.utils.setRandomSeed(4);
    const built = km.sequential([km.layers.dense({ units: 2 })]);
    const xs = km.tensor([[1, 2, 3]]);
    const expected = built.predict(xs).dataSync();
    await built.save(join(dir, 'from-data'));
    expect(Array.from((await km.loadLayersModel(join(dir, 'from-data'))).predict(xs).dataSync())).toEqual(Array.from(expected));
  });

  it('a file where the folder should be is named, and nothing is written', async () => {
    await writeFile(join(dir, 'a-file'), 'not a folder');
    for (const path of [join(dir, 'a-file'), join(dir, 'a-file', 'below')]) {
      await expect(model(1).save(`file://${path}`)).rejects.toThrow(`Cannot save the model to the folder '${path}': a file is in the way (the folder, or a folder above it, is a file). Nothing was written; save to another folder.`);
    }
    expect(await readFile(join(dir, 'a-file'), 'utf8')).toBe('not a folder');
  });
});

describe('loading checks everything it reads', () => {
  it('a missing model.json', async () => {
    await expect(km.loadLayersModel(join(dir, 'nothing-here'))).rejects.toThrow(/Cannot read .*nothing-here.* \(ENOENT\)\. Pass the folder model\.save\(\) wrote/);
  });

  it('a missing weights file', async () => {
    const path = await savedModel('missing-weights');
    const bin = (await readdir(path)).find((f) => f.endsWith('.bin'))!;
    await rm(join(path, bin));
    await expect(km.loadLayersModel(path)).rejects.toThrow(new RegExp(`Cannot read weights file .*${bin}, listed in .*model\\.json for weights dense_\\d+/kernel`));
  });

  it('truncated weights', async () => {
    const path = await savedModel('truncated');
    const bin = (await readdir(path)).find((f) => f.endsWith('.bin'))!;
    await truncate(join(path, bin), 100);
    await expect(km.loadLayersModel(path)).rejects.toThrow(new RegExp(`${bin} holds 100 bytes, but its manifest entry needs 252; weight 'dense_\\d+/kernel' is cut off. The file is truncated`));
  });

  it('bad JSON', async () => {
    const path = await savedModel('bad-json');
    const text = await readFile(join(path, 'model.json'), 'utf8');
    await writeFile(join(path, 'model.json'), text.slice(0, text.length / 2));
    await expect(km.loadLayersModel(path)).rejects.toThrow(/model\.json is not valid JSON \(.*\)\. It may be truncated/);
  });

  async function editJson(name: string, edit: (json: any) => void): Promise<string> {
    const path = await savedModel(name);
    const json = JSON.parse(await readFile(join(path, 'model.json'), 'utf8'));
    edit(json);
    await writeFile(join(path, 'model.json'), JSON.stringify(json));
    return path;
  }

  it('a manifest shape that does not match the topology', async () => {
    const path = await editJson('bad-shape', (json) => {
      json.modelTopology.config.layers[1].config.units = 6;
    });
    await expect(km.loadLayersModel(path)).rejects.toThrow(/weight 'dense_\d+\/kernel' has shape \[8, 5\] in the manifest, but layer 'dense_\d+' \(Dense\) expects \[8, 6\]/);
  });

  it('a manifest dtype kerasm cannot use', async () => {
    const path = await editJson('bad-dtype', (json) => {
      json.weightsManifest[0].weights[0].dtype = 'string';
    });
    await expect(km.loadLayersModel(path)).rejects.toThrow(/model\.json: weight 'dense_\d+\/kernel' has dtype 'string'; kerasm reads float32 and int32/);
  });

  it('an int32 weight where a layer needs float32', async () => {
    const path = await editJson('int-weight', (json) => {
      json.weightsManifest[0].weights[1].dtype = 'int32';
    });
    await expect(km.loadLayersModel(path)).rejects.toThrow(/weight 'dense_\d+\/bias' is stored as int32, but layer 'dense_\d+' expects float32/);
  });

  it('a weight missing from the manifest, and one no layer uses', async () => {
    const renamed = await editJson('renamed-weight', (json) => {
      json.weightsManifest[0].weights[0].name = 'other/kernel';
    });
    await expect(km.loadLayersModel(renamed)).rejects.toThrow(/weight 'dense_\d+\/kernel' of layer 'dense_\d+' \(Dense\) is missing from the weights manifest \(found: other\/kernel, /);
  });

  it("Keras' own formats (an HDF5 .h5 file, a zipped .keras file, a SavedModel folder) are named, with the converter command", async () => {
    const h5 = join(dir, 'model.h5');
    await writeFile(h5, Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    await expect(km.loadLayersModel(h5)).rejects.toThrow(
      `${h5} is a Keras HDF5 file (.h5), not a TensorFlow.js model.json. kerasm reads the LayersModel format: convert the file with TensorFlow.js' converter (pip install tensorflowjs; tensorflowjs_converter --input_format keras ${h5} out_folder), then load out_folder/model.json.`,
    );
    const zipped = join(dir, 'model.keras');
    await writeFile(zipped, Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]));
    await expect(km.loadLayersModel(zipped)).rejects.toThrow(`${zipped} is a zip archive, such as Keras 3's .keras file, not a TensorFlow.js model.json.`);
    const savedModel = join(dir, 'saved_model_dir');
    await mkdir(savedModel);
    await writeFile(join(savedModel, 'saved_model.pb'), new Uint8Array(4));
    await expect(km.loadLayersModel(savedModel)).rejects.toThrow(
      `${savedModel} is a TensorFlow SavedModel (saved_model.pb), not a TensorFlow.js LayersModel. Convert a Keras SavedModel with TensorFlow.js' converter (pip install tensorflowjs; tensorflowjs_converter --input_format keras_saved_model ${savedModel} out_folder), then load out_folder/model.json.`,
    );
  });

  it('an unknown layer class', async () => {
    const path = await editJson('unknown-class', (json) => {
      json.modelTopology.config.layers[1].class_name = 'Conv9D';
    });
    await expect(km.loadLayersModel(path)).rejects.toThrow(/model\.json: layer 1 'dense_\d+' \(Conv9D\): Unknown layer class 'Conv9D'\. Known classes: .*Dense/);
  });

  it('a bad layer config, a regularizer, an unknown model class, a functional model without its graph and a graph model', async () => {
    const badUnits = await editJson('bad-units', (json) => (json.modelTopology.config.layers[2].config.units = -1));
    await expect(km.loadLayersModel(badUnits)).rejects.toThrow(/layer 2 'dense_\d+' \(Dense\): .*units must be a positive integer\. Received: units=-1/);
    const constrained = await editJson('constraint', (json) => (json.modelTopology.config.layers[1].config.kernel_constraint = { class_name: 'RadialConstraint', config: {} }));
    await expect(km.loadLayersModel(constrained)).rejects.toThrow(/layer 1 'dense_\d+' \(Dense\): Dense layer 'dense_\d+' kernelConstraint: unknown constraint 'RadialConstraint'\. Known: 'MaxNorm', 'NonNeg', 'UnitNorm', 'MinMaxNorm'/);
    const subclassed = await editJson('subclassed', (json) => (json.modelTopology.class_name = 'MyModel'));
    await expect(km.loadLayersModel(subclassed)).rejects.toThrow(/kerasm loads Sequential and functional \('Model', 'Functional'\) models; this model is a 'MyModel'/);
    const functional = await editJson('functional', (json) => (json.modelTopology.class_name = 'Model'));
    await expect(km.loadLayersModel(functional)).rejects.toThrow(/model\.json: a functional model's config needs 'layers', 'input_layers' and 'output_layers' arrays/);
    const graph = await editJson('graph', (json) => (json.format = 'graph-model'));
    await expect(km.loadLayersModel(graph)).rejects.toThrow(/is a 'graph-model', not a 'layers-model'. Load a graph model with km\.loadGraphModel/);
  });

  it('unknown URL schemes and handlers that cannot load', async () => {
    await expect(km.loadLayersModel('ftp://host/model.json')).rejects.toThrow(/Unknown URL scheme 'ftp:\/\/'.*Known schemes: file:\/\//);
    await expect(km.loadLayersModel('downloads://m')).rejects.toThrow(/cannot load models \(downloads:\/\/ only saves/);
    await expect(model(1).save('indexeddb://m')).rejects.toThrow(/indexeddb:\/\/ needs a browser with IndexedDB; in Node save to a folder/);
    await expect(model(1).save(join(dir, 'x', 'model.json'))).rejects.toThrow(/saved to a folder.*Received the file path/);
  });

  it("a Keras file name (.keras, .h5) is refused before anything is written, naming the folder to save to", async () => {
    const target = join(dir, 'classifier.keras');
    await expect(model(1).save(target)).rejects.toThrow(`'${target}' names a Keras .keras zip file, which kerasm does not write: it saves TensorFlow.js' LayersModel format`);
    await expect(model(1).save(`file://${join(dir, 'weights.h5')}`)).rejects.toThrow(`names a Keras HDF5 file, which kerasm does not write: it saves TensorFlow.js' LayersModel format, a folder holding model.json and the weights, which tfjs and kerasm load (and tensorflowjs_converter --input_format=tfjs_layers_model converts for Keras). Save to a folder: model.save('file://${join(dir, 'weights')}').`);
    await expect(access(target)).rejects.toThrow();
  });
});
