import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// tfjs' layer.kernel / layer.bias (LayerVariables) and getClassName(), read the way ported code reads them.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

type Factory = (args: Record<string, unknown>) => unknown;
/** tfjs' weight properties of each layer, listed by its own instances, with an input shape. */
const cases: [string, Record<string, unknown>, number[], string[]][] = [
  ['dense', { units: 2 }, [3], ['kernel', 'bias']],
  ['conv1d', { filters: 2, kernelSize: 2 }, [5, 3], ['kernel', 'bias']],
  ['conv2d', { filters: 2, kernelSize: 2 }, [5, 5, 3], ['kernel', 'bias']],
  ['conv3d', { filters: 2, kernelSize: 2 }, [4, 4, 4, 1], ['kernel', 'bias']],
  ['conv2dTranspose', { filters: 2, kernelSize: 2 }, [5, 5, 3], ['kernel', 'bias']],
  ['depthwiseConv2d', { kernelSize: 2 }, [5, 5, 3], ['depthwiseKernel', 'bias']],
  ['separableConv2d', { filters: 2, kernelSize: 2 }, [5, 5, 3], ['depthwiseKernel', 'pointwiseKernel', 'bias']],
  ['embedding', { inputDim: 4, outputDim: 2 }, [3], ['embeddings']],
  ['batchNormalization', {}, [3], ['gamma', 'beta', 'movingMean', 'movingVariance']],
  ['layerNormalization', {}, [3], ['gamma', 'beta']],
  ['prelu', {}, [3], ['alpha']],
];

describe('weights as layer properties', () => {
  it.each(cases)('%s has the weight properties tfjs has, reading what getWeights() reads', (factory, args, shape, props) => {
    const theirs = (tfl.layers as unknown as Record<string, Factory>)[factory](args) as tfl.layers.Layer;
    theirs.apply(tfl.input({ shape }));
    const theirProps = Object.keys(theirs).filter((k) => (theirs as unknown as Record<string, { constructor?: { name: string } }>)[k]?.constructor?.name === 'LayerVariable');
    expect(theirProps.sort()).toEqual([...props].sort());
    const ours = (km.layers as unknown as Record<string, Factory>)[factory](args) as km.layers.Layer;
    const read = (name: string) => (ours as unknown as Record<string, km.layers.LayerWeight | undefined>)[name];
    expect(props.map(read)).toEqual(props.map(() => undefined)); // not built yet, as in tfjs
    ours.apply(km.input({ shape }));
    const weights = ours.getWeights();
    for (const name of props) {
      const weight = read(name)!;
      const theirVariable = (theirs as unknown as Record<string, tfl.LayerVariable>)[name];
      expect(weight.shape).toEqual(theirVariable.shape);
      expect(weight.name).toBe(`${ours.name}/${theirVariable.originalName.split('/').pop()}`);
      const position = ours.weights.findIndex((w) => w.name === weight.name);
      expect(weight.read().arraySync()).toEqual(weights[position].arraySync());
    }
  });

  it('writes through the property, and has no bias without useBias', () => {
    const dense = km.layers.dense({ units: 2, useBias: false });
    dense.apply(km.input({ shape: [1] }));
    dense.kernel!.write(km.tensor([[5, 6]]));
    expect(dense.getWeights()[0].arraySync()).toEqual([[5, 6]]);
    expect(dense.bias).toBeUndefined();
    const frozen = km.layers.batchNormalization({ trainable: false });
    frozen.apply(km.input({ shape: [2] }));
    expect(frozen.movingVariance!.read().arraySync()).toEqual([1, 1]);
  });

  it('leaves the recurrent layers without them, as tfjs keeps them on the cell', () => {
    const lstm = km.layers.lstm({ units: 2 });
    lstm.apply(km.input({ shape: [3, 1] }));
    expect((lstm as unknown as Record<string, unknown>).kernel).toBeUndefined();
    expect((tfl.layers.lstm({ units: 2 }) as unknown as Record<string, unknown>).kernel).toBeUndefined();
  });
});

describe('getClassName', () => {
  it('gives the class names tfjs gives, for layers and models', () => {
    const x = tfl.input({ shape: [3] });
    const theirs = tfl.model({ inputs: x, outputs: tfl.layers.dense({ units: 1 }).apply(x) as tfl.SymbolicTensor });
    const y = km.input({ shape: [3] });
    const ours = km.model({ inputs: y, outputs: km.layers.dense({ units: 1 }).apply(y) });
    expect(ours.getClassName()).toBe(theirs.getClassName());
    expect(ours.getClassName()).toBe('Model');
    expect(ours.className).toBe('Functional');
    expect(ours.layers.map((l) => l.getClassName())).toEqual(theirs.layers.map((l) => l.getClassName()));
    const sequential = km.sequential([km.layers.conv2d({ filters: 1, kernelSize: 1, inputShape: [2, 2, 1] }), km.layers.flatten()]);
    const tfjsSequential = tfl.sequential({ layers: [tfl.layers.conv2d({ filters: 1, kernelSize: 1, inputShape: [2, 2, 1] }), tfl.layers.flatten()] });
    expect(sequential.getClassName()).toBe(tfjsSequential.getClassName());
    expect(sequential.layers.map((l) => l.getClassName())).toEqual(tfjsSequential.layers.map((l) => l.getClassName()));
    expect(sequential.layers.filter((l) => l.getClassName().startsWith('Conv'))).toHaveLength(1);
  });
});
