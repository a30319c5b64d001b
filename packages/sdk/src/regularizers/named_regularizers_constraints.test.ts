// Regularizers and constraints given by name, as Keras and tfjs programs write them.
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const config = (layer: { getConfig(): object }) => layer.getConfig() as Record<string, unknown>;

describe('named regularizers and constraints', () => {
  it("constraint names mean tfjs' defaults, in tfjs' camelCase, Keras' snake_case or as class names", () => {
    const names = { maxNorm: ['max_norm', 'MaxNorm'], nonNeg: ['non_neg', 'NonNeg'], unitNorm: ['unit_norm', 'UnitNorm'], minMaxNorm: ['min_max_norm', 'MinMaxNorm'] } as const;
    for (const [tfjsName, others] of Object.entries(names)) {
      const theirs = config(tfl.layers.dense({ units: 2, kernelConstraint: tfjsName as never, biasConstraint: tfjsName as never }));
      for (const name of [tfjsName, ...others] as km.constraints.ConstraintName[]) {
        const ours = config(km.layers.dense({ units: 2, kernelConstraint: name, biasConstraint: name }));
        expect([ours.kernelConstraint, ours.biasConstraint], name).toEqual([theirs.kernelConstraint, theirs.biasConstraint]);
      }
    }
  });

  it('a named constraint constrains: nonNeg zeroes negative weights after the step', async () => {
    const model = km.sequential([km.layers.dense({ units: 3, inputShape: [2], kernelConstraint: 'non_neg', biasConstraint: 'nonNeg' })]);
    model.setWeights([km.tensor([[-1, 2, -3], [4, -5, 6]]), km.tensor([-1, 0.5, -2])]);
    model.compile({ optimizer: km.optimizers.sgd(0.01), loss: 'meanSquaredError' });
    await model.trainOnBatch(km.ones([2, 2]), km.zeros([2, 3]));
    for (const weight of model.getWeights()) expect(Math.min(...weight.dataSync())).toBe(0);
  });

  it("'l1' and 'l2' are Keras' regularizers with its default factor, 0.01, and add that penalty to the loss", async () => {
    const kernel = (spec: km.layers.DenseArgs['kernelRegularizer']) => config(km.layers.dense({ units: 2, kernelRegularizer: spec })).kernelRegularizer;
    expect(kernel('l1')).toEqual(kernel(km.regularizers.l1({ l1: 0.01 })));
    expect(kernel('L1')).toEqual(kernel(km.regularizers.l1({ l1: 0.01 })));
    expect(kernel('l2')).toEqual(kernel(km.regularizers.l2({ l2: 0.01 })));
    expect(kernel('L2')).toEqual(kernel(km.regularizers.l2({ l2: 0.01 })));
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [2], useBias: false, kernelRegularizer: 'l2' })]);
    model.setWeights([km.tensor([[1, 2], [3, 4]])]);
    model.compile({ optimizer: km.optimizers.sgd(0), loss: 'meanSquaredError' });
    // Zero inputs and targets: the loss is the penalty alone, 0.01 · (1 + 4 + 9 + 16).
    expect(Number(await model.evaluate(km.zeros([1, 2]), km.zeros([1, 2])))).toBeCloseTo(0.3, 6);
    expect(Number(await model.trainOnBatch(km.zeros([1, 2]), km.zeros([1, 2])))).toBeCloseTo(0.3, 6);
  });

  it("'l1l2', which tfjs and Keras read differently, and unknown names are refused naming the fix", () => {
    for (const name of ['l1l2', 'L1L2', 'l1_l2']) {
      expect(() => km.layers.dense({ units: 2, name: 'd', kernelRegularizer: name as never })).toThrow(`Dense layer 'd' kernelRegularizer: "${name}" means l1 = l2 = 0.01 in TensorFlow.js but no penalty at all (both 0) in Keras, so kerasm does not guess. Give the factors you mean: km.regularizers.l1l2({ l1: 0.01, l2: 0.01 }).`);
    }
    expect(() => km.layers.dense({ units: 2, name: 'd', kernelRegularizer: 'l3' as never })).toThrow(`Dense layer 'd' kernelRegularizer must be a regularizer from km.regularizers (l1, l2, l1l2), e.g. km.regularizers.l2({ l2: 0.01 }), or the name 'l1' or 'l2'; received "l3".`);
    expect(() => km.layers.dense({ units: 2, name: 'd', kernelConstraint: 'maxnorm' as never })).toThrow(`unknown constraint "maxnorm". Known: 'maxNorm', 'nonNeg', 'unitNorm', 'minMaxNorm' (or Keras' 'max_norm', 'non_neg', 'unit_norm', 'min_max_norm'), or an object from km.constraints.`);
  });
});
