import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import type { Graph } from './graph.js';
import { resolveOutputs, type LossSpec } from './outputs.js';
import { weightsWithoutGradient } from './step.js';

// Keras' optimizers skip variables whose gradient is None (TensorFlow and PyTorch give none to
// weights no loss term reaches), so they are neither updated nor weight-decayed.

beforeAll(() => km.ready());

function graphOf(model: km.LayersModel): Graph {
  return (model as unknown as { buildGraph(sampleShape: null): Graph }).buildGraph(null);
}

/** The names of the weights without a gradient, as `layer/index`. */
function without(model: km.LayersModel, loss: LossSpec): string[] {
  const graph = graphOf(model);
  const set = weightsWithoutGradient(graph, resolveOutputs(graph, loss, undefined, []));
  return graph.layers.flatMap((layer) => layer.weightSpecs.flatMap((spec, w) => (set.has(spec) ? [`${layer.name}/${w}`] : [])));
}

function twoHeads(head: Parameters<typeof km.layers.dense>[0] = { units: 2 }): km.LayersModel {
  const x = km.input({ shape: [3] });
  const trunk = km.layers.dense({ units: 4, name: 'trunk' }).apply(x) as km.SymbolicTensor;
  const a = km.layers.dense({ units: 1, name: 'a' }).apply(trunk) as km.SymbolicTensor;
  const hidden = km.layers.dense({ units: 3, name: 'b_hidden' }).apply(trunk) as km.SymbolicTensor;
  const b = km.layers.dense({ name: 'b', ...head }).apply(hidden) as km.SymbolicTensor;
  return km.model({ inputs: x, outputs: [a, b] });
}

describe('weightsWithoutGradient', () => {
  it('holds the weights of the layers that feed only a no-loss output, and none when every output has a loss', () => {
    expect(without(twoHeads(), ['mse', null])).toEqual(['b_hidden/0', 'b_hidden/1', 'b/0', 'b/1']);
    expect(without(twoHeads(), [null, 'mse'])).toEqual(['a/0', 'a/1']);
    expect(without(twoHeads(), ['mse', 'mse'])).toEqual([]);
  });

  it('leaves out a weight a regularizer puts in the loss, and a whole branch below an activity regularizer', () => {
    expect(without(twoHeads({ units: 2, kernelRegularizer: km.regularizers.l2() }), ['mse', null])).toEqual(['b_hidden/0', 'b_hidden/1', 'b/1']);
    expect(without(twoHeads({ units: 2, activityRegularizer: km.regularizers.l1() }), ['mse', null])).toEqual([]);
  });

  it('leaves out a layer shared with a head that has a loss, and frozen weights', () => {
    const x = km.input({ shape: [3] });
    const shared = km.layers.dense({ units: 3, name: 'shared' });
    const frozen = km.layers.dense({ units: 2, name: 'frozen', trainable: false });
    const a = km.layers.dense({ units: 1, name: 'a' }).apply(shared.apply(x) as km.SymbolicTensor) as km.SymbolicTensor;
    const b = frozen.apply(shared.apply(km.layers.dense({ units: 3, name: 'pre' }).apply(x) as km.SymbolicTensor) as km.SymbolicTensor) as km.SymbolicTensor;
    const model = km.model({ inputs: x, outputs: [a, b] });
    expect(without(model, ['mse', null])).toEqual(['pre/0', 'pre/1']);
  });

  it('holds the weights of a layer whose output only masks another layer (a mask passes no gradient)', () => {
    const x = km.input({ shape: [5, 2] });
    const gate = km.layers.dense({ units: 1, name: 'gate' }).apply(x) as km.SymbolicTensor;
    const keep = km.layers.reshape({ targetShape: [5] }).apply(gate) as km.SymbolicTensor;
    const h = km.layers.lstm({ units: 3, name: 'lstm' }).apply(x, { mask: keep }) as km.SymbolicTensor;
    const model = km.model({ inputs: x, outputs: km.layers.dense({ units: 1, name: 'out' }).apply(h) as km.SymbolicTensor });
    expect(without(model, ['mse'])).toEqual(['gate/0', 'gate/1']);
  });
});
