// A custom cell (km.layers.CallCell) run by km.layers.rnn against the same cell written as a subclass
// of TensorFlow.js' RNNCell, run by tfjs-layers' RNN, with the same weights.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { MinimalRNNCell, TwoStateCell } from '../testing/custom_cells.js';
import { expectClose } from '../testing/expect_close.js';
import { expectSameFit } from '../testing/tfjs_fit_parity.js';
import { Random } from '../utils/random.js';

/** Keras' MinimalRNNCell as tfjs' guide subclasses RNNCell: h = x·W + h·U. */
class TfjsMinimalRNNCell extends tfl.layers.RNNCell {
  static className = 'TfjsMinimalRNNCell';
  stateSize: number;
  kernel!: tfl.LayerVariable;
  recurrentKernel!: tfl.LayerVariable;

  constructor(units: number) {
    super({});
    this.stateSize = units;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = inputShape as tfl.Shape;
    this.kernel = this.addWeight('kernel', [shape[shape.length - 1]!, this.stateSize], 'float32', tfl.initializers.glorotUniform({}));
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.stateSize, this.stateSize], 'float32', tfl.initializers.glorotUniform({}));
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    const [input, state] = inputs as tf.Tensor[];
    const h = tf.add(tf.matMul(input, this.kernel.read()), tf.matMul(state, this.recurrentKernel.read()));
    return [h, h];
  }
}

/** {@link TwoStateCell} in tfjs. */
class TfjsTwoStateCell extends tfl.layers.RNNCell {
  static className = 'TfjsTwoStateCell';
  stateSize: number[];
  kernel!: tfl.LayerVariable;
  recurrentKernel!: tfl.LayerVariable;
  bias!: tfl.LayerVariable;

  constructor(readonly units: number) {
    super({});
    this.stateSize = [units, units];
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = inputShape as tfl.Shape;
    const init = () => tfl.initializers.glorotUniform({});
    this.kernel = this.addWeight('kernel', [shape[shape.length - 1]!, this.units], 'float32', init());
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, this.units], 'float32', init());
    this.bias = this.addWeight('bias', [this.units], 'float32', init());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    const [input, h, c] = inputs as tf.Tensor[];
    const a = tf.add(tf.add(tf.matMul(input, this.kernel.read()), tf.matMul(h, this.recurrentKernel.read())), this.bias.read());
    const next = tf.add(tf.mul(c, 0.5), tf.tanh(a));
    const out = tf.mul(tf.tanh(next), tf.sigmoid(a));
    return [out, out, next];
  }
}

const [batch, steps, features, units] = [3, 5, 4, 3];

function sequences(seed: number, n = batch): Float32Array {
  const random = new Random(seed);
  return Float32Array.from({ length: n * steps * features }, () => random.uniform(-1.5, 1.5));
}

type Options = { returnSequences: boolean; returnState: boolean; goBackwards: boolean };
const CASES: Options[] = [
  { returnSequences: false, returnState: false, goBackwards: false },
  { returnSequences: true, returnState: false, goBackwards: false },
  { returnSequences: false, returnState: true, goBackwards: false },
  { returnSequences: true, returnState: true, goBackwards: true },
  { returnSequences: false, returnState: false, goBackwards: true },
];

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

describe('km.layers.rnn over a custom cell against tfjs-layers RNN over an RNNCell subclass', () => {
  const kinds = [
    { name: 'MinimalRNNCell', ours: () => new MinimalRNNCell(units), theirs: () => new TfjsMinimalRNNCell(units) },
    { name: 'TwoStateCell (two states)', ours: () => new TwoStateCell(units), theirs: () => new TfjsTwoStateCell(units) },
  ];
  describe.each(kinds)('$name', (kind) => {
    it.each(CASES)('gives tfjs\' outputs and final states: returnSequences $returnSequences, returnState $returnState, goBackwards $goBackwards', (options) => {
      km.utils.setRandomSeed(11);
      const input = km.input({ shape: [steps, features] });
      const layer = km.layers.rnn({ cell: kind.ours(), ...options });
      const applied = layer.apply(input);
      const model = km.model({ inputs: input, outputs: applied });
      const theirInput = tfl.input({ shape: [steps, features] });
      const theirLayer = tfl.layers.rnn({ cell: kind.theirs(), ...options });
      const reference = tfl.model({ inputs: theirInput, outputs: theirLayer.apply(theirInput) as tfl.SymbolicTensor | tfl.SymbolicTensor[] });
      const weights = layer.getWeights();
      expect(weights.length).toBe(kind.name === 'MinimalRNNCell' ? 2 : 3);
      theirLayer.setWeights(weights.map((w) => tf.tensor(w.dataSync(), [...w.shape])));

      const x = sequences(2);
      const ours = [model.predict(km.tensor(x, [batch, steps, features]))].flat();
      const theirs = [reference.predict(tf.tensor(x, [batch, steps, features]))].flat() as tf.Tensor[];
      const stateCount = Array.isArray(kind.ours().stateSize) ? 2 : 1;
      expect(ours.length).toBe(options.returnState ? 1 + stateCount : 1);
      expect(ours.length).toBe(theirs.length);
      ours.forEach((t, i) => {
        expect(t.shape).toEqual(theirs[i].shape);
        expectClose(t.dataSync(), theirs[i].dataSync(), 1e-5);
      });
    });
  });

  it('trains as tfjs does: SGD losses and weights after 3 epochs', async () => {
    const n = 32;
    const x = sequences(7, n);
    const y = Float32Array.from({ length: n }, (_, i) => Math.sin(x[i * steps * features] + x[i * steps * features + 5]));
    await expectSameFit(
      {
        kerasm: () => [km.layers.rnn({ cell: new TwoStateCell(units), inputShape: [steps, features] }), km.layers.dense({ units: 1 })],
        tfjs: () => [tfl.layers.rnn({ cell: new TfjsTwoStateCell(units), inputShape: [steps, features] }), tfl.layers.dense({ units: 1 })],
        loss: 'meanSquaredError',
        x: [x, [n, steps, features]],
        y: [y, [n, 1]],
      },
      { seed: 4, learningRate: 0.2, tolerance: 1e-5 },
    );
  });
});
