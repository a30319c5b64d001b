import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

describe("a layer passed where a factory's options belong (Keras' TimeDistributed(Dense(8)))", () => {
  it('timeDistributed and bidirectional say to pass { layer }, not the layer\'s fields; so passed, they match tfjs\' output shapes', () => {
    expect(() => km.layers.timeDistributed(km.layers.dense({ units: 8, name: 'd' }) as never)).toThrow(
      "km.layers.timeDistributed takes an options object with the layer in it, as in tfjs, but received the layer 'd' (Dense) itself. Pass km.layers.timeDistributed({ layer: ... }).",
    );
    expect(() => km.layers.bidirectional(km.layers.lstm({ units: 4, name: 'l' }) as never)).toThrow(
      "km.layers.bidirectional takes an options object with the layer in it, as in tfjs, but received the layer 'l' (LSTM) itself. Pass km.layers.bidirectional({ layer: ... }).",
    );
    const ours = km.sequential([
      km.layers.bidirectional({ layer: km.layers.lstm({ units: 4, returnSequences: true }), inputShape: [5, 3] }),
      km.layers.timeDistributed({ layer: km.layers.dense({ units: 8 }) }),
    ]);
    const theirs = tfl.sequential({ layers: [
      tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 4, returnSequences: true }) as tfl.RNN, inputShape: [5, 3] }),
      tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 8 }) }),
    ] });
    expect(ours.outputShape).toEqual((theirs.outputShape as number[]).slice(1));
  });

  it('a factory without a layer option says it takes options', () => {
    expect(() => km.layers.dense(km.layers.dense({ units: 2, name: 'inner' }) as never)).toThrow(
      "km.layers.dense takes an options object, not a layer; received the layer 'inner' (Dense).",
    );
  });
});
