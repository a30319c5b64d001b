import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { movingDotTask } from '../testing/moving_dot.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { expectSameFit } from '../testing/tfjs_fit_parity.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, frames, size] = [32, 4, 6];
const task = movingDotTask(n, frames, size, 9);
const x = [task.frames, [n, frames, size, size, 1]] as const;
const inputShape = [frames, size, size, 1];
const video = () => km.tensor(task.frames, [n, frames, size, size, 1]);

// tfjs 4.22's RNN cannot run its ConvLSTM2DCell over images (first test); its ConvLSTM2D layer runs
// that cell over them, so it is the reference for km.layers.rnn({ cell: convLstm2dCell }).
const cases = [
  {
    name: "RNN(ConvLSTM2DCell 'same') → Flatten → Dense(softmax) against tfjs' ConvLSTM2D",
    kerasm: () => [km.layers.rnn({ cell: km.layers.convLstm2dCell({ filters: 3, kernelSize: 3, padding: 'same' }), inputShape }), km.layers.flatten(), km.layers.dense({ units: 4, activation: 'softmax' })],
    tfjs: () => [tfl.layers.convLstm2d({ filters: 3, kernelSize: 3, padding: 'same', inputShape }), tfl.layers.flatten(), tfl.layers.dense({ units: 4, activation: 'softmax' })],
    loss: 'categoricalCrossentropy', x, y: [task.oneHot, [n, 4]] as const,
  },
  {
    name: "RNN(ConvLSTM2DCell 2×3 'valid', strides 2, sigmoid gates, no bias; returnSequences, goBackwards) → Flatten → Dense",
    kerasm: () => [
      km.layers.rnn({ cell: km.layers.convLstm2dCell({ filters: 2, kernelSize: [2, 3], strides: 2, recurrentActivation: 'sigmoid', useBias: false }), returnSequences: true, goBackwards: true, inputShape }),
      km.layers.flatten(), km.layers.dense({ units: 1 }),
    ],
    tfjs: () => [
      tfl.layers.convLstm2d({ filters: 2, kernelSize: [2, 3], strides: 2, recurrentActivation: 'sigmoid', useBias: false, returnSequences: true, goBackwards: true, inputShape }),
      tfl.layers.flatten(), tfl.layers.dense({ units: 1 }),
    ],
    loss: 'meanSquaredError', x, y: [Float32Array.from(task.directions, (d) => d / 3), [n, 1]] as const,
  },
];

describe('km.layers.rnn over a ConvLSTM2DCell', () => {
  it("tfjs 4.22's own RNN refuses its ConvLSTM2DCell on images (so tfjs' ConvLSTM2D is the reference below)", () => {
    const layer = tfl.layers.rnn({ cell: tfl.layers.convLstm2dCell({ filters: 2, kernelSize: 3 }) });
    expect(() => layer.apply(tfl.input({ shape: inputShape }))).toThrow('expected ndim=3, found ndim=5');
  });

  it.each(cases)('$name: same weights give the same predictions, and the same losses and weights over 6 SGD steps', async (c) => {
    await expectSameFit(c, { seed: 12, learningRate: 0.2, momentum: 0.9 });
  });

  it('computes exactly what km.layers.convLstm2d does with the same options and weights: channelsFirst, returnState, initial states, a Masking before it', () => {
    km.utils.setRandomSeed(8);
    const options = { filters: 2, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst' } as const;
    const build = (layer: km.layers.Layer) => {
      const input = km.input({ shape: [frames, 1, size, size] });
      const h0 = km.input({ shape: [2, size, size] });
      const c0 = km.input({ shape: [2, size, size] });
      const outputs = layer.apply(km.layers.masking().apply(input), { initialState: [h0, c0] }) as unknown as km.SymbolicTensor[];
      return km.model({ inputs: [input, h0, c0], outputs });
    };
    const viaCell = build(km.layers.rnn({ cell: km.layers.convLstm2dCell(options), returnSequences: true, returnState: true }));
    const viaLayer = build(km.layers.convLstm2d({ ...options, returnSequences: true, returnState: true }));
    expect(viaCell.outputs.map((t) => t.shape)).toEqual([[frames, 2, size, size], [2, size, size], [2, size, size]]);
    viaLayer.setWeights(viaCell.getWeights());
    // The second sample's last frame is padding: its states carry over it.
    const frameValues = Float32Array.from(task.frames.subarray(0, 2 * frames * size * size));
    frameValues.fill(0, (2 * frames - 1) * size * size);
    const states = Float32Array.from({ length: 2 * 2 * size * size }, (_, i) => Math.sin(i));
    const inputs = () => [km.tensor(frameValues, [2, frames, 1, size, size]), km.tensor(states, [2, 2, size, size]), km.tensor(states.map((v) => -v), [2, 2, size, size])];
    const [ours, theirs] = [viaCell, viaLayer].map((model) => (model.predict(inputs()) as km.Tensor[]).map((t) => Array.from(t.dataSync())));
    expect(ours).toEqual(theirs);
  });

  it('runs both ways in Bidirectional, as a Bidirectional ConvLSTM2D with the same weights', () => {
    km.utils.setRandomSeed(10);
    const options = { filters: 2, kernelSize: 3, padding: 'same' } as const;
    const viaCell = km.sequential([km.layers.bidirectional({ layer: km.layers.rnn({ cell: km.layers.convLstm2dCell(options), returnSequences: true }), inputShape })]);
    const viaLayer = km.sequential([km.layers.bidirectional({ layer: km.layers.convLstm2d({ ...options, returnSequences: true }), inputShape })]);
    viaLayer.setWeights(viaCell.getWeights());
    expect(viaCell.outputs[0].shape).toEqual([frames, size, size, 4]);
    expect(Array.from(viaCell.predict(video()).dataSync())).toEqual(Array.from(viaLayer.predict(video()).dataSync()));
  });

  it("loads tfjs' config of an RNN over a ConvLSTM2DCell, and saves and loads in kerasm's model format with the same outputs", async () => {
    const written = tfl.layers.rnn({ name: 'frames_rnn', cell: tfl.layers.convLstm2dCell({ filters: 2, kernelSize: 3, padding: 'same' }), returnSequences: true }).getConfig();
    const layer = km.layers.layerFromConfig('RNN', written) as km.layers.RNN;
    expect(layer.cell).toBeInstanceOf(km.layers.ConvLSTM2DCell);
    expect(layer.cell.getConfig()).toMatchObject({ filters: 2, kernelSize: [3, 3], padding: 'same', strides: [1, 1] });
    const model = km.sequential([km.layers.inputLayer({ inputShape }), layer]);
    expect(model.outputs[0].shape).toEqual([frames, size, size, 2]);
    expect(model.getWeights().map((w) => w.shape)).toEqual([[3, 3, 1, 8], [3, 3, 2, 8], [8]]);

    const artifacts = await kerasmArtifacts(model);
    const saved = (artifacts.modelTopology as { config: { layers: { config: { cell?: { class_name: string } } }[] } }).config.layers.find((l) => l.config.cell)!;
    expect(saved.config.cell!.class_name).toBe('ConvLSTM2DCell');
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(Array.from(loaded.predict(video()).dataSync())).toEqual(Array.from(model.predict(video()).dataSync()));
  });

  it('refuses a ConvLSTM2DCell in a list of cells, saying it runs alone and how to stack', () => {
    const cell = km.layers.convLstm2dCell({ name: 'frames', filters: 2, kernelSize: 3 });
    const stacking = "is ConvLSTM2DCell 'frames', which km.layers.rnn runs alone, not stacked: its step's output is an image, and stacked cells hand vectors to each other. " +
      'Give it alone, km.layers.rnn({ cell: km.layers.convLstm2dCell({ ... }) }), or stack ConvLSTM2D layers';
    expect(() => km.layers.rnn({ cell: [cell] })).toThrow(stacking);
    expect(() => km.layers.stackedRNNCells({ cells: [km.layers.lstmCell({ units: 2 }), cell] })).toThrow(`cells[1] ${stacking}`);
  });

  it('checks its options as km.layers.convLstm2d does, naming the cell', () => {
    expect(() => km.layers.convLstm2dCell({ filters: 2, kernelSize: 3, returnSequences: true } as never)).toThrow(/km.layers.convLstm2dCell.*returnSequences/);
    expect(() => km.layers.convLstm2dCell({ name: 'bad', filters: 0, kernelSize: 3 })).toThrow(/ConvLSTM2DCell layer 'bad'/);
    expect(() => km.layers.rnn({ cell: km.layers.convLstm2dCell({ filters: 2, kernelSize: 3 }) }).apply(km.input({ shape: [4, 6] }))).toThrow(/expects sequences of images/);
  });
});
