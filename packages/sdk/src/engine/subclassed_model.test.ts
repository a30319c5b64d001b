import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';
import { expectSameModelFit } from '../testing/tfjs_model_parity.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

function values(n: number, random: Random): Float32Array {
  return Float32Array.from({ length: n }, () => random.uniform(-1, 1));
}

/** Two inputs, a residual connection and two heads, written as Keras' model subclassing writes it. */
class TwoTowers extends km.Model {
  readonly left = km.layers.dense({ units: 6, activation: 'tanh', name: 'left' });
  readonly right = km.layers.dense({ units: 6, activation: 'relu', name: 'right' });
  readonly mix = km.layers.dense({ units: 6, activation: 'tanh', name: 'mix' });
  readonly regression = km.layers.dense({ units: 2, name: 'regression' });
  readonly score = km.layers.dense({ units: 1, activation: 'sigmoid', name: 'score' });

  call([a, b]: km.SymbolicTensor[]): km.SymbolicTensor[] {
    const joined = km.layers.concatenate({ name: 'joined' }).apply([this.left.apply(a), this.right.apply(b)]);
    const residual = km.layers.add({ name: 'residual' }).apply([this.mix.apply(joined), this.left.apply(a)]);
    return [this.regression.apply(residual), this.score.apply(joined)];
  }
}

function tfjsTwoTowers(): tfl.LayersModel {
  const [a, b] = [tfl.input({ shape: [4], name: 'a' }), tfl.input({ shape: [3], name: 'b' })];
  const left = tfl.layers.dense({ units: 6, activation: 'tanh', name: 'left' });
  const joined = tfl.layers.concatenate({ name: 'joined' }).apply([left.apply(a), tfl.layers.dense({ units: 6, activation: 'relu', name: 'right' }).apply(b)] as tfl.SymbolicTensor[]) as tfl.SymbolicTensor;
  const mixed = tfl.layers.dense({ units: 6, activation: 'tanh', name: 'mix' }).apply(joined) as tfl.SymbolicTensor;
  const residual = tfl.layers.add({ name: 'residual' }).apply([mixed, left.apply(a) as tfl.SymbolicTensor]) as tfl.SymbolicTensor;
  const outputs = [tfl.layers.dense({ units: 2, name: 'regression' }).apply(residual), tfl.layers.dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(joined)] as tfl.SymbolicTensor[];
  return tfl.model({ inputs: [a, b], outputs });
}

describe('km.Model: Keras model subclassing, traced from call()', () => {
  it('a subclass with two inputs, a shared layer and two heads predicts and trains as the same functional model in tfjs', async () => {
    km.utils.setRandomSeed(3);
    const random = new Random(4);
    const n = 24;
    const model = new TwoTowers();
    expect(model.built).toBe(false);
    expect(model.layers).toEqual([]);
    model.build([[null, 4], [null, 3]]);
    expect(model.built).toBe(true);
    await expectSameModelFit(
      {
        ours: model,
        theirs: tfjsTwoTowers(),
        x: [[values(n * 4, random), [n, 4]], [values(n * 3, random), [n, 3]]],
        y: [[values(n * 2, random), [n, 2]], [Float32Array.from({ length: n }, () => (random.uniform(0, 1) > 0.5 ? 1 : 0)), [n, 1]]],
        losses: ['meanSquaredError', 'binaryCrossentropy'],
      },
      { learningRate: 0.1, batchSize: 8 },
    );
  });

  it('is built from the first data, in its form: an object of inputs gives call an object, and call may name its outputs', async () => {
    class Named extends km.Model {
      readonly hidden = km.layers.dense({ units: 5, activation: 'relu' });
      readonly digit = km.layers.dense({ units: 3, activation: 'softmax' });
      readonly parity = km.layers.dense({ units: 1, activation: 'sigmoid' });

      call({ pixels, extra }: Record<string, km.SymbolicTensor>): Record<string, km.SymbolicTensor> {
        const h = this.hidden.apply(km.layers.concatenate().apply([pixels, extra]));
        return { digit: this.digit.apply(h), parity: this.parity.apply(h) };
      }
    }
    km.utils.setRandomSeed(8);
    const random = new Random(9);
    const model = new Named();
    model.compile({ optimizer: 'adam', loss: { digit: 'sparseCategoricalCrossentropy', parity: 'binaryCrossentropy' } });
    const x = { pixels: km.tensor(values(10 * 4, random), [10, 4]), extra: km.tensor(values(10 * 2, random), [10, 2]) };
    const y = { digit: km.tensor(Array.from({ length: 10 }, (_, i) => i % 3), [10], 'int32'), parity: km.tensor(Array.from({ length: 10 }, (_, i) => i % 2), [10, 1]) };
    const history = await model.fit(x, y, { epochs: 3, batchSize: 5, verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(['digit_loss', 'loss', 'parity_loss']);
    expect(model.inputNames).toEqual(['pixels', 'extra']);
    expect(model.outputNames).toEqual(['digit', 'parity']);

    // The same layers (shared, so the same weights) in a functional model: identical predictions.
    const [pixels, extra] = [km.input({ shape: [4], name: 'p' }), km.input({ shape: [2], name: 'e' })];
    const h = model.hidden.apply(km.layers.concatenate().apply([pixels, extra]));
    const functional = km.model({ inputs: [pixels, extra], outputs: { digit: model.digit.apply(h), parity: model.parity.apply(h) } });
    const ours = model.predict<Record<string, km.Tensor>>(x);
    const reference = functional.predict([x.pixels, x.extra]);
    expect(Object.keys(ours)).toEqual(['digit', 'parity']);
    expect(Array.from(ours.digit.dataSync())).toEqual(Array.from(reference.digit.dataSync()));
    expect(Array.from(ours.parity.dataSync())).toEqual(Array.from(reference.parity.dataSync()));
  });

  it('takes the dtype of its data: int32 ids reach an Embedding in call', async () => {
    class Tagger extends km.Model<km.Tensor<'float32'>> {
      readonly embedding = km.layers.embedding({ inputDim: 7, outputDim: 3 });
      readonly pool = km.layers.globalAveragePooling1d();
      readonly head = km.layers.dense({ units: 1 });

      call(ids: km.SymbolicTensor): km.SymbolicTensor {
        return this.head.apply(this.pool.apply(this.embedding.apply(ids)));
      }
    }
    const model = new Tagger();
    const ids = km.tensor([[1, 2, 3], [6, 5, 4]], [2, 3], 'int32');
    const predicted = model.predict(ids);
    expect(model.inputs[0].dtype).toBe('int32');
    // Independent of the graph: the embedding rows, averaged, through the dense head.
    const [table] = model.embedding.getWeights().map((w) => w.arraySync() as number[][]);
    const [kernel, bias] = model.head.getWeights().map((w) => w.dataSync());
    [[1, 2, 3], [6, 5, 4]].forEach((row, i) => {
      const mean = [0, 1, 2].map((j) => row.reduce((s, id) => s + table[id][j], 0) / 3);
      expect(predicted.dataSync()[i]).toBeCloseTo(mean.reduce((s, v, j) => s + v * kernel[j], bias[0]), 5);
    });
  });

  it('names and lists its layers as Keras does, and summarises and counts them once built', () => {
    class MLP extends km.Model {
      readonly hidden = km.layers.dense({ units: 8, activation: 'relu' });
      readonly out = km.layers.dense({ units: 2 });

      call(x: km.SymbolicTensor): km.SymbolicTensor {
        return this.out.apply(this.hidden.apply(x));
      }
    }
    const [first, second] = [new MLP(), new MLP({ name: 'custom' })];
    expect(first.name).toMatch(/^mlp(_\d+)?$/);
    expect(second.name).toBe('custom');
    expect(first.className).toBe('MLP');
    expect(first.countParams()).toBe(0);
    expect(() => first.outputs).toThrow("Model '" + first.name + "' is not built yet, so it has no symbolic inputs or outputs: call model.build([null, ...inputShape]) to trace call() for that shape, or call fit/predict first.");
    first.build([null, 5]);
    expect(first.layers).toEqual([first.hidden, first.out]);
    expect(first.countParams()).toBe(5 * 8 + 8 + 8 * 2 + 2);
    expect(first.getWeights().map((w) => w.shape)).toEqual([[5, 8], [8], [8, 2], [2]]);
    const lines: string[] = [];
    first.summary({ printFn: (line: string) => lines.push(line) });
    expect(lines.join('\n')).toMatch(new RegExp(`${first.hidden.name} \\(Dense\\)`));
    expect(lines.join('\n')).toMatch(/Total params: 66/);
    expect(() => first.build([null, 6])).toThrow(/is built for inputs of shape \[null, 5\]/);
  });

  it('saves as its traced functional model, which kerasm and tfjs load without the class', async () => {
    class Regressor extends km.Model {
      readonly hidden = km.layers.dense({ units: 4, activation: 'tanh', name: 'hidden' });
      readonly out = km.layers.dense({ units: 1, name: 'out' });

      call(x: km.SymbolicTensor): km.SymbolicTensor {
        return this.out.apply(this.hidden.apply(x));
      }
    }
    const model = new Regressor();
    const x = km.tensor(values(6 * 3, new Random(2)), [6, 3]);
    const expected = Array.from((model.predict(x) as km.Tensor).dataSync());
    const artifacts = await savedArtifacts(model, false);
    expect((artifacts.modelTopology as { class_name: string }).class_name).toBe('Model');
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded).toBeInstanceOf(km.Functional);
    expect(Array.from((loaded.predict(x) as km.Tensor).dataSync())).toEqual(expected);
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const theirValues = (theirs.predict(tf.tensor(x.dataSync(), [6, 3])) as tf.Tensor).dataSync();
    expected.forEach((v, i) => expect(theirValues[i]).toBeCloseTo(v, 5));
  });

  it('is built when applied to a symbolic tensor, so it nests in a functional model, and layers in call follow the pass mode', async () => {
    class Block extends km.Model {
      readonly dense = km.layers.dense({ units: 16, activation: 'relu' });
      readonly dropout = km.layers.dropout({ rate: 0.5 });

      call(x: km.SymbolicTensor, { training }: km.ModelCallArgs): km.SymbolicTensor {
        return this.dropout.apply(this.dense.apply(x), { training });
      }
    }
    const block = new Block();
    const input = km.input({ shape: [4] });
    const outer = km.model({ inputs: input, outputs: km.layers.dense({ units: 2 }).apply(block.apply(input)) });
    expect(block.built).toBe(true);
    expect(outer.layers).toContain(block);
    const x = km.ones([8, 4]);
    const inference = Array.from(block.predict(x).dataSync());
    expect(Array.from(block.predict(x).dataSync())).toEqual(inference);
    const trained = Array.from((block.apply(x, { training: true }) as km.Tensor).dataSync());
    // Dropout at rate 0.5 in training mode zeroes about half the units, and scales the rest by 2.
    expect(trained.filter((v) => v === 0).length).toBeGreaterThan(inference.filter((v) => v === 0).length);
    trained.forEach((v, i) => expect(v === 0 || Math.abs(v - 2 * inference[i]) < 1e-5).toBe(true));
    outer.compile({ optimizer: 'sgd', loss: 'mse' });
    const history = await outer.fit(x, km.zeros([8, 2]), { epochs: 2, verbose: 0 });
    expect(history.history.loss).toHaveLength(2);
  });
});

describe('km.Model: mistakes get errors that name the fix', () => {
  it('a subclass without call', () => {
    // JavaScript, where nothing checks that an abstract method is defined.
    const Model = km.Model as unknown as new () => object;
    class NoCall extends Model {}
    expect(() => new NoCall()).toThrow("NoCall extends km.Model but defines no call(inputs), which connects its layers: call(x) { return this.dense.apply(x); }.");
  });

  it('call returning data computed with km ops, or nothing', () => {
    class Returns extends km.Model {
      constructor(readonly result: (x: km.SymbolicTensor) => unknown) {
        super();
      }

      call(x: km.SymbolicTensor): km.SymbolicTensor {
        return this.result(x) as km.SymbolicTensor;
      }
    }
    expect(() => new Returns(() => km.ones([1, 2])).build([null, 2])).toThrow(
      "Returns.call must return the outputs of the layers it applies: a symbolic tensor, a non-empty list of them, or an object of them keyed by output name. Received: Tensor. It returned data: call receives symbolic inputs, which only layers compute on; apply layers to them (km.layers.lambda((x) => ...) wraps km ops).",
    );
    expect(() => new Returns(() => undefined).predict(km.ones([1, 2]))).toThrow(/Received: undefined\.$/);
    expect(() => new Returns(() => []).build([null, 2])).toThrow(/Received: a list of 0\.$/);
  });

  it('km ops given a symbolic tensor name the layers to use', () => {
    class Ops extends km.Model {
      call(x: km.SymbolicTensor): km.SymbolicTensor {
        return km.add(x as unknown as km.Tensor, 1) as unknown as km.SymbolicTensor;
      }
    }
    expect(() => new Ops({ name: 'ops' }).build([null, 3])).toThrow(
      "km.add(): a is a symbolic tensor ('ops_input'), a placeholder for a model's data, and km ops compute on data. Where a functional model or a km.Model's call connects layers, compute with layers: the merge layers (km.layers.add(), km.layers.multiply(), km.layers.concatenate()), or km.layers.lambda((x) => ...) around the ops.",
    );
  });

  it('a layer with weights applied to data inside a CallLayer, whose weights the model would not train, names km.Model', () => {
    const inner = km.layers.dense({ units: 2, name: 'inner' });
    class Wrapping extends km.layers.CallLayer {
      readonly className = 'Wrapping';
      constructor() {
        super({ name: 'wrapping' }, 'Wrapping');
      }
      call(x: km.Tensor): km.Tensor {
        return inner.apply(x);
      }
    }
    // Found when the model traces the layer's output shape, by running call once.
    expect(() => km.sequential([km.input({ shape: [3] }), new Wrapping()])).toThrow(
      "Layer 'inner' (Dense).apply is applied to data inside Wrapping 'wrapping'.call, so its weights stay outside the model that holds 'wrapping', and training it would not train them. For a block of layers, write a km.Model subclass whose call() applies them and apply it inside the model (docs/CUSTOM_LAYERS.md, Models); or declare the weights with addWeight and compute with km ops; or, for layers kept as they are, set their trainable to false.",
    );
    // A frozen layer computes there as it is.
    inner.trainable = false;
    const frozen = km.sequential([km.input({ shape: [3] }), new Wrapping()]);
    expect(frozen.predict(km.ones([2, 3])).shape).toEqual([2, 2]);
  });

  it('unknown options to super', () => {
    class Opts extends km.Model {
      constructor() {
        super({ nmae: 'x' } as km.ModelArgs);
      }

      call(x: km.SymbolicTensor): km.SymbolicTensor {
        return x;
      }
    }
    expect(() => new Opts()).toThrow(/nmae/);
  });
});
