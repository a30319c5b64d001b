import { describe, expect, it } from 'vitest';
import { Activation } from './activation.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

const SHAPES: [number, number][] = [[1, 1], [3, 17], [17, 3], [2, 63], [2, 65], [4, 784]];

function softmaxRef(x: ArrayLike<number>, rows: number, cols: number): number[] {
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: cols }, (_, c) => x[r * cols + c]);
    const mx = Math.max(...row);
    const e = row.map((v) => Math.exp(v - mx));
    const s = e.reduce((a, b) => a + b, 0);
    y.push(...e.map((v) => v / s));
  }
  return y;
}

const forwardRef: Record<number, (v: number) => number> = {
  [Activation.Linear]: (v) => v,
  [Activation.Relu]: (v) => Math.max(v, 0),
  [Activation.Sigmoid]: (v) => 1 / (1 + Math.exp(-v)),
  [Activation.Tanh]: (v) => Math.tanh(v),
};

const backwardRef: Record<number, (y: number, dy: number) => number> = {
  [Activation.Linear]: (_y, dy) => dy,
  [Activation.Relu]: (y, dy) => (y > 0 ? dy : 0),
  [Activation.Sigmoid]: (y, dy) => dy * y * (1 - y),
  [Activation.Tanh]: (y, dy) => dy * (1 - y * y),
};

const KINDS = [Activation.Linear, Activation.Relu, Activation.Sigmoid, Activation.Tanh, Activation.Softmax];

describe.each(FLAVORS)('activations (%s)', (flavor) => {
  for (const kind of KINDS) {
    it(`${Activation[kind]} forward, out of place and in place`, async () => {
      const core = await coreFor(flavor);
      for (const [rows, cols] of SHAPES) {
        const x = randomArray(rows * cols, rows * 100 + cols, -6, 6);
        const expected = kind === Activation.Softmax ? softmaxRef(x, rows, cols) : Array.from(x, forwardRef[kind]);
        const px = put(core, x), py = core.malloc(4 * rows * cols);
        core.activationForward(kind, px, py, rows, cols);
        expectClose(get(core, py, rows * cols), expected, 1e-5, 1e-6);
        expect(Array.from(get(core, px, rows * cols))).toEqual(Array.from(x));
        core.activationForward(kind, px, px, rows, cols);
        expectClose(get(core, px, rows * cols), expected, 1e-5, 1e-6);
        core.free(px);
        core.free(py);
      }
    });

    it(`${Activation[kind]} backward from the forward output, dx aliasing dy or not`, async () => {
      const core = await coreFor(flavor);
      for (const [rows, cols] of SHAPES) {
        const x = randomArray(rows * cols, rows * 7 + cols, -3, 3);
        const dy = randomArray(rows * cols, rows * 11 + cols);
        const px = put(core, x), pdy = put(core, dy), pdx = core.malloc(4 * rows * cols);
        core.activationForward(kind, px, px, rows, cols);
        const y = get(core, px, rows * cols);
        let expected: number[];
        if (kind === Activation.Softmax) {
          expected = [];
          for (let r = 0; r < rows; r++) {
            let s = 0;
            for (let c = 0; c < cols; c++) s += dy[r * cols + c] * y[r * cols + c];
            for (let c = 0; c < cols; c++) expected.push(y[r * cols + c] * (dy[r * cols + c] - s));
          }
        } else {
          expected = Array.from(y, (v, i) => backwardRef[kind](v, dy[i]));
        }
        core.activationBackward(kind, px, pdy, pdx, rows, cols);
        expectClose(get(core, pdx, rows * cols), expected, 1e-5, 1e-6);
        core.activationBackward(kind, px, pdy, pdy, rows, cols);
        expectClose(get(core, pdy, rows * cols), expected, 1e-5, 1e-6);
        core.free(px);
        core.free(pdy);
        core.free(pdx);
      }
    });
  }

  it('softmax rows sum to 1 and stay finite for huge logits', async () => {
    const core = await coreFor(flavor);
    const rows = 4, cols = 10;
    const x = Float32Array.from({ length: rows * cols }, (_, i) => (i % 3) * 1e4 + (i % 7) * 1e3 - 3e4);
    const px = put(core, x);
    core.activationForward(Activation.Softmax, px, px, rows, cols);
    const y = get(core, px, rows * cols);
    expect(core.hasNonFinite(px, rows * cols)).toBe(false);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += y[r * cols + c];
      expect(Math.abs(s - 1)).toBeLessThan(1e-6);
    }
    expectClose(y, softmaxRef(x, rows, cols), 1e-5, 1e-7);
    core.free(px);
  });

  it('sigmoid and tanh saturate without overflow for large |x|', async () => {
    const core = await coreFor(flavor);
    const x = Float32Array.from([-1e30, -1e4, -100, -88.8, 88.8, 100, 1e4, 1e30, 0]);
    for (const kind of [Activation.Sigmoid, Activation.Tanh]) {
      const px = put(core, x), py = core.malloc(4 * x.length);
      core.activationForward(kind, px, py, 1, x.length);
      expect(core.hasNonFinite(py, x.length)).toBe(false);
      expectClose(get(core, py, x.length), Array.from(x, forwardRef[kind]), 1e-6, 1e-30);
      core.free(px);
      core.free(py);
    }
  });
});
