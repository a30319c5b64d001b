import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const shapeAfter = (layer: km.layers.Layer, shape: number[]) => layer.apply(km.input({ shape })).shape;

describe('Embedding and the 1-D layers: shapes, options and errors', () => {
  it('infer output shapes as Keras does, causal padding keeping the length', () => {
    expect(shapeAfter(km.layers.embedding({ inputDim: 100, outputDim: 16 }), [20])).toEqual([20, 16]);
    expect(shapeAfter(km.layers.conv1d({ filters: 4, kernelSize: 3 }), [20, 16])).toEqual([18, 4]);
    expect(shapeAfter(km.layers.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }), [21, 16])).toEqual([11, 4]);
    expect(shapeAfter(km.layers.conv1d({ filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 4 }), [21, 16])).toEqual([21, 4]);
    expect(shapeAfter(km.layers.maxPooling1d(), [21, 3])).toEqual([10, 3]);
    expect(shapeAfter(km.layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' }), [21, 3])).toEqual([11, 3]);
    expect(shapeAfter(km.layers.globalAveragePooling1d(), [21, 3])).toEqual([3]);
    expect(shapeAfter(km.layers.globalMaxPooling1d(), [21, 3])).toEqual([3]);
  });

  it('Embedding: inputLength sets the input shape, the table starts uniform in [-0.05, 0.05] and summary counts it', () => {
    km.utils.setRandomSeed(2);
    const model = km.sequential([km.layers.embedding({ inputDim: 50, outputDim: 4, inputLength: 9 }), km.layers.globalAveragePooling1d()]);
    expect(model.outputs[0].shape).toEqual([4]);
    const [table] = model.getWeights();
    expect(table.shape).toEqual([50, 4]);
    const values = Array.from(table.dataSync());
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(0.05);
    expect(new Set(values).size).toBeGreaterThan(150);
    expect(model.layers[0].getConfig()).toMatchObject({ inputDim: 50, outputDim: 4, inputLength: 9, maskZero: false, embeddingsInitializer: { className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 } } });
    const lines: string[] = [];
    model.summary(undefined, undefined, (line: string) => lines.push(line));
    expect(lines.find((l) => l.includes('(Embedding)'))).toMatch(/\(None, 9, 4\)\s+200/);
  });

  it('Conv1D keeps Keras\' kernel layout [kernelSize, in, filters]', () => {
    const model = km.sequential([km.layers.conv1d({ filters: 5, kernelSize: 3, inputShape: [10, 2] })]);
    expect(model.getWeights().map((w) => w.shape)).toEqual([[3, 2, 5], [5]]);
  });

  it.each([
    ['Embedding inputDim', () => km.layers.embedding({ inputDim: 0, outputDim: 4 }), /Embedding layer 'embedding\w*': inputDim must be a positive integer\. Received: inputDim=0\./],
    ['Embedding outputDim', () => km.layers.embedding({ inputDim: 10, outputDim: 1.5 }), /outputDim must be a positive integer\. Received: outputDim=1\.5\./],
    ['Embedding maskZero', () => km.layers.embedding({ inputDim: 10, outputDim: 4, maskZero: 'yes' as never }), /maskZero must be true or false\. Received: maskZero="yes"\./],
    ['Embedding inputLength', () => km.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 0 }), /inputLength must be a positive integer or a list of them\. Received: inputLength=0\./],
    ['Embedding inputLength against the input', () => km.sequential([km.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 5, inputShape: [6] })]), /was given inputLength=5, but its input has shape \(None, 6\)\. Make inputLength match/],
    ['an unknown Embedding option', () => km.layers.embedding({ inputDim: 10, outputDim: 4, input_dim: 3 } as never), /km\.layers\.embedding has no option 'input_dim'; did you mean 'inputDim'\?/],
    ['Conv1D padding', () => km.layers.conv1d({ filters: 2, kernelSize: 3, padding: 'full' as never }), /Conv1D layer: padding must be 'valid', 'same' or 'causal'\. Received: padding="full"\./],
    ['Conv1D kernelSize', () => km.layers.conv1d({ filters: 2, kernelSize: [2, 3] as never, name: 'c' }), /Conv1D layer 'c': kernelSize must be a positive integer or a list of one\. Received: kernelSize=\[2,3\]\./],
    ['Conv1D strides with dilation', () => km.layers.conv1d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }), /strides above 1 cannot be combined with dilationRate above 1/],
    ['Conv1D on a rank-1 input', () => shapeAfter(km.layers.conv1d({ filters: 2, kernelSize: 3 }), [20]), /Conv1D layer 'conv1d\w*' expects inputs of shape \(None, steps, channels\), but received \(None, 20\)\. .*put a km\.layers\.embedding first/],
    ['MaxPooling1D causal padding', () => km.layers.maxPooling1d({ padding: 'causal' as never }), /MaxPooling1D layer: padding must be 'valid' or 'same'\. Received: padding="causal"\./],
    ['AveragePooling1D poolSize', () => km.layers.averagePooling1d({ poolSize: 0 }), /poolSize must be a positive integer or a list of one\. Received: poolSize=0\./],
    ['GlobalMaxPooling1D on an image', () => shapeAfter(km.layers.globalMaxPooling1d(), [4, 4, 2]), /GlobalMaxPooling1D layer '\w+' expects inputs of shape \(None, steps, channels\), but received \(None, 4, 4, 2\)\./],
  ])('%s: a clear error', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
