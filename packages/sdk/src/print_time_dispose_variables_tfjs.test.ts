// km.print, km.time and km.disposeVariables: print's console output against tfjs-core 4.22's
// tf.print, time's measure against the clock, and disposeVariables against the live variables.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from './index.js';
import { liveVariables } from './variable.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The layout without the padding inside cells, where kerasm right-aligns and TensorFlow.js left-aligns (see tensor_format.ts). */
const layout = (text: string) => text.replace(/\[ +/g, '[').replace(/ +([,\]])/g, '$1').replace(/, +/g, ', ');

/** What `f` writes with console.log. */
function logged(f: () => void): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  f();
  vi.restoreAllMocks();
  return lines.map(layout);
}

describe('print, time and disposeVariables', () => {
  it('km.print logs what tf.print logs (up to the alignment inside cells), verbose or not, for both dtypes and several ranks', () => {
    const cases: [number[], number[], 'float32' | 'int32'][] = [
      [[1.5, -2, NaN, Infinity], [2, 2], 'float32'],
      [[7], [], 'int32'],
      [Array.from({ length: 27 }, (_, i) => i - 13), [3, 3, 3], 'int32'],
      [Array.from({ length: 40 }, (_, i) => i / 7), [40], 'float32'],
    ];
    for (const [values, shape, dtype] of cases) {
      for (const verbose of [false, true]) {
        const ours = logged(() => km.print(km.tensor(values, shape, dtype), verbose));
        const theirs = logged(() => tf.print(tf.tensor(values, shape, dtype), verbose));
        expect(ours, `[${shape.join(', ')}] ${dtype} verbose ${verbose}`).toEqual(theirs);
      }
    }
    const gone = km.tensor([1]);
    gone.dispose();
    expect(() => km.print(gone)).toThrow(/km\.print\(\): x was disposed/);
  });

  it('km.time resolves to the time f took (kernelMs the same), awaiting a Promise f returns', async () => {
    const busy = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    const before = performance.now();
    const t = await km.time(() => busy(30));
    const outer = performance.now() - before;
    expect(t.wallMs).toBeGreaterThanOrEqual(30);
    expect(t.wallMs).toBeLessThanOrEqual(outer);
    expect(t.kernelMs).toBe(t.wallMs);
    const later = await km.time(() => new Promise((resolve) => setTimeout(resolve, 25)));
    expect(later.wallMs).toBeGreaterThanOrEqual(20);
    await expect(km.time(42 as never)).rejects.toThrow('km.time() takes the function to time, e.g. km.time(() => km.matMul(a, b)). Received: f=number 42.');
  });

  it('km.disposeVariables disposes every live variable, trainable or not, and frees their names', () => {
    const a = km.variable(km.tensor([1, 2]), true, 'dv_a');
    const b = km.variable(km.tensor([3]), false, 'dv_b');
    const plain = km.tensor([4]);
    expect(liveVariables(true)).toContain(b);
    km.disposeVariables();
    expect([a.isDisposed, b.isDisposed, plain.isDisposed]).toEqual([true, true, false]);
    expect(liveVariables(true)).toEqual([]);
    expect(km.variable(km.tensor([5]), true, 'dv_a').name).toBe('dv_a');
    km.disposeVariables();
  });
});
