import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

/** image [2, 2] + extra [1] -> class (3, softmax) and value (1). */
function twoHeaded(): km.Functional {
  const image = km.input({ shape: [2, 2], name: 'image' });
  const extra = km.input({ shape: [1], name: 'extra' });
  const joined = km.layers.concatenate().apply([km.layers.flatten().apply(image), extra]);
  const cls = km.layers.dense({ units: 3, activation: 'softmax', name: 'class' }).apply(joined);
  const value = km.layers.dense({ units: 1, name: 'value' }).apply(joined);
  return km.model({ inputs: [image, extra], outputs: [cls, value] });
}

const image = km.tensor(new Float32Array(16), [4, 2, 2]);
const extra = km.tensor(new Float32Array(4), [4, 1]);
const labels = km.tensor([0, 1, 2, 0], [4], 'int32');
const values = km.tensor(new Float32Array(4), [4, 1]);

function compiled(): km.Functional {
  const model = twoHeaded();
  model.compile({ optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy', 'mse'] });
  return model;
}

describe('several inputs and outputs: errors name the input or output', () => {
  it('compile: a loss list of the wrong length, unknown output names, a missing output, bad loss weights', () => {
    const model = twoHeaded();
    expect(() => model.compile({ optimizer: 'sgd', loss: ['mse', 'mse', 'mse'] })).toThrow(/loss has 3 entries, but the model has 2 outputs \['class', 'value'\]/);
    expect(() => model.compile({ optimizer: 'sgd', loss: { class: 'mse', size: 'mse' } })).toThrow(/loss names 'size', which is not an output of the model; its outputs are \['class', 'value'\]/);
    expect(() => model.compile({ optimizer: 'sgd', loss: { class: 'mse' } })).toThrow(/loss gives nothing for output 'value'/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: { klass: 2 } })).toThrow(/lossWeights names 'klass', which is not an output/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: [1, -1] })).toThrow(/lossWeights for output 'value' must be a finite number ≥ 0. Received: -1/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: { values: ['mae'] } })).toThrow(/metrics names 'values', which is not an output/);
    expect(() => model.compile({ optimizer: 'sgd', loss: ['mse', 'nope'] })).toThrow(/nope/);
    expect(() => model.compile({ optimizer: 'sgd', loss: [] })).toThrow(/loss=\[\]/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [km.metrics.auc()] })).toThrow(/metric object 'auc', which a list would share between the outputs \['class', 'value'\]/);
  });

  it('compile: the same output listed twice', () => {
    const x = km.input({ shape: [2] });
    const out = km.layers.dense({ units: 1, name: 'twice' }).apply(x);
    const model = km.model({ inputs: x, outputs: [out, out] });
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse' })).toThrow(/lists output 'twice' more than once among its outputs \['twice', 'twice'\]/);
  });

  it('fit: one tensor, a short list or wrong keys for two inputs', async () => {
    const model = compiled();
    await expect(model.fit(image, [labels, values], { verbose: 0 })).rejects.toThrow(/x is a tensor of shape \[4, 2, 2\], but the model has 2 inputs \['image', 'extra'\]. Pass a list of 2 tensors in that order, or an object keyed by those names/);
    await expect(model.fit([image], [labels, values], { verbose: 0 })).rejects.toThrow(/x is a list of 1, but the model has 2 inputs/);
    await expect(model.fit({ image, extras: extra }, [labels, values], { verbose: 0 })).rejects.toThrow(/x has unknown key 'extras' and no entry for 'extra'; the model's inputs are \['image', 'extra'\]/);
    await expect(model.fit([image, extra], { class: labels }, { verbose: 0 })).rejects.toThrow(/y has no entry for 'value'; the model's outputs are \['class', 'value'\]/);
  });

  it('fit: shapes, sample counts and targets name the input or output', async () => {
    const model = compiled();
    await expect(model.fit([image, km.tensor(new Float32Array(8), [4, 2])], [labels, values], { verbose: 0 })).rejects.toThrow(/x\[1\] \('extra'\) has shape \[4, 2\]/);
    await expect(model.fit([image, km.tensor(new Float32Array(3), [3, 1])], [labels, values], { verbose: 0 })).rejects.toThrow(/x\[0\] \('image'\) and x\[1\] \('extra'\) must have the same number of samples/);
    await expect(model.fit([image, extra], [labels, km.tensor(new Float32Array(3), [3, 1])], { verbose: 0 })).rejects.toThrow(/x\[0\] \('image'\) and y\[1\] \('value'\) must have the same number of samples/);
    await expect(model.fit([image, extra], { class: labels, value: km.tensor(new Float32Array(8), [4, 2]) }, { verbose: 0 })).rejects.toThrow(/y\['value'\], the targets of output 'value': Loss 'meanSquaredError' expects targets of shape \[4, 1\]/);
    await expect(model.fit([image, extra], [labels, values], { verbose: 0, classWeight: { 0: 2 } })).rejects.toThrow(/gives weights for one output's classes, but the model has 2 outputs \['class', 'value'\]/);
    expect(() => model.predict([image])).toThrow(/x is a list of 1, but the model has 2 inputs/);
  });

  it('validationData takes lists too, and checks them', async () => {
    const model = compiled();
    const history = await model.fit([image, extra], [labels, values], { verbose: 0, validationData: [[image, extra], [labels, values]] });
    expect(Object.keys(history.history)).toContain('val_value_loss');
    await expect(model.fit([image, extra], [labels, values], { verbose: 0, validationData: [[image, extra], [labels]] })).rejects.toThrow(/validationData\[1\] is a list of 1, but the model has 2 outputs/);
  });
});
