import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { conv2d, dense, finiteDifferences, map, type WindowSpec } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { useBackend } from '../testing/backends_here.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const same3: WindowSpec = { kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'same' };

/** image [4, 3, 1] + extra [2] -> conv -> flatten, concatenated with extra -> hidden -> class (3, softmax) and value (1). */
function twoHeaded(): km.Functional {
  const image = km.input({ shape: [4, 3, 1], name: 'image' });
  const extra = km.input({ shape: [2], name: 'extra' });
  const conv = km.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'tanh', biasInitializer: 'glorotUniform', name: 'conv' }).apply(image);
  const joined = km.layers.concatenate().apply([km.layers.flatten().apply(conv), extra]);
  // hidden feeds both heads, so its gradient must sum both output losses.
  const hidden = km.layers.dense({ units: 4, activation: 'tanh', biasInitializer: 'glorotUniform', name: 'hidden' }).apply(joined);
  const cls = km.layers.dense({ units: 3, activation: 'softmax', biasInitializer: 'glorotUniform', name: 'class' }).apply(hidden);
  const value = km.layers.dense({ units: 1, biasInitializer: 'glorotUniform', name: 'value' }).apply(hidden);
  return km.model({ inputs: [image, extra], outputs: [cls, value] });
}

/** float64 forward pass of {@link twoHeaded} from its weights, by layer name. */
function referenceForward(model: km.LayersModel, w: number[][]) {
  const weighted = model.layers.filter((l) => l.countParams() > 0).map((l) => l.name);
  const at = (name: string) => 2 * weighted.indexOf(name);
  return (image: number[], extra: number[]): { probs: number[]; value: number } => {
    const c = map(conv2d({ h: 4, w: 3, c: 1, data: image }, w[at('conv')], w[at('conv') + 1], same3), Math.tanh);
    const hidden = dense([...c.data, ...extra], w[at('hidden')], w[at('hidden') + 1]).map(Math.tanh);
    const logits = dense(hidden, w[at('class')], w[at('class') + 1]);
    const max = Math.max(...logits);
    const exp = logits.map((z) => Math.exp(z - max));
    const total = exp.reduce((a, b) => a + b, 0);
    return { probs: exp.map((e) => e / total), value: dense(hidden, w[at('value')], w[at('value') + 1])[0] };
  };
}

function sampleData(n: number, random: Random) {
  const images = Array.from({ length: n }, () => Array.from({ length: 12 }, () => random.uniform(-1, 1)));
  const extras = Array.from({ length: n }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
  const labels = Array.from({ length: n }, () => Math.floor(random.next() * 3));
  const values = Array.from({ length: n }, () => random.uniform(-1, 1));
  return {
    images, extras, labels, values,
    x: [km.tensor(images.flat(), [n, 4, 3, 1]), km.tensor(extras)],
    y: [km.tensor(labels, [n], 'int32'), km.tensor(values, [n, 1])],
  };
}

describe('two-input, two-output functional models', () => {
  // The engine routes per-output losses through the Backend interface only, so the tfjs backend is checked too.
  it.each(['wasm', 'tfjs-cpu'])('gradients of the weighted total loss match float64 finite differences (%s)', async (backend) => {
    await useBackend(backend);
    km.utils.setRandomSeed(5);
    const model = twoHeaded();
    const d = sampleData(4, new Random(11));
    const w = model.getWeights().map((t) => Array.from(t.dataSync()));
    const forward = referenceForward(model, w);
    const loss = () =>
      d.images.reduce((s, image, i) => {
        const { probs, value } = forward(image, d.extras[i]);
        return s + -Math.log(probs[d.labels[i]]) + 0.5 * (value - d.values[i]) ** 2;
      }, 0) / d.images.length;
    const names = model.layers.filter((l) => l.countParams() > 0).flatMap((l) => [`${l.name}/kernel`, `${l.name}/bias`]);
    const actual = await kerasmGradients(model, ['sparseCategoricalCrossentropy', 'meanSquaredError'], d.x, d.y, { value: 0.5 });
    expectGradientsClose(actual, finiteDifferences(w, loss), names);
    await useBackend('wasm');
  });

  it("inputNames and outputNames (tfjs') are the keys data, losses and metrics are given by", async () => {
    km.utils.setRandomSeed(7);
    const model = twoHeaded();
    expect([model.inputNames, model.outputNames]).toEqual([['image', 'extra'], ['class', 'value']]);
    const d = sampleData(4, new Random(3));
    const byName = <T>(names: string[], values: T[]) => Object.fromEntries(names.map((n, k) => [n, values[k]]));
    model.compile({ optimizer: 'sgd', loss: byName(model.outputNames, ['sparseCategoricalCrossentropy', 'mse']) });
    const [total] = await model.evaluate(byName(model.inputNames, d.x), byName(model.outputNames, d.y), { verbose: 0 });
    expect(total).toBe((await model.evaluate(d.x, d.y, { verbose: 0 }))[0]);
    expect(() => km.sequential([km.layers.dense({ units: 1 })]).outputNames).toThrow(/is not built yet, so it has no outputNames: give the first layer an inputShape/);
  });

  it('predict returns one tensor per output; evaluate gives the weighted total, each output loss and the metrics', async () => {
    km.utils.setRandomSeed(6);
    const model = twoHeaded();
    model.compile({ optimizer: 'sgd', loss: { class: 'sparseCategoricalCrossentropy', value: 'mse' }, lossWeights: [2, 0.25], metrics: { class: ['accuracy'], value: ['mae'] } });
    const d = sampleData(7, new Random(12));
    const forward = referenceForward(model, model.getWeights().map((t) => Array.from(t.dataSync())));
    const reference = d.images.map((image, i) => forward(image, d.extras[i]));

    const [probs, values] = model.predict<km.Tensor[]>({ image: d.x[0], extra: d.x[1] }, { batchSize: 3 });
    expect(probs.shape).toEqual([7, 3]);
    expect(values.shape).toEqual([7, 1]);
    reference.forEach((r, i) => {
      r.probs.forEach((p, j) => expect(probs.dataSync()[i * 3 + j]).toBeCloseTo(p, 5));
      expect(values.dataSync()[i]).toBeCloseTo(r.value, 5);
    });

    const [total, classLoss, valueLoss, accuracy, mae] = await model.evaluate(d.x, { value: d.y[1], class: d.y[0] }, { batchSize: 3, verbose: 0 });
    const n = d.images.length;
    const refClass = reference.reduce((s, r, i) => s - Math.log(r.probs[d.labels[i]]), 0) / n;
    const refValue = reference.reduce((s, r, i) => s + (r.value - d.values[i]) ** 2, 0) / n;
    const refAccuracy = reference.filter((r, i) => r.probs.indexOf(Math.max(...r.probs)) === d.labels[i]).length / n;
    const refMae = reference.reduce((s, r, i) => s + Math.abs(r.value - d.values[i]), 0) / n;
    expect(classLoss).toBeCloseTo(refClass, 5);
    expect(valueLoss).toBeCloseTo(refValue, 5);
    expect(total).toBeCloseTo(2 * classLoss + 0.25 * valueLoss, 5);
    expect(accuracy).toBeCloseTo(refAccuracy, 6);
    expect(mae).toBeCloseTo(refMae, 5);

    // Sample weights weigh every output's loss by the same per-sample weight.
    const weights = Array.from({ length: n }, (_, i) => i % 3);
    const [weightedTotal, weightedClass] = await model.evaluate(d.x, d.y, { batchSize: 3, verbose: 0, sampleWeight: weights });
    const refWeightedClass = reference.reduce((s, r, i) => s - weights[i] * Math.log(r.probs[d.labels[i]]), 0) / n;
    const refWeightedValue = reference.reduce((s, r, i) => s + weights[i] * (r.value - d.values[i]) ** 2, 0) / n;
    expect(weightedClass).toBeCloseTo(refWeightedClass, 5);
    expect(weightedTotal).toBeCloseTo(2 * refWeightedClass + 0.25 * refWeightedValue, 5);
  });

  it('an MNIST image plus a scalar feature trains a class head and a regression head (both losses fall), with Keras log names', async () => {
    km.utils.setRandomSeed(2);
    const { train, test } = await km.datasets.mnist.load();
    const inkOf = (x: km.Tensor) => {
      const v = x.dataSync() as Float32Array;
      const n = x.shape[0];
      return km.tensor(Float32Array.from({ length: n }, (_, i) => v.subarray(i * 784, (i + 1) * 784).reduce((a, b) => a + b, 0) / 784), [n, 1]);
    };
    // The regression target is the digit over 9: learnable from the image, helped by the ink feature.
    const valueOf = (y: km.Tensor) => km.tensor(Float32Array.from(y.dataSync(), (label) => label / 9), [y.shape[0], 1]);
    const [xTrain, yTrain, xTest, yTest] = [train.x.slice(0, 4096), train.y.slice(0, 4096), test.x.slice(0, 500), test.y.slice(0, 500)];

    const image = km.input({ shape: [28, 28], name: 'pixels' });
    const ink = km.input({ shape: [1], name: 'ink' });
    const features = km.layers.dense({ units: 32, activation: 'relu' }).apply(km.layers.flatten().apply(image));
    const joined = km.layers.concatenate().apply([features, ink]);
    const digit = km.layers.dense({ units: 10, activation: 'softmax', name: 'digit' }).apply(joined);
    const size = km.layers.dense({ units: 1, name: 'size' }).apply(joined);
    const model = km.model({ inputs: [image, ink], outputs: [digit, size] });
    model.compile({ optimizer: 'adam', loss: ['sparseCategoricalCrossentropy', 'mse'], metrics: { digit: ['accuracy'] } });

    const history = await model.fit({ pixels: xTrain, ink: inkOf(xTrain) }, { digit: yTrain, size: valueOf(yTrain) }, { epochs: 3, batchSize: 64, verbose: 0, validationSplit: 0.1 });
    const keys = ['loss', 'digit_loss', 'size_loss', 'digit_accuracy'];
    expect(Object.keys(history.history).sort()).toEqual([...keys, ...keys.map((k) => `val_${k}`)].sort());
    for (const key of ['digit_loss', 'size_loss']) expect(history.history[key][2]).toBeLessThan(history.history[key][0]);
    history.history.loss.forEach((l, e) => expect(l).toBeCloseTo(history.history.digit_loss[e] + history.history.size_loss[e], 5));

    const [, , sizeLoss, accuracy] = await model.evaluate([xTest, inkOf(xTest)], [yTest, valueOf(yTest)], { verbose: 0 });
    expect(accuracy).toBeGreaterThan(0.8);
    // Predicting the mean digit everywhere gives an MSE near var(label / 9) ≈ 0.1.
    expect(sizeLoss).toBeLessThan(0.075);
  });

  it('a single-output model keeps its plain log names and predict keeps returning one tensor', async () => {
    const x = km.input({ shape: [3] });
    const model = km.model({ inputs: x, outputs: km.layers.dense({ units: 2, activation: 'softmax' }).apply(x) });
    model.compile({ optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy'], metrics: ['accuracy'] });
    const history = await model.fit([km.tensor([[1, 2, 3], [0, 1, 0]])], [km.tensor([0, 1], [2], 'int32')], { epochs: 1, verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy']);
    expect(model.predict(km.tensor([[1, 2, 3]]))).toBeInstanceOf(km.Tensor);
  });
});

describe('several inputs and outputs from a km.data dataset', () => {
  it('batches of { xs: { ... }, ys: { ... } } train and evaluate exactly like the same tensors', async () => {
    const d = sampleData(8, new Random(13));
    const run = async (useDataset: boolean) => {
      km.utils.setRandomSeed(7);
      const model = twoHeaded();
      model.compile({ optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy', 'mse'], metrics: { class: ['accuracy'] } });
      const elements = d.images.map((image, i) => ({
        xs: { image: km.tensor(image, [4, 3, 1]), extra: d.extras[i] },
        ys: { class: km.tensor([d.labels[i]], [], 'int32'), value: [d.values[i]] },
      }));
      if (useDataset) {
        const history = await model.fit(km.data.array(elements).batch(4), { epochs: 2, verbose: 0 });
        return [...history.history.loss, ...(await model.evaluate(km.data.array(elements).batch(4), { verbose: 0 }))];
      }
      const history = await model.fit({ image: d.x[0], extra: d.x[1] }, { class: d.y[0], value: d.y[1] }, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
      return [...history.history.loss, ...(await model.evaluate(d.x, d.y, { batchSize: 4, verbose: 0 }))];
    };
    const [fromDataset, fromTensors] = [await run(true), await run(false)];
    expect(fromDataset).toHaveLength(2 + 4);
    fromDataset.forEach((v, i) => expect(v).toBeCloseTo(fromTensors[i], 6));
  });
});
