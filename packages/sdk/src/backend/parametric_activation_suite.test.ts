import { describe, it } from 'vitest';
import type { Backend, ParametricActivation, PreluGeometry } from './backend.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, deviceIO, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';

// The activation layers' kernels on every backend that runs here (Node, or Chromium in browser
// mode), each against a naive loop written from Keras' definitions, breakpoints included.
const random = new Random(77);

/** Values in [−3, 7) with each breakpoint the cases use (0, ±0.5, 1, 6) planted every third place. */
function withBreakpoints(n: number): Float32Array {
  const points = [0, -0.5, 0.5, 1, 6];
  return Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? points[(i / 3) % points.length] : random.uniform(-3, 7)));
}

function reference(f: ParametricActivation, x: number): { y: number; dydx: number } {
  if (f.kind === 'elu') return x > 0 ? { y: x, dydx: 1 } : { y: f.alpha * Math.expm1(x), dydx: f.alpha * Math.exp(x) };
  const positive = Math.min(Math.max(x > f.threshold ? x : 0, f.lo), f.hi);
  return {
    y: positive - f.negativeSlope * Math.max(f.threshold - x, 0),
    dydx: (x > f.threshold && x >= f.lo && x <= f.hi ? 1 : 0) + (x <= f.threshold ? f.negativeSlope : 0),
  };
}

const FUNCTIONS: [string, ParametricActivation][] = [
  ['leakyReLU 0.2', { kind: 'piecewiseLinear', threshold: 0, negativeSlope: 0.2, lo: -Infinity, hi: Infinity }],
  ['reLU maxValue 6', { kind: 'piecewiseLinear', threshold: 0, negativeSlope: 0, lo: 0, hi: 6 }],
  ['reLU threshold 0.5, slope 0.1, maxValue 1', { kind: 'piecewiseLinear', threshold: 0.5, negativeSlope: 0.1, lo: 0, hi: 1 }],
  ['thresholdedReLU 1', { kind: 'piecewiseLinear', threshold: 1, negativeSlope: 0, lo: -Infinity, hi: Infinity }],
  ['elu 0.7', { kind: 'elu', alpha: 0.7 }],
];

describe.each(BACKENDS_HERE)('activation layer kernels on backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);

  runsOn(name, (current) => (b = current));

  it.each(FUNCTIONS)('%s: forward, and backward from the input', async (_, f) => {
    const n = 37;
    const x = withBreakpoints(n);
    const dy = Float32Array.from({ length: n }, () => random.uniform(-1, 1));
    const [xId, y, dx] = [upload(x), b.alloc(n, 'float32'), b.alloc(n, 'float32')];
    b.parametricActivation(f, xId, y, n);
    expectClose(await download(y, n), Array.from(x, (v) => reference(f, v).y));
    b.parametricActivationGrad(f, xId, upload(dy), dx, n);
    expectClose(await download(dx, n), Array.from(x, (v, i) => dy[i] * reference(f, v).dydx));
  });

  it.each<PreluGeometry>([
    { batch: 2, outer: 1, shared: 1, inner: 9 },
    { batch: 3, outer: 1, shared: 4, inner: 5 },
    { batch: 2, outer: 3, shared: 5, inner: 1 },
  ])('prelu over [$batch, $outer, $shared, $inner]: forward, input and alpha gradients', async (g) => {
    const n = g.batch * g.outer * g.shared * g.inner;
    const x = withBreakpoints(n);
    const dy = Float32Array.from({ length: n }, () => random.uniform(-1, 1));
    const alpha = Float32Array.from({ length: g.outer * g.inner }, () => random.uniform(-0.5, 1));
    const alphaIndex = (i: number) => (Math.floor(i / (g.shared * g.inner)) % g.outer) * g.inner + (i % g.inner);
    const [xId, alphaId, y, dx, dAlpha] = [upload(x), upload(alpha), b.alloc(n, 'float32'), b.alloc(n, 'float32'), b.alloc(alpha.length, 'float32')];
    b.prelu(xId, alphaId, y, g);
    expectClose(await download(y, n), Array.from(x, (v, i) => (v < 0 ? alpha[alphaIndex(i)] * v : v)));
    b.preluGrad(xId, alphaId, upload(dy), dx, dAlpha, g);
    expectClose(await download(dx, n), Array.from(x, (v, i) => (v > 0 ? dy[i] : dy[i] * alpha[alphaIndex(i)])));
    const expectedDAlpha = new Array<number>(alpha.length).fill(0);
    x.forEach((v, i) => {
      if (v <= 0) expectedDAlpha[alphaIndex(i)] += dy[i] * v;
    });
    expectClose(await download(dAlpha, alpha.length), expectedDAlpha);
  });
});
