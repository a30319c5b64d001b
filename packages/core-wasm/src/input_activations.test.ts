import { describe, expect, it } from 'vitest';
import { InputActivation } from './input_activation.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

// Float64 references written from the definitions, independent of the kernels' formulas: erf
// from its Taylor series (|z| < 3) and erfc from its continued fraction beyond, and every
// derivative by central differences of the reference itself.
function erfc(z: number): number {
  if (z < 0) return 2 - erfc(-z);
  if (z < 3) {
    let term = z, sum = z;
    for (let n = 1; n < 80; n++) {
      term *= (-z * z) / n;
      sum += term / (2 * n + 1);
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  let fraction = z;
  for (let k = 60; k >= 1; k--) fraction = z + k / 2 / fraction;
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / fraction;
}

const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const REFERENCE: Record<InputActivation, (x: number) => number> = {
  [InputActivation.Swish]: (x) => x / (1 + Math.exp(-x)),
  [InputActivation.Gelu]: (x) => 0.5 * x * erfc(-x / Math.SQRT2),
  // ½x(1 + tanh u) as x·σ(2u): 1 + tanh u would cancel for negative u, and leave the tail 0.
  [InputActivation.GeluTanh]: (x) => x / (1 + Math.exp(-2 * Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  [InputActivation.Mish]: (x) => x * Math.tanh(softplus(x)),
  [InputActivation.HardSilu]: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
  [InputActivation.TanhShrink]: (x) => x - Math.tanh(x),
};

function derivativeRef(kind: InputActivation, x: number): number {
  const h = 1e-5 * Math.max(1, Math.abs(x));
  return (REFERENCE[kind](x + h) - REFERENCE[kind](x - h)) / (2 * h);
}

const KINDS = [InputActivation.Swish, InputActivation.Gelu, InputActivation.GeluTanh, InputActivation.Mish, InputActivation.HardSilu, InputActivation.TanhShrink];
const SIZES = [1, 7, 33, 130];
// The tails where a naive formula loses everything (1 − erf, e^x overflow, 1 − tanh²) and zero.
const EXTREMES = [0, -0, 1e-4, -1e-4, -5, 5, -9, 9, -15, 15, -30, 30, -100, 100, -1000, 1000];

/** Random values in ±6 followed by the extremes. */
function inputs(n: number, seed: number): Float32Array {
  const x = randomArray(n, seed, -6, 6);
  return Float32Array.from([...x, ...EXTREMES]);
}

describe('the float64 erfc reference', () => {
  it('matches tabulated values (Abramowitz & Stegun Table 7.1) on both sides of its switch at 3', () => {
    expect(1 - erfc(0.5)).toBeCloseTo(0.5204998778, 10);
    expect(1 - erfc(1)).toBeCloseTo(0.8427007929, 10);
    expect(1 - erfc(2)).toBeCloseTo(0.9953222650, 10);
    expect(erfc(3 - 1e-12) / erfc(3 + 1e-12)).toBeCloseTo(1, 8);
    expect(erfc(3) / 2.209049699858544e-5).toBeCloseTo(1, 9);
    expect(erfc(5) / 1.5374597944280349e-12).toBeCloseTo(1, 9);
  });
});

describe.each(FLAVORS)('activations from the input (%s)', (flavor) => {
  for (const kind of KINDS) {
    it(`${InputActivation[kind]}: forward (in place too) against float64, on odd sizes and large |x|`, async () => {
      const core = await coreFor(flavor);
      for (const size of SIZES) {
        const x = inputs(size, size + kind);
        const n = x.length;
        const expected = Array.from(x, REFERENCE[kind]);
        const px = put(core, x), py = core.malloc(4 * n);
        core.inputActivationForward(kind, px, py, n);
        expectClose(get(core, py, n), expected, 5e-7, 1e-38);
        core.inputActivationForward(kind, px, px, n);
        expectClose(get(core, px, n), expected, 5e-7, 1e-38);
        [px, py].forEach((ptr) => core.free(ptr));
      }
    });

    it(`${InputActivation[kind]}: backward against central differences, with and without the fused bias gradient`, async () => {
      const core = await coreFor(flavor);
      for (const [rows, cols] of [[1, 1], [3, 7], [5, 13], [9, 33]]) {
        const n = rows * cols;
        const all = inputs(n, rows + cols);
        const x = all.subarray(all.length - n);
        const dy = randomArray(n, rows * cols + kind);
        const dx = Array.from(x, (v, i) => dy[i] * derivativeRef(kind, v));
        const dBias = Array.from({ length: cols }, (_, c) => {
          let s = 0;
          for (let r = 0; r < rows; r++) s += dx[r * cols + c];
          return s;
        });
        const px = put(core, x), pdy = put(core, dy), pdx = core.malloc(4 * n), pb = put(core, new Float32Array(cols).fill(99));
        core.inputActivationBackward(kind, px, pdy, pdx, 0, rows, cols);
        expectClose(get(core, pdx, n), dx, 1e-6, 1e-7);
        core.inputActivationBackward(kind, px, pdy, pdy, pb, rows, cols);
        expectClose(get(core, pdy, n), dx, 1e-6, 1e-7);
        expectClose(get(core, pb, cols), dBias, 1e-6, 1e-6);
        [px, pdy, pdx, pb].forEach((ptr) => core.free(ptr));
      }
    });
  }
});
