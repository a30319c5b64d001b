import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from './index.js';

beforeAll(() => tf.setBackend('cpu'));
afterEach(() => vi.restoreAllMocks());

/** The layout without the padding inside cells, where kerasm right-aligns and TensorFlow.js left-aligns. */
const layout = (text: string) => text.replace(/\[ +/g, '[').replace(/ +([,\]])/g, '$1').replace(/, +/g, ', ');

const range = (n: number, f: (i: number) => number = (i) => i) => Array.from({ length: n }, (_, i) => f(i));

describe('tensor.toString and print lay values out as TensorFlow.js does', () => {
  it.each([
    ['a scalar', [7.5], []],
    ['a vector', [1, -2.25, 3], [3]],
    ['a matrix with cells of several widths', [1, 2, 3, 40], [2, 2]],
    ['a rank-3 tensor', range(24, (i) => i - 5), [2, 3, 4]],
    ['a rank-4 tensor', range(16), [2, 2, 2, 2]],
    ['a long vector, elided', range(50), [50]],
    ['a long matrix, elided on both axes', range(25 * 25, (i) => (i % 13) / 8), [25, 25]],
    ['a long middle axis', range(88), [2, 22, 2]],
    ['fractions rounded to 7 decimals', [0.1, -2.123456, 1e-7, 3e-9, 123456789.5], [5]],
  ])('%s', (_label, values, shape) => {
    const ours = km.tensor(values, shape).toString();
    expect(layout(ours)).toBe(layout(tf.tensor(values, shape).toString()));
    expect(km.tensor(values, shape).toString(true)).toContain(`  shape: [${shape.join(',')}]\n  values:\n`);
  });

  it('right-aligns the numbers, so that digits line up', () => {
    expect(km.tensor([[1, 2], [3, 40]]).toString()).toBe('Tensor\n    [[ 1,  2],\n     [ 3, 40]]');
    expect(km.tensor([7, -1], [2], 'int32').toString(true)).toBe('Tensor\n  dtype: int32\n  rank: 1\n  shape: [2]\n  values:\n    [ 7, -1]');
  });

  it('print logs the same text', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    km.tensor([[1, 2]]).print(true);
    expect(log).toHaveBeenCalledWith(km.tensor([[1, 2]]).toString(true));
  });

  it('a disposed tensor still names its shape instead of throwing', () => {
    const t = km.tensor([1, 2]);
    t.dispose();
    expect(String(t)).toBe('Tensor (disposed; shape [2], float32)');
  });
});
