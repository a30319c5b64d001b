import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { EINSUM_CASES, einsumDenseReference, type EinsumCase } from '../testing/einsum_reference.js';

// The shapes Keras 3 derives for EinsumDense's kernel, bias and output (einsum_dense_backends.test.ts
// checks its values).
beforeAll(() => km.ready());

function layerFor(c: EinsumCase): km.layers.EinsumDense {
  return km.layers.einsumDense({ equation: c.equation, outputShape: c.outputShape, biasAxes: c.biasAxes, activation: c.activation });
}

describe('EinsumDense shapes, as Keras 3 derives them', () => {
  it.each(EINSUM_CASES)('$equation with outputShape $outputShape and biasAxes $biasAxes on $input', (c) => {
    const layer = layerFor(c);
    const y = layer.apply(km.input({ shape: c.input }));
    expect(y.shape).toEqual(c.output);
    expect(layer.computeOutputShape([c.input])).toEqual(c.output);
    const specs = layer.weightSpecs.map((w) => [w.name.split('/').pop(), [...w.shape]]);
    expect(specs).toEqual(c.bias ? [['kernel', c.kernel], ['bias', c.bias]] : [['kernel', c.kernel]]);
    expect(layer.kernel?.shape).toEqual(c.kernel);
    expect(layer.bias?.shape).toEqual(c.bias ?? undefined);
  });

  it("Keras' docstring examples: Dense as 'ab,bc->ac', a sequence as 'abc,cd->abd', and '...x,xy->...y'", () => {
    expect(km.layers.einsumDense({ equation: 'ab,bc->ac', outputShape: 64, biasAxes: 'c' }).apply(km.input({ shape: [32] })).shape).toEqual([64]);
    expect(km.layers.einsumDense({ equation: 'abc,cd->abd', outputShape: [null, 64], biasAxes: 'd' }).apply(km.input({ shape: [32, 128] })).shape).toEqual([32, 64]);
    expect(km.layers.einsumDense({ equation: '...x,xy->...y', outputShape: 64, biasAxes: 'y' }).apply(km.input({ shape: [32, 128] })).shape).toEqual([32, 64]);
    // The ellipsis also takes no axes but the batch's.
    expect(km.layers.einsumDense({ equation: '...x,xy->...y', outputShape: 64 }).apply(km.input({ shape: [128] })).shape).toEqual([64]);
  });

  it('a size given for an axis the input sizes is checked, not required; the kernel uses the glorotUniform fans of its last two axes', () => {
    const layer = km.layers.einsumDense({ equation: 'abc,cde->abde', outputShape: [3, 4, 5] });
    expect(layer.apply(km.input({ shape: [3, 8] })).shape).toEqual([3, 4, 5]);
    // Keras' fans for [8, 4, 5]: fanIn = 4·8, fanOut = 5·8, limit √(6 / 72).
    const kernel = layer.getWeights()[0].dataSync();
    const limit = Math.sqrt(6 / (4 * 8 + 5 * 8));
    expect(Math.max(...kernel.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...kernel.map(Math.abs))).toBeGreaterThan(0.8 * limit);
  });
});

describe('EinsumDense on data', () => {
  it('layer.apply(tensor) gives the naive einsum', () => {
    const c = EINSUM_CASES.find((e) => e.equation === 'abcd,cbe->aebc')!;
    km.utils.setRandomSeed(2);
    const layer = layerFor(c);
    const x = km.tensor(Array.from({ length: 2 * 40 }, (_, i) => Math.sin(i)), [2, ...c.input]);
    const y = layer.apply(x);
    const [kernel, bias] = layer.getWeights().map((w) => w.dataSync());
    const expected = einsumDenseReference(c.equation, x.dataSync(), x.shape, kernel, c.kernel, bias, c.bias, c.activation);
    expect(y.shape).toEqual(expected.shape);
    const values = y.dataSync();
    expected.values.forEach((v, i) => expect(values[i]).toBeCloseTo(v, 5));
  });
});
