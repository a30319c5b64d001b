import { describe, expect, it } from 'vitest';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

const EPSILON = 1e-7;

// Naive float64 L2 normalization of [outer, reduce, inner] over the middle axis, from the definition.
function reference(x: ArrayLike<number>, outer: number, reduce: number, inner: number): number[] {
  const y = new Array<number>(x.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (r: number) => (o * reduce + r) * inner + j;
      let squares = 0;
      for (let r = 0; r < reduce; r++) squares += x[at(r)] ** 2;
      for (let r = 0; r < reduce; r++) y[at(r)] = x[at(r)] / Math.sqrt(Math.max(squares, EPSILON));
    }
  }
  return y;
}

describe.each(FLAVORS)('L2 normalization (%s)', (flavor) => {
  // [outer, reduce, inner]: the last axis (inner 1), a middle axis, and odd sizes of each.
  const SHAPES = [[1, 1, 1], [3, 17, 1], [2, 5, 3], [4, 1, 7], [1, 65, 2], [2, 784, 1]];

  it.each(SHAPES)('forward over [%i, %i, %i] matches a float64 loop, each column of unit norm', async (outer, reduce, inner) => {
    const core = await coreFor(flavor);
    const n = outer * reduce * inner;
    const x = randomArray(n, 7 + n, -2, 2);
    const px = put(core, x);
    const py = put(core, new Float32Array(n));
    core.l2NormalizeForward(px, py, outer, reduce, inner, EPSILON);
    const y = get(core, py, n);
    expectClose(y, reference(x, outer, reduce, inner));
    if (reduce > 1) {
      let squares = 0;
      for (let r = 0; r < reduce; r++) squares += y[r * inner] ** 2;
      expect(squares).toBeCloseTo(1, 5);
    }
  });

  it.each(SHAPES)('backward over [%i, %i, %i] matches central differences of Σ dy·y', async (outer, reduce, inner) => {
    const core = await coreFor(flavor);
    const n = outer * reduce * inner;
    const x = randomArray(n, 31 + n, -2, 2);
    const dy = randomArray(n, 47 + n, -1, 1);
    const px = put(core, x);
    const pdy = put(core, dy);
    const pdx = put(core, new Float32Array(n));
    core.l2NormalizeBackward(px, pdy, pdx, outer, reduce, inner, EPSILON);
    const objective = (v: number[]) => reference(v, outer, reduce, inner).reduce((s, y, i) => s + y * dy[i], 0);
    const expected = Array.from(x, (_, i) => {
      const up = Array.from(x);
      const down = Array.from(x);
      up[i] += 1e-4;
      down[i] -= 1e-4;
      return (objective(up) - objective(down)) / 2e-4;
    });
    expectClose(get(core, pdx, n), expected, 1e-3, 1e-4);
  });

  it('clamps a near-zero column at √ε, where the gradient is dy/√ε', async () => {
    const core = await coreFor(flavor);
    const x = Float32Array.of(1e-5, -2e-5, 3e-6);
    const dy = Float32Array.of(0.5, -1, 2);
    const [px, py, pdy, pdx] = [put(core, x), put(core, new Float32Array(3)), put(core, dy), put(core, new Float32Array(3))];
    core.l2NormalizeForward(px, py, 1, 3, 1, EPSILON);
    expectClose(get(core, py, 3), Array.from(x, (v) => v / Math.sqrt(EPSILON)));
    core.l2NormalizeBackward(px, pdy, pdx, 1, 3, 1, EPSILON);
    expectClose(get(core, pdx, 3), Array.from(dy, (v) => v / Math.sqrt(EPSILON)), 1e-5, 1e-3);
  });

  it('normalizes in place when y aliases x', async () => {
    const core = await coreFor(flavor);
    const x = randomArray(12, 3, -1, 1);
    const px = put(core, x);
    core.l2NormalizeForward(px, px, 2, 3, 2, EPSILON);
    expectClose(get(core, px, 12), reference(x, 2, 3, 2));
  });
});
