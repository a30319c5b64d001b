import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { getInitializer } from '../initializers/initializers.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

/** M·Mᵀ of a [rows, cols] matrix. */
function gram(m: Float32Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: rows }, (_, j) => {
    let s = 0;
    for (let k = 0; k < cols; k++) s += m[i * cols + k] * m[j * cols + k];
    return s;
  }));
}

function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  return Float32Array.from({ length: rows * cols }, (_, i) => m[(i % rows) * cols + Math.floor(i / rows)]);
}

describe('Orthogonal initializer', () => {
  it.each([[4, 12], [12, 4], [5, 5]])('[%i, %i]: the fewer of rows or columns are orthonormal, times gain; seeded', (rows, cols) => {
    const init = getInitializer({ className: 'Orthogonal', config: { gain: 2 } });
    const w = init([rows, cols], new Random(3));
    const [m, r, c] = rows <= cols ? [w, rows, cols] : [transpose(w, rows, cols), cols, rows];
    gram(m, r, c).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 4 : 0, 5)));
    expect(Array.from(init([rows, cols], new Random(3)))).toEqual(Array.from(w));
    expect(Array.from(init([rows, cols], new Random(4)))).not.toEqual(Array.from(w));
  });

  it('is named orthogonal and saves as tfjs writes it; refuses a 1-D weight', () => {
    const lstm = km.layers.lstm({ units: 2, recurrentInitializer: 'orthogonal' });
    expect(lstm.getConfig().recurrentInitializer).toEqual({ className: 'Orthogonal', config: { gain: 1, seed: null } });
    expect(() => getInitializer('orthogonal')([5], new Random(1))).toThrow(/at least 2 dimensions. Received: shape=\[5\]/);
  });
});

describe('LSTM options', () => {
  it("defaults as tfjs-layers 4.22 (tanh, hardSigmoid, glorotNormal, orthogonal, zeros) with Keras' unit forget bias", async () => {
    km.utils.setRandomSeed(2);
    const model = km.sequential([km.layers.lstm({ units: 3, inputShape: [4, 2] })]);
    const config = model.layers[0].getConfig();
    expect(config).toMatchObject({
      units: 3, activation: 'tanh', recurrentActivation: 'hardSigmoid', useBias: true, unitForgetBias: true, returnSequences: false, goBackwards: false,
      kernelInitializer: { className: 'VarianceScaling', config: { distribution: 'normal', mode: 'fanAvg', scale: 1 } },
      recurrentInitializer: { className: 'Orthogonal' }, biasInitializer: { className: 'Zeros' },
    });
    const [kernel, recurrent, bias] = model.getWeights();
    expect([kernel.shape, recurrent.shape, bias.shape]).toEqual([[2, 12], [3, 12], [12]]);
    expect(Array.from(bias.dataSync())).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(model.outputs[0].shape).toEqual([3]);
  });

  it('unitForgetBias false or null (tfjs writes null when unset) starts the forget bias at the bias initializer', () => {
    for (const unitForgetBias of [false, null]) {
      const model = km.sequential([km.layers.lstm({ units: 2, inputShape: [3, 1], unitForgetBias })]);
      expect(Array.from(model.getWeights()[2].dataSync())).toEqual(new Array(8).fill(0));
      expect(model.layers[0].getConfig().unitForgetBias).toBe(false);
    }
  });

  it('returnSequences gives [steps, units]; goBackwards reverses the order the steps are read', () => {
    km.utils.setRandomSeed(9);
    const forward = km.layers.lstm({ units: 2, returnSequences: true, inputShape: [3, 1] });
    const model = km.sequential([forward]);
    expect(model.outputs[0].shape).toEqual([3, 2]);
    const backwards = km.sequential([km.layers.lstm({ units: 2, goBackwards: true, inputShape: [3, 1] })]);
    backwards.setWeights(model.getWeights());
    const x = km.tensor([1, 2, 3], [1, 3, 1]);
    const reversed = km.tensor([3, 2, 1], [1, 3, 1]);
    // Reading [1, 2, 3] backwards ends in the state of reading [3, 2, 1] forwards.
    const last = Array.from(model.predict(reversed).dataSync()).slice(4);
    Array.from(backwards.predict(x).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(last[i], 6));
  });

  const where = "LSTM layer 'lstm_bad'";
  it.each([
    [{ units: 0 }, `${where}: units must be a positive integer. Received: units=0.`],
    [{ units: 2.5 }, 'Received: units=2.5'],
    [{ units: 2, returnState: 'yes' }, `${where}: returnState must be true or false. Received: returnState="yes".`],
    [{ units: 2, stateful: 'yes' }, `${where}: stateful must be true or false. Received: stateful="yes".`],
    [{ units: 2, dropout: 1.5 }, 'dropout must be a number in [0, 1) (the fraction of the inputs to drop while training). Received: dropout=1.5.'],
    [{ units: 2, activation: 'softmax' }, "activation must be an element-wise activation such as 'tanh' or 'sigmoid'; softmax normalizes over a whole row, which a recurrent cell cannot apply per gate. Received: activation='softmax'."],
    [{ units: 2, recurrentActivation: 'swish' }, "recurrentActivation 'swish' is not supported in recurrent cells yet: the cell computes its gradients from the gate outputs, and swish's needs the gate inputs. Received: recurrentActivation='swish'. Use 'tanh', 'sigmoid', 'hardSigmoid' or 'relu'."],
    [{ units: 2, activation: 'hard_swish' }, "LSTM layer 'lstm_bad': activation 'hard_silu' is not supported in recurrent cells yet"],
    [{ units: 2, unitForgetBias: 'yes' }, 'unitForgetBias must be true or false. Received: unitForgetBias="yes".'],
    [{ units: 2, goBackwards: 1 }, 'goBackwards must be true or false. Received: goBackwards=1.'],
  ])('rejects %j with a message naming it', (args, message) => {
    expect(() => km.layers.lstm({ name: 'lstm_bad', ...(args as km.layers.LSTMArgs) })).toThrow(message);
  });

  it('rejects a misspelt option and an input that is not [steps, features]', () => {
    expect(() => km.layers.lstm({ units: 2, returnSequence: true } as unknown as km.layers.LSTMArgs)).toThrow("km.layers.lstm has no option 'returnSequence'; did you mean 'returnSequences'?");
    expect(() => km.sequential([km.layers.lstm({ name: 'lstm_rank', units: 2, inputShape: [4, 3, 2] })])).toThrow(
      "LSTM layer 'lstm_rank' expects sequences of shape [steps, features], but received inputs of shape (None, 4, 3, 2).",
    );
    expect(() => km.sequential([km.layers.lstm({ name: 'lstm_flat', units: 2, inputShape: [4] })])).toThrow('km.layers.reshape({ targetShape: [steps, 1] })');
    // SimpleRNN has one activation and no gates.
    expect(() => km.layers.simpleRNN({ units: 2, recurrentActivation: 'sigmoid' } as unknown as km.layers.SimpleRNNArgs)).toThrow("km.layers.simpleRNN has no option 'recurrentActivation'");
    expect(() => km.layers.simpleRNN({ name: 'rnn_bad', units: 2, returnState: 1 } as unknown as km.layers.SimpleRNNArgs)).toThrow("SimpleRNN layer 'rnn_bad': returnState must be true or false. Received: returnState=1.");
    expect(() => km.layers.gru({ name: 'gru_bad', units: 2, resetAfter: 'yes' } as unknown as km.layers.GRUArgs)).toThrow(
      "GRU layer 'gru_bad': resetAfter must be true or false. Received: resetAfter=\"yes\".",
    );
    expect(() => km.layers.gru({ name: 'gru_bad2', units: 2, recurrentDropout: -0.1 })).toThrow("GRU layer 'gru_bad2': recurrentDropout must be a number in [0, 1) (the fraction of the previous hidden state to drop while training). Received: recurrentDropout=-0.1.");
    // A misspelt initializer fails where the layer is made, not later in a model.
    expect(() => km.layers.lstm({ units: 2, recurrentInitializer: 'orthagonal' as 'orthogonal' })).toThrow(/Unknown initializer "orthagonal"\. Valid initializers:/);
  });
});

describe('GRU options', () => {
  it('defaults as tfjs-layers 4.22, weights [features, 3·units], [units, 3·units], [3·units]; resetAfter null or false loads', () => {
    for (const resetAfter of [undefined, null, false]) {
      const model = km.sequential([km.layers.gru({ units: 3, inputShape: [4, 2], resetAfter })]);
      expect(model.layers[0].getConfig()).toMatchObject({ activation: 'tanh', recurrentActivation: 'hardSigmoid', resetAfter: false, recurrentInitializer: { className: 'Orthogonal' } });
      expect(model.getWeights().map((w) => w.shape)).toEqual([[2, 9], [3, 9], [9]]);
    }
  });

  it('resetAfter true has Keras\' bias [2, 3·units] (input row, recurrent row) and survives a save and load', async () => {
    km.utils.setRandomSeed(3);
    const model = km.sequential([km.layers.gru({ units: 3, inputShape: [4, 2], resetAfter: true, recurrentActivation: 'sigmoid', biasInitializer: 'glorotUniform' }), km.layers.dense({ units: 1 })]);
    expect(model.getWeights().map((w) => w.shape)).toEqual([[2, 9], [3, 9], [2, 9], [3, 1], [1]]);
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (artifacts) => void (saved = artifacts)));
    const layerConfig = (saved!.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config;
    expect(layerConfig.reset_after).toBe(true);
    const reloaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    const x = km.tensor(Float32Array.from({ length: 5 * 8 }, (_, i) => Math.sin(i)), [5, 4, 2]);
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });
});

describe('LSTM learns', () => {
  it('the next value of a sine wave from the last 12 values (validation MSE below 0.005)', async () => {
    km.utils.setRandomSeed(1);
    const random = new Random(7);
    const [n, steps] = [320, 12];
    const phases = Array.from({ length: n }, () => random.uniform(0, 2 * Math.PI));
    const freqs = Array.from({ length: n }, () => random.uniform(0.2, 0.6));
    const x = Float32Array.from(phases.flatMap((p, i) => Array.from({ length: steps }, (_, t) => Math.sin(p + freqs[i] * t))));
    const y = Float32Array.from(phases.map((p, i) => Math.sin(p + freqs[i] * steps)));
    const model = km.sequential([km.layers.lstm({ units: 16, inputShape: [steps, 1], recurrentActivation: 'sigmoid' }), km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01 }), loss: 'mse' });
    const history = await model.fit(km.tensor(x, [n, steps, 1]), km.tensor(y, [n, 1]), { epochs: 40, batchSize: 32, validationSplit: 0.2, verbose: 0 });
    const val = history.history.val_loss as number[];
    expect(val[0]).toBeGreaterThan(0.05);
    expect(val[val.length - 1]).toBeLessThan(0.005);
  });
});
