import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip } from '../io/testing/round_trip.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import type { Random } from '../utils/random.js';

beforeAll(() => registerTfjsChainedOpsForOrthogonal());

const token = (vocabulary: number) => (random: Random) => Math.floor(random.uniform(0, vocabulary));

describe('LSTM, GRU and SimpleRNN: LayersModel round trip with tfjs 4.22, both directions', () => {
  it('LSTM → Dense with the default initializers (glorotNormal, orthogonal) and activations, and unitForgetBias as each library defaults it', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [6, 3],
      kerasm: () => [km.layers.lstm({ units: 5, inputShape: [6, 3] }), km.layers.dense({ units: 2 })],
      tfjs: () => [tfl.layers.lstm({ units: 5, inputShape: [6, 3], unitForgetBias: true }), tfl.layers.dense({ units: 2 })],
    });
  });

  it('Embedding → LSTM(returnSequences, goBackwards, sigmoid/relu, regularized, constrained bias) → Dense(softmax) per step', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [9],
      inputValue: token(11),
      kerasm: () => [
        km.layers.embedding({ inputDim: 11, outputDim: 4, inputShape: [9] }),
        km.layers.lstm({
          units: 6, returnSequences: true, goBackwards: true, activation: 'relu', recurrentActivation: 'sigmoid', unitForgetBias: false,
          // tfjs applies a constraint whenever a weight is written (maxNorm rescales by norm/(norm + 1e-7)),
          // so the constrained weight here starts where its constraint leaves it unchanged.
          kernelRegularizer: km.regularizers.l2({ l2: 0.01 }), biasConstraint: km.constraints.nonNeg(), biasInitializer: 'ones', recurrentRegularizer: km.regularizers.l1({ l1: 0.001 }),
        }),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      tfjs: () => [
        tfl.layers.embedding({ inputDim: 11, outputDim: 4, inputShape: [9] }),
        tfl.layers.lstm({
          units: 6, returnSequences: true, goBackwards: true, activation: 'relu', recurrentActivation: 'sigmoid', unitForgetBias: false,
          kernelRegularizer: tfl.regularizers.l2({ l2: 0.01 }), biasConstraint: tfl.constraints.nonNeg(), biasInitializer: 'ones', recurrentRegularizer: tfl.regularizers.l1({ l1: 0.001 }),
        }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
  });

  it('stacked LSTMs without bias; hardSigmoid written as hard_sigmoid both ways; unit_forget_bias: null from tfjs loads', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [4, 2],
      kerasm: () => [km.layers.lstm({ units: 3, returnSequences: true, useBias: false, inputShape: [4, 2] }), km.layers.lstm({ units: 2, recurrentActivation: 'hard_sigmoid' })],
      // The second tfjs LSTM leaves unitForgetBias unset, which tfjs saves as null.
      tfjs: () => [tfl.layers.lstm({ units: 3, returnSequences: true, useBias: false, inputShape: [4, 2], unitForgetBias: true }), tfl.layers.lstm({ units: 2 })],
    });
  });

  it('LSTM and GRU with dropout and recurrentDropout: the rates travel both ways (inference ignores them)', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [5, 2],
      kerasm: () => [km.layers.lstm({ units: 4, returnSequences: true, dropout: 0.2, recurrentDropout: 0.3, inputShape: [5, 2] }), km.layers.gru({ units: 3, dropout: 0.1, recurrentDropout: 0.25 })],
      tfjs: () => [tfl.layers.lstm({ units: 4, returnSequences: true, dropout: 0.2, recurrentDropout: 0.3, inputShape: [5, 2], unitForgetBias: true }), tfl.layers.gru({ units: 3, dropout: 0.1, recurrentDropout: 0.25 })],
    });
  });

  it('SimpleRNN(returnSequences, sigmoid) → SimpleRNN(goBackwards, no bias) → Dense', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [5, 2],
      kerasm: () => [km.layers.simpleRNN({ units: 4, returnSequences: true, activation: 'sigmoid', inputShape: [5, 2] }), km.layers.simpleRNN({ units: 3, goBackwards: true, useBias: false }), km.layers.dense({ units: 1 })],
      tfjs: () => [tfl.layers.simpleRNN({ units: 4, returnSequences: true, activation: 'sigmoid', inputShape: [5, 2] }), tfl.layers.simpleRNN({ units: 3, goBackwards: true, useBias: false }), tfl.layers.dense({ units: 1 })],
    });
  });

  it('GRU(returnSequences, relu/sigmoid, regularized) → GRU(goBackwards, no bias) → Dense', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [5, 2],
      kerasm: () => [
        km.layers.gru({ units: 4, returnSequences: true, activation: 'relu', recurrentActivation: 'sigmoid', recurrentRegularizer: km.regularizers.l2({ l2: 0.01 }), biasInitializer: 'glorotUniform', inputShape: [5, 2] }),
        km.layers.gru({ units: 3, goBackwards: true, useBias: false }),
        km.layers.dense({ units: 1 }),
      ],
      tfjs: () => [
        tfl.layers.gru({ units: 4, returnSequences: true, activation: 'relu', recurrentActivation: 'sigmoid', recurrentRegularizer: tfl.regularizers.l2({ l2: 0.01 }), biasInitializer: 'randomNormal', inputShape: [5, 2] }),
        tfl.layers.gru({ units: 3, goBackwards: true, useBias: false }),
        tfl.layers.dense({ units: 1 }),
      ],
    });
  });
});
