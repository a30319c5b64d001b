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

const returnSequencesHint = 'A vector per sample is what an LSTM, GRU or SimpleRNN without returnSequences gives (its last step only): if this layer follows one, give that layer returnSequences: true';
const repeatHint = "to decode from an encoder's last output, put km.layers.repeatVector({ n: steps }) before this layer.";

/** The output shape tfjs-layers 4.22 gives the same stack, without its batch axis. */
function tfjsOutputShape(layers: tfl.layers.Layer[]): number[] {
  return (tfl.sequential({ layers }).outputShape as number[]).slice(1);
}

describe('a sequence layer after a recurrent layer without returnSequences (addition-rnn, stacked RNNs)', () => {
  it('TimeDistributed names returnSequences; with it the model has tfjs\' output shape', () => {
    const build = (returnSequences: boolean) => km.sequential([
      km.layers.lstm({ units: 8, inputShape: [5, 12], returnSequences }),
      km.layers.timeDistributed({ layer: km.layers.dense({ units: 12 }) }),
    ]);
    let message = '';
    try { build(false); } catch (e) { message = (e as Error).message; }
    expect(message).toContain(`received inputs of shape (None, 8). Give it sequences, e.g. [steps, features] for a Dense or [steps, height, width, channels] for a Conv2D. ${returnSequencesHint}.`);
    expect(message).not.toContain('repeatVector');
    expect(build(true).outputShape).toEqual(tfjsOutputShape([
      tfl.layers.lstm({ units: 8, inputShape: [5, 12], returnSequences: true }),
      tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 12 }) }),
    ]));
  });

  it.each([
    ['lstm', () => km.layers.lstm({ units: 6, returnSequences: true })],
    ['gru', () => km.layers.gru({ units: 6, returnSequences: true })],
    ['simpleRNN', () => km.layers.simpleRNN({ units: 6, returnSequences: true })],
    ['rnn over a cell', () => km.layers.rnn({ cell: km.layers.gruCell({ units: 6 }), returnSequences: true })],
  ])('a decoder %s names returnSequences and repeatVector; with RepeatVector it has tfjs\' output shape', (_, decoder) => {
    const encoder = () => km.layers.lstm({ units: 8, inputShape: [5, 12] });
    expect(() => km.sequential([encoder(), decoder()])).toThrow(`${returnSequencesHint}, or, ${repeatHint}`);
    const fixed = km.sequential([encoder(), km.layers.repeatVector({ n: 3 }), decoder()]);
    expect(fixed.outputShape).toEqual(tfjsOutputShape([
      tfl.layers.lstm({ units: 8, inputShape: [5, 12] }),
      tfl.layers.repeatVector({ n: 3 }),
      tfl.layers.gru({ units: 6, returnSequences: true }),
    ]));
  });

  it('leaves the hint out for inputs of another rank', () => {
    let message = '';
    try { km.sequential([km.layers.lstm({ units: 2, inputShape: [4, 3, 2] })]); } catch (e) { message = (e as Error).message; }
    expect(message).toContain('expects sequences of shape [steps, features], but received inputs of shape (None, 4, 3, 2).');
    expect(message).not.toContain('returnSequences');
  });
});

describe('a 1-D window longer than the sequence', () => {
  it.each([
    ['conv1d', () => km.layers.conv1d({ filters: 2, kernelSize: 5, name: 'w' }), 5],
    ['conv1d dilated', () => km.layers.conv1d({ filters: 2, kernelSize: 2, dilationRate: 4, name: 'w' }), 5],
    ['maxPooling1d', () => km.layers.maxPooling1d({ poolSize: 5, name: 'w' }), 5],
    ['averagePooling1d', () => km.layers.averagePooling1d({ poolSize: 6, name: 'w' }), 6],
    ['separableConv1d', () => km.layers.separableConv1d({ filters: 2, kernelSize: 5, name: 'w' }), 5],
    ['depthwiseConv1d', () => km.layers.depthwiseConv1d({ kernelSize: 5, name: 'w' }), 5],
  ])('%s counts steps, not the [1, steps] image it runs as', (_, layer, window) => {
    expect(() => km.sequential([km.layers.inputLayer({ inputShape: [4, 2] }), layer()])).toThrow(
      `Layer 'w': its input has 4 steps, fewer than its window of ${window} with 'valid' padding, so the output would be empty. Use padding: 'same', a smaller kernel or pool size, or longer sequences.`,
    );
  });

  it('counts the steps of a channels-first input', () => {
    expect(() => km.sequential([km.layers.inputLayer({ inputShape: [4, 2] }), km.layers.conv1d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', name: 'w' })])).toThrow("Layer 'w': its input has 2 steps, fewer than its window of 3");
  });

  it.each([
    ['conv1d', () => km.layers.conv1d({ filters: 3, kernelSize: 4 }), () => tfl.layers.conv1d({ filters: 3, kernelSize: 4, inputShape: [4, 2] })],
    ['conv1d same', () => km.layers.conv1d({ filters: 3, kernelSize: 7, padding: 'same' }), () => tfl.layers.conv1d({ filters: 3, kernelSize: 7, padding: 'same', inputShape: [4, 2] })],
    ['maxPooling1d', () => km.layers.maxPooling1d({ poolSize: 4 }), () => tfl.layers.maxPooling1d({ poolSize: 4, inputShape: [4, 2] })],
  ])('%s still builds when the window fits, with tfjs\' output shape', (_, ours, theirs) => {
    expect(km.sequential([km.layers.inputLayer({ inputShape: [4, 2] }), ours()]).outputShape).toEqual(tfjsOutputShape([theirs()]));
  });

  it('a causal Conv1D longer than the sequence builds, one output per step (Keras pads (k − 1)·dilation in front)', () => {
    expect(km.sequential([km.layers.inputLayer({ inputShape: [4, 2] }), km.layers.conv1d({ filters: 3, kernelSize: 9, padding: 'causal' })]).outputShape).toEqual([4, 3]);
  });
});
