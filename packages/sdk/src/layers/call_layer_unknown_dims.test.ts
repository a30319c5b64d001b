import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { maxAbsDiff } from '../io/testing/round_trip.js';
import { MinimalRNNCell } from '../testing/custom_cells.js';

// Layers of the user's own code (km.layers.CallLayer, an RNN over a km.layers.CallCell) in models
// whose inputs have dimensions of unknown size: `build` runs again for each size the data brings
// (Layer.rebind), so the handles it keeps must stay the layer's own weights. Each model is checked
// against a reference computed another way, at every length.

beforeAll(async () => {
  await km.ready();
});

/** Each step's features scaled by a learned vector, then shifted by a learned scalar. */
class StepScale extends km.layers.CallLayer {
  readonly className = 'StepScale';
  #scale!: km.layers.LayerWeight;
  #shift!: km.layers.LayerWeight;

  constructor(args: km.layers.LayerArgs) {
    super(args, 'StepScale');
  }

  protected override build([shape]: readonly km.layers.Shape[]): void {
    this.#scale = this.addWeight('scale', [shape.at(-1)!], 'ones');
    this.#shift = this.addWeight('shift', [1], 'zeros');
  }

  call(x: km.Tensor): km.Tensor {
    return km.add(km.mul(x, this.#scale.read()), this.#shift.read());
  }
}

function wave(shape: number[], phase = 0): km.Tensor {
  return km.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.41 + phase)), shape);
}

describe('user code over dimensions of unknown size', () => {
  it('a CallLayer over sequences of any length predicts and trains as a naive loop over its weights says', async () => {
    const model = km.sequential([new StepScale({ inputShape: [null, 3], name: 'scale' }), km.layers.globalAveragePooling1d()]);
    model.getLayer('scale').setWeights([km.tensor([0.5, -2, 3]), km.tensor([0.25])]);
    for (const steps of [2, 5, 1]) {
      const x = wave([2, steps, 3], steps);
      const values = x.dataSync();
      // mean over steps of x·scale + shift, per sample and feature
      const expected = Array.from({ length: 6 }, (_, i) => {
        const [sample, feature] = [Math.floor(i / 3), i % 3];
        let sum = 0;
        for (let t = 0; t < steps; t++) sum += values[(sample * steps + t) * 3 + feature] * [0.5, -2, 3][feature] + 0.25;
        return sum / steps;
      });
      expect(maxAbsDiff((model.predict(x) as km.Tensor).dataSync(), expected)).toBeLessThan(1e-6);
    }
    // Training at two lengths moves the weights as the same model at each fixed length does.
    const fixed = (steps: number) => {
      const m = km.sequential([new StepScale({ inputShape: [steps, 3], name: 'scale' }), km.layers.globalAveragePooling1d()]);
      m.setWeights(model.getWeights());
      m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
      return m;
    };
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    for (const steps of [4, 2]) {
      const reference = fixed(steps);
      const [x, y] = [wave([5, steps, 3], 1), wave([5, 3], 2)];
      const args = { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 as const };
      const ours = (await model.fit(x, y, args)).history.loss;
      const theirs = (await reference.fit(x, y, args)).history.loss;
      ours.forEach((loss, i) => expect(Math.abs(loss - theirs[i])).toBeLessThan(1e-6));
      expect(maxAbsDiff(model.getWeights()[0].dataSync(), reference.getWeights()[0].dataSync())).toBeLessThan(1e-6);
    }
  });

  it('an RNN over a custom cell at any length computes what the built-in SimpleRNN computes with the same weights', async () => {
    const ours = km.sequential([km.layers.rnn({ cell: new MinimalRNNCell(2), inputShape: [null, 3] })]);
    const builtIn = km.sequential([km.layers.simpleRNN({ units: 2, activation: 'linear', useBias: false, inputShape: [null, 3] })]);
    builtIn.setWeights(ours.getWeights());
    for (const steps of [3, 6, 1]) {
      const x = wave([2, steps, 3], steps);
      expect(maxAbsDiff((ours.predict(x) as km.Tensor).dataSync(), (builtIn.predict(x) as km.Tensor).dataSync())).toBeLessThan(1e-5);
    }
  });

  it('an RNN over a custom cell called without, then with, initial states runs both calls', () => {
    const x = km.input({ shape: [4, 3] });
    const h0 = km.input({ shape: [2] });
    const rnn = km.layers.rnn({ cell: new MinimalRNNCell(2) });
    const plain = rnn.apply(x) as km.SymbolicTensor;
    const started = rnn.apply(x, { initialState: [h0] }) as km.SymbolicTensor;
    const model = km.model({ inputs: [x, h0], outputs: [plain, started] });
    const data = wave([2, 4, 3]);
    const [fromZeros, fromGiven] = model.predict([data, km.zeros([2, 2])]) as km.Tensor[];
    expect(maxAbsDiff(fromGiven.dataSync(), fromZeros.dataSync())).toBe(0);
    const [, fromOnes] = model.predict([data, km.ones([2, 2])]) as km.Tensor[];
    expect(maxAbsDiff(fromOnes.dataSync(), fromZeros.dataSync())).toBeGreaterThan(1e-3);
  });
});
