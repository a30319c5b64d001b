import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Files from other programs: a loss or metric kerasm lacks, a weight dtype it cannot read.

let dir: string;

beforeAll(async () => {
  await km.ready();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-foreign-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A compiled model saved to a fresh folder, its model.json edited; returns the model.json path. */
async function editedModel(name: string, edit: (json: any) => void): Promise<string> {
  km.utils.setRandomSeed(3);
  const model = km.sequential([km.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), km.layers.dense({ units: 2, activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const path = join(dir, name, 'model.json');
  await model.save(`file://${join(dir, name)}`);
  const json = JSON.parse(await readFile(path, 'utf8'));
  edit(json);
  await writeFile(path, JSON.stringify(json));
  return path;
}

async function loadWarning(path: string): Promise<[km.LayersModel, string[]]> {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => void warnings.push(message);
  try {
    return [await km.loadLayersModel(`file://${path}`), warnings];
  } finally {
    console.warn = warn;
  }
}

describe('a training config with a loss or metric kerasm does not have', () => {
  it('loads the model uncompiled, warning with the file and the loss as saved (as an unknown optimizer does)', async () => {
    const path = await editedModel('loss', (json) => void (json.trainingConfig.loss = 'my_loss'));
    const [model, warnings] = await loadWarning(path);
    expect(model.optimizer).toBeUndefined();
    expect(model.predict(km.tensor([[0.1, 0.2, 0.3]])).shape).toEqual([1, 2]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`kerasm: file://${path} loads uncompiled because its loss 'my_loss' is not one kerasm has`);
    expect(warnings[0]).toMatch(/call model\.compile\(\) before training\.$/);
  });

  it('a loss per output: the one kerasm lacks is named', async () => {
    const path = await editedModel('loss-list', (json) => void (json.trainingConfig.loss = ['sparse_categorical_crossentropy', 'focal_tversky']));
    const [model, warnings] = await loadWarning(path);
    expect(model.optimizer).toBeUndefined();
    expect(warnings.join('\n')).toContain("its loss 'focal_tversky' is not one kerasm has");
  });

  it('a metric kerasm lacks does the same', async () => {
    const path = await editedModel('metric', (json) => void (json.trainingConfig.metrics = ['accuracy', 'my_metric']));
    const [model, warnings] = await loadWarning(path);
    expect(model.optimizer).toBeUndefined();
    expect(warnings.join('\n')).toContain(`kerasm: file://${path} loads uncompiled because its metric 'my_metric' is not one kerasm has`);
  });

  it("Keras' snake_case names that are aliases as written still compile ('kl_divergence')", async () => {
    const path = await editedModel('alias', (json) => {
      json.trainingConfig.loss = 'kl_divergence';
      json.trainingConfig.metrics = ['acc', 'mse'];
    });
    const [model, warnings] = await loadWarning(path);
    expect(warnings).toEqual([]);
    expect(model.optimizer).toBeDefined();
  });
});

describe('a weight dtype kerasm cannot read', () => {
  it.each(['float16', 'bool', 'complex64'])("'%s' is reported as the dtype, naming model.json and the weight, not as a file of the wrong length", async (dtype) => {
    const path = await editedModel(`dtype-${dtype}`, (json) => void (json.weightsManifest[0].weights[0].dtype = dtype));
    const load = km.loadLayersModel(`file://${path}`);
    await expect(load).rejects.toThrow(`${path}: weight 'dense_`);
    await expect(load).rejects.toThrow(new RegExp(`has dtype '${dtype}'; kerasm reads float32 and int32 weights, stored as such or quantized by tensorflowjs_converter \\(a quantization entry with dtype uint8, uint16 or float16\\)`));
  });
});
