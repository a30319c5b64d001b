import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const images = km.tensor(new Float32Array(8 * 28 * 28).fill(0.5), [8, 28, 28]);
const labels = km.tensor([0, 1, 2, 3, 4, 5, 6, 7], undefined, 'int32');

function model(first = km.layers.flatten({ inputShape: [28, 28] })): km.Sequential {
  return km.sequential([first, km.layers.dense({ units: 10, activation: 'softmax' })]);
}

describe('the reference program as written is rejected as Keras rejects it', () => {
  it('28×28 images into Dense(inputShape [784]) name the mismatch and suggest Flatten or reshape', async () => {
    const m = km.sequential([km.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }), km.layers.dense({ units: 10, activation: 'softmax' })]);
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await expect(m.fit(images, labels, { verbose: 0 })).rejects.toThrow(/expects shape \(None, 784\), but x has shape \[8, 28, 28\].*km\.layers\.flatten\(\{ inputShape: \[28, 28\] \}\).*reshape\(\[-1, 784\]\)/);
  });

  it('categorical cross-entropy with integer labels suggests the sparse loss or toCategorical', async () => {
    const m = model();
    m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    await expect(m.fit(images, labels, { verbose: 0 })).rejects.toThrow(/expects targets of shape \[8, 10\].*sparseCategoricalCrossentropy.*km\.utils\.toCategorical\(y, 10\)/);
  });

  it('a vector of scalars and a sample without its batch axis each get the reshape that fixes them', () => {
    // An input of shape [1] takes the vector as a column, as Keras 3 and tfjs do (column_inputs.test.ts); other shapes get the reshape.
    const grid = km.sequential([km.layers.flatten({ inputShape: [1, 1] })]);
    expect(() => grid.predict(km.tensor([0.5, 1.5]))).toThrow(/expects shape \(None, 1, 1\), but x has shape \[2\]\. Reshape x with x\.reshape\(\[-1, 1, 1\]\): one sample per row\.$/);
    const mlp = km.sequential([km.layers.dense({ units: 4, inputShape: [784] })]);
    expect(() => mlp.predict(km.tensor(new Float32Array(784)))).toThrow(/expects shape \(None, 784\), but x has shape \[784\]\. It looks like one sample without the batch axis: reshape it with x\.reshape\(\[1, 784\]\)\.$/);
    const images = km.sequential([km.layers.flatten({ inputShape: [28, 28] })]);
    expect(() => images.predict(km.tensor(new Float32Array(784), [28, 28]))).toThrow(/x\.reshape\(\[1, 28, 28\]\)/);
  });

  it('a Dense layer on unflattened images acts on the last axis, and per-sample targets then get the Flatten hint', async () => {
    const m = km.sequential([km.layers.dense({ units: 4 })]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(m.fit(images, km.tensor(new Float32Array(32), [8, 4]), { verbose: 0 })).rejects.toThrow(
      /^Loss 'meanSquaredError' expects targets of shape \[8, 28, 4\] but received targets of shape \[8, 4\] \(float32\)\. The model's output \(None, 28, 4\) has values at each of 28 positions per sample, .*put km\.layers\.flatten\(\) or a global pooling layer before the last Dense layer\.$/,
    );
    const classifier = km.sequential([km.layers.dense({ units: 10, activation: 'softmax' })]);
    classifier.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await expect(classifier.fit(images, labels, { verbose: 0 })).rejects.toThrow(/expects integer labels of shape \[8, 28\] for an output of shape \(None, 28, 10\).*at each of 28 positions per sample/);
  });
});

describe('bad data', () => {
  const compiled = () => {
    const m = model();
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return m;
  };

  it('x and y of different lengths', async () => {
    await expect(compiled().fit(images, labels.slice(0, 5), { verbose: 0 })).rejects.toThrow(/same number of samples, but x has 8 .* y has 5/);
  });

  it('labels out of range for the output', async () => {
    const bad = km.tensor([0, 1, 2, 3, 4, 5, 6, 10], undefined, 'int32');
    await expect(compiled().fit(images, bad, { verbose: 0 })).rejects.toThrow(/Label 10 at index 7 is out of range for an output of 10 classes \(valid labels: 0 to 9\)/);
  });

  it('fractional labels for the sparse loss point to the categorical one', async () => {
    const soft = km.tensor([0, 1, 2, 3, 4, 5, 6.5, 7]);
    await expect(compiled().fit(images, soft, { verbose: 0 })).rejects.toThrow(/^Label 6\.5 at index 6 is not a class index: loss 'sparseCategoricalCrossentropy' takes integer labels 0 to 9\. For fractional \(soft\) targets, give one row of 10 probabilities per sample and use loss 'categoricalCrossentropy'\.$/);
  });

  it('a second fit while the first runs is refused, and the model trains again once it ends', async () => {
    const m = compiled();
    const first = m.fit(images, labels, { epochs: 2, batchSize: 2, verbose: 0 });
    await expect(m.fit(images, labels, { verbose: 0 })).rejects.toThrow(/^Model 'sequential(_\d+)?' is already training: an earlier fit\(\) has not finished\. Await it/);
    expect((await first).history.loss).toHaveLength(2);
    expect((await m.fit(images, labels, { verbose: 0 })).history.loss).toHaveLength(1);
    const failing = m.fit(images, km.tensor([0, 1, 2, 3, 4, 5, 6, 99], undefined, 'int32'), { verbose: 0 });
    await expect(failing).rejects.toThrow(/Label 99/);
    expect((await m.fit(images, labels, { verbose: 0 })).history.loss).toHaveLength(1); // a failed fit does not leave the model locked
  });

  it('NaN and Infinity in the inputs', async () => {
    const values = new Float32Array(8 * 784).fill(0.1);
    values[3 * 784 + 5] = NaN;
    await expect(compiled().fit(km.tensor(values, [8, 28, 28]), labels, { verbose: 0 })).rejects.toThrow(/x contains NaN at sample 3/);
    values[3 * 784 + 5] = Infinity;
    await expect(compiled().evaluate(km.tensor(values, [8, 28, 28]), labels, { verbose: 0 })).rejects.toThrow(/x contains Infinity at sample 3/);
  });

  it('NaN or Infinity in a later batch of predict, found as that batch is copied in', () => {
    const values = new Float32Array(80 * 784).fill(0.1);
    values[70 * 784 + 9] = -Infinity;
    expect(() => compiled().predict(km.tensor(values, [80, 28, 28]), { batchSize: 32 })).toThrow(`x contains -Infinity at sample 70 (flat index ${70 * 784 + 9}).`);
  });

  it('batchSize < 1 and other bad fit options', async () => {
    await expect(compiled().fit(images, labels, { batchSize: 0, verbose: 0 })).rejects.toThrow(/batchSize must be a positive integer. Received: batchSize=0/);
    await expect(compiled().fit(images, labels, { epochs: 1.5, verbose: 0 })).rejects.toThrow(/epochs must be a non-negative integer/);
    await expect(compiled().fit(images, labels, { validationSplit: 1, verbose: 0 })).rejects.toThrow(/validationSplit must be a number in \[0, 1\)/);
  });

  it('int32 features and one-hot targets for the sparse loss', async () => {
    await expect(compiled().fit(km.tensor(new Int32Array(8 * 784), [8, 28, 28]), labels, { verbose: 0 })).rejects.toThrow(/x must be float32 but is int32/);
    await expect(compiled().fit(images, km.utils.toCategorical(labels, 10), { verbose: 0 })).rejects.toThrow(/look like one-hot rows: use loss 'categoricalCrossentropy'/);
  });

  it('fitting before compile', async () => {
    await expect(model().fit(images, labels)).rejects.toThrow(/must be compiled before training/);
  });
});

describe('unknown names list the valid ones', () => {
  it('optimizer', () => {
    expect(() => model().compile({ optimizer: 'adabelief', loss: 'mse' })).toThrow("Unknown optimizer 'adabelief'. Valid optimizers: 'adam', 'adamw', 'sgd', 'rmsprop', 'adagrad', 'adamax', 'nadam', 'adadelta', 'lion', 'ftrl', 'lamb', 'adafactor'");
  });
  it('loss', () => {
    expect(() => model().compile({ optimizer: 'adam', loss: 'crossentropy' })).toThrow(/Unknown loss 'crossentropy'. Valid losses: 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError'/);
  });
  it('activation', () => {
    expect(() => km.layers.dense({ units: 3, activation: 'relu7' as never })).toThrow(
      /Unknown activation 'relu7' in layer 'dense(_\d+)?'. Valid activations: 'linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'logSoftmax', 'elu', 'selu', 'softplus', 'softsign', 'relu6', 'exponential', 'hardSigmoid', 'leaky_relu', 'hard_tanh', 'log_sigmoid', 'squareplus', 'soft_shrink', 'hard_shrink', 'sparse_plus', 'sparsemax', 'swish', 'gelu', 'gelu_new', 'mish', 'hard_silu', 'tanh_shrink' \('hard_sigmoid', 'silu', 'log_softmax', 'celu', 'hard_swish' work too; 'glu' only as km\.layers\.activation\(\{ activation: 'glu' \}\)\)/,
    );
  });
  it('activation glu on Dense: refused, naming why and the Activation layer that takes it', () => {
    expect(() => km.layers.dense({ units: 4, activation: 'glu' as never })).toThrow(
      /Activation 'glu' in layer 'dense(_\d+)?' halves the last axis, which this layer's output shape does not follow \(Keras 3's Dense and Conv layers report their units or filters as the output size while glu returns half of them\)\. Apply it after the layer instead: km\.layers\.activation\(\{ activation: 'glu' \}\)/,
    );
  });
  it("activation leakyRelu (tfjs' layer, not an activation there): names the layer and Keras' activation", () => {
    expect(() => km.layers.dense({ units: 3, activation: 'leakyRelu' as never })).toThrow(/Activation 'leakyRelu' in layer 'dense(_\d+)?' is not supported by kerasm yet \(tfjs has it as a layer, km.layers.leakyReLU\(\{ alpha \}\); Keras 3's activation is 'leaky_relu'\)/);
  });
  it('metric', () => {
    expect(() => model().compile({ optimizer: 'adam', loss: 'mse', metrics: ['f1'] })).toThrow(/Unknown metric 'f1'. Valid metrics: 'accuracy'/);
  });
  it('layer arguments quote the received value', () => {
    expect(() => km.layers.dense({ units: 0 })).toThrow(/units must be a positive integer. Received: units=0/);
    expect(() => km.optimizers.adam({ learningRate: -1 })).toThrow(/Received: learningRate=-1/);
  });
});

describe('calls missing what they need, or given it in the wrong form, name it', () => {
  it('compile without its options, its optimizer or its loss', () => {
    // @ts-expect-error compile's options are required
    expect(() => model().compile()).toThrow("compile takes one object of options, e.g. model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] }).");
    // @ts-expect-error a loss is required
    expect(() => model().compile({ optimizer: 'sgd' })).toThrow(/^compile needs a loss to train and evaluate with: a name such as 'sparseCategoricalCrossentropy'/);
    // @ts-expect-error an optimizer is required
    expect(() => model().compile({ loss: 'mse' })).toThrow(/^compile needs an optimizer: a name such as 'adam' or 'sgd', .*Keras' default is 'rmsprop'/);
    // A misspelt option is named as such rather than as a missing one.
    // @ts-expect-error optimiser is not an option
    expect(() => model().compile({ optimiser: 'adam', loss: 'mse' })).toThrow("compile has no option 'optimiser'; did you mean 'optimizer'?");
  });

  it('a layer factory without its options object lists them', () => {
    // @ts-expect-error dense needs { units }
    expect(() => km.layers.dense()).toThrow(/^km\.layers\.dense\(\) needs an options object, km\.layers\.dense\(\{ \.\.\. \}\)\. Its options are: activation, .*, units, inputDim; and as every layer: name, inputShape, /);
    // @ts-expect-error lstm needs { units }
    expect(() => km.layers.lstm()).toThrow(/^km\.layers\.lstm\(\) needs an options object/);
    // Layers whose options are all optional still take none.
    expect(km.layers.flatten().className).toBe('Flatten');
  });

  it('an inputShape or batchInputShape that is not a list', () => {
    // @ts-expect-error inputShape is a list
    expect(() => km.layers.dense({ units: 3, inputShape: 3, name: 'd3' })).toThrow("Layer 'd3': inputShape is a list of dimensions without the batch, such as [3]. Received: inputShape=3.");
    // @ts-expect-error batchInputShape is a list
    expect(() => km.layers.dense({ units: 3, batchInputShape: 3, name: 'b3' })).toThrow("Layer 'b3': batchInputShape is a list of dimensions with the batch size (or null) first, such as [null, 3]. Received: batchInputShape=3.");
  });

  it("fit's seed, initialEpoch and validationSplit, and a number given as a string", async () => {
    const m = model();
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const before = m.getWeights().map((w) => Array.from(w.dataSync()));
    for (const seed of [-1, 1.5, 2 ** 40, Number.NaN, 'abc']) {
      await expect(m.fit(images, labels, { seed: seed as number, verbose: 0 })).rejects.toThrow(`fit's seed must be an integer from 0 to 4294967295. Received: seed=${typeof seed === 'string' ? `"${seed}"` : seed}.`);
    }
    await expect(m.fit(images, labels, { initialEpoch: -1, verbose: 0 })).rejects.toThrow('initialEpoch must be a non-negative integer: the 0-based epoch to start from (2 resumes after 2 finished epochs). Received: initialEpoch=-1.');
    await expect(m.fit(images, labels, { initialEpoch: '1' as unknown as number, verbose: 0 })).rejects.toThrow('Received: initialEpoch="1".');
    await expect(m.fit(images, labels, { validationSplit: '0.2' as unknown as number, verbose: 0 })).rejects.toThrow('validationSplit must be a number in [0, 1), the fraction of samples held out. Received: validationSplit="0.2".');
    await expect(m.fit(images, labels, { batchSize: '32' as unknown as number, verbose: 0 })).rejects.toThrow('batchSize must be a positive integer. Received: batchSize="32".');
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });

  it('km.model refuses two inputs or two layers of one name, which feeding by name and saving need apart', () => {
    const a = km.input({ shape: [3], name: 'x' });
    const b = km.input({ shape: [3], name: 'x' });
    const joined = km.layers.concatenate().apply([a, b]) as km.SymbolicTensor;
    expect(() => km.model({ inputs: [a, b], outputs: km.layers.dense({ units: 1 }).apply(joined) as km.SymbolicTensor })).toThrow(
      "km.model: the name 'x' is used by two inputs; a model's inputs and layers need distinct names, since inputs are fed and saved by name. Give one of them another name, or leave name out for a unique one.",
    );
    const input = km.input({ shape: [2], name: 'features' });
    const twice = km.layers.dense({ units: 2, name: 'h' }).apply(km.layers.dense({ units: 2, name: 'h' }).apply(input));
    expect(() => km.model({ inputs: input, outputs: twice as km.SymbolicTensor })).toThrow("km.model: the name 'h' is used by two layers;");
    expect(() => km.model({ inputs: input, outputs: km.layers.dense({ units: 1, name: 'features' }).apply(input) as km.SymbolicTensor })).toThrow("km.model: the name 'features' is used by an input and a layer;");
    // One layer applied twice is one layer.
    const shared = km.layers.dense({ units: 2, name: 'shared' });
    expect(km.model({ inputs: input, outputs: shared.apply(shared.apply(input)) as km.SymbolicTensor }).layers.map((l) => l.name)).toEqual(['features', 'shared']);
  });
});
