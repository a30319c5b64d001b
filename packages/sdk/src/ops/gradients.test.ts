// km.grad and its siblings: composite functions against central finite differences of a float64
// rebuild, what they dispose, and each error. (Each op's gradient against tf.grads: gradients_tfjs.test.ts.)
import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '../tensor.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';
import { taping } from './tape.js';

/** Central differences of `f` at `x`, all in float64. */
function finiteDifferences(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const up = Float64Array.from(x);
    const down = Float64Array.from(x);
    up[i] += h;
    down[i] -= h;
    g[i] = (f(up) - f(down)) / (2 * h);
  }
  return g;
}

function expectClose(ours: Tensor, reference: Float64Array, what: string, tolerance = 2e-3): void {
  const values = ours.dataSync();
  expect(values.length, what).toBe(reference.length);
  reference.forEach((r, i) => expect(Math.abs(values[i] - r), `${what} [${i}]: ${values[i]} vs ${r}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(r))));
}

function randomValues(rng: Random, size: number, low: number, high: number): Float64Array {
  return Float64Array.from({ length: size }, () => Math.fround(rng.uniform(low, high)));
}

const ROWS = 4;
const COLS = 5;

describe('km.grad, km.grads, km.valueAndGrad and km.valueAndGrads', () => {
  const rng = new Random(41);
  const yTrue = randomValues(rng, ROWS * COLS, 0, 1);
  const yTrueTensor = tensor(Float32Array.from(yTrue), [ROWS, COLS]);

  it('a Huber loss written with minimum and abs equals float64 finite differences', () => {
    const huber = (yPred: Tensor) => {
      const err = km.abs(yTrueTensor.sub(yPred));
      const quadratic = km.minimum(err, 1);
      return quadratic.square().mul(0.5).add(err.sub(quadratic)).mean();
    };
    const reference = (p: Float64Array) => {
      let s = 0;
      p.forEach((v, i) => {
        const e = Math.abs(yTrue[i] - v);
        s += e <= 1 ? 0.5 * e * e : e - 0.5;
      });
      return s / p.length;
    };
    const x = randomValues(rng, ROWS * COLS, -2, 3);
    expectClose(km.grad(huber)(tensor(Float32Array.from(x), [ROWS, COLS])), finiteDifferences(reference, x), 'Huber');
  });

  it('a mean squared error per sample with an explicit dy, as a compiled loss calls it', () => {
    const mse = (yPred: Tensor) => yTrueTensor.sub(yPred).square().mean(-1);
    const x = randomValues(rng, ROWS * COLS, -1, 2);
    const weights = randomValues(rng, ROWS, 0, 2);
    const reference = (p: Float64Array) => {
      let s = 0;
      p.forEach((v, i) => (s += (weights[Math.floor(i / COLS)] * (yTrue[i] - v) ** 2) / COLS));
      return s;
    };
    const { value, grads } = km.valueAndGrads(mse)([tensor(Float32Array.from(x), [ROWS, COLS])], tensor(Float32Array.from(weights)));
    expect(value.shape).toEqual([ROWS]);
    expectClose(grads[0], finiteDifferences(reference, x), 'MSE');
  });

  it('a stable log-sum-exp (max subtracted and added back) has softmax as its gradient', () => {
    const logSumExp = (x: Tensor) => {
      const m = x.max(-1, true);
      return x.sub(m).exp().sum(-1, true).log().add(m).sum();
    };
    const reference = (x: Float64Array) => {
      let s = 0;
      for (let r = 0; r < ROWS; r++) {
        const row = x.subarray(r * COLS, (r + 1) * COLS);
        s += Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
      }
      return s;
    };
    const x = randomValues(rng, ROWS * COLS, -3, 3);
    expectClose(km.grad(logSumExp)(tensor(Float32Array.from(x), [ROWS, COLS])), finiteDifferences(reference, x), 'log-sum-exp');
  });

  it('two arguments through sigmoid, softplus, tanh, sqrt, pow, slice, concat, transpose and stack', () => {
    const f = (a: Tensor, b: Tensor) => {
      const left = km.sigmoid(a).mul(km.softplus(b)).slice([0, 1], [-1, 3]);
      const right = km.tanh(a.transpose().transpose()).add(km.sqrt(b.square().add(1))).slice([0, 0], [-1, 2]);
      return km.stack([km.concat([left, right], 1).pow(2), a.div(b.abs().add(0.5))]).sum([0, -1]);
    };
    const reference = (v: Float64Array) => {
      const a = v.subarray(0, ROWS * COLS);
      const b = v.subarray(ROWS * COLS);
      const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
      let s = 0;
      for (let r = 0; r < ROWS; r++) {
        for (let c = 0; c < COLS; c++) {
          const i = r * COLS + c;
          if (c >= 1 && c < 4) s += (sigmoid(a[i]) * Math.log1p(Math.exp(b[i]))) ** 2;
          if (c < 2) s += (Math.tanh(a[i]) + Math.sqrt(b[i] * b[i] + 1)) ** 2;
          s += a[i] / (Math.abs(b[i]) + 0.5);
        }
      }
      return s;
    };
    const a = randomValues(rng, ROWS * COLS, -2, 2);
    const b = randomValues(rng, ROWS * COLS, -2, 2);
    const fd = finiteDifferences(reference, Float64Array.of(...a, ...b));
    const [ga, gb] = km.grads(f)([tensor(Float32Array.from(a), [ROWS, COLS]), tensor(Float32Array.from(b), [ROWS, COLS])]);
    expectClose(ga, fd.subarray(0, ROWS * COLS), 'a');
    expectClose(gb, fd.subarray(ROWS * COLS), 'b');
  });

  it("topk's values pass their gradient back to the picked entries; int32 results pass none", () => {
    const x = tensor([[3, 1, 2, 5], [0, 4, 4, -1]]); // picks 5 then 3, and the 4 at 1 then the 4 at 2
    expect(km.grad((t) => km.topk(t, 2).values.mul(tensor([1, 10])))(x).arraySync()).toEqual([[10, 0, 0, 1], [0, 1, 10, 0]]);
    // The cast to int32 is a constant here (tfjs would pass dy through it): d/dx [trunc(x) * x] = trunc(x).
    const y = tensor([1.5, -2.7, 3.2]);
    expect(km.grad((t) => t.cast('int32').cast('float32').mul(t))(y).arraySync()).toEqual([1, -2, 3]);
    // Equal clip bounds make a constant, as tfjs fills it: only the added t passes a gradient.
    expect(km.grad((t) => t.clipByValue(1, 1).add(t))(y).arraySync()).toEqual([1, 1, 1]);
  });

  it('f the identity gives dy itself, copied; a value used twice accumulates', () => {
    const dy = tensor([1, 2, 3]);
    const g = km.grad((t) => t)(tensor([5, 6, 7]), dy);
    expect(g.arraySync()).toEqual([1, 2, 3]);
    expect(g.dataSync()).not.toBe(dy.dataSync());
    const [ga, gb] = km.grads((a, b) => a.add(b))([tensor([1, 2]), tensor([3, 4])]);
    expect(ga.dataSync()).not.toBe(gb.dataSync());
    expect(km.grad((t) => t.mul(t).add(t))(tensor([2, -1])).arraySync()).toEqual([5, -1]);
  });

  it('disposes what f makes, and the value for grad and grads; keeps arguments, gradients and valueAndGrad values', () => {
    const made: Tensor[] = [];
    const f = (t: Tensor) => {
      const squared = t.square();
      made.push(squared);
      return squared.sum();
    };
    const x = tensor([1, 2, 3]);
    const g = km.grad((t) => {
      const y = f(t);
      made.push(y);
      return y;
    })(x);
    expect(made.map((t) => t.isDisposed)).toEqual([true, true]);
    expect([x.isDisposed, g.isDisposed]).toEqual([false, false]);
    made.length = 0;
    const { value, grad } = km.valueAndGrad(f)(x);
    expect([made[0].isDisposed, value.isDisposed, grad.isDisposed, x.isDisposed]).toEqual([true, false, false, false]);
    expect(value.arraySync()).toBe(14);
    const kept = km.tidy(() => km.valueAndGrads((t) => t.mul(2))([x]));
    expect([kept.value.isDisposed, kept.grads[0].isDisposed]).toEqual([false, false]);
  });

  it('records only inside a gradient call, and stops after f throws', () => {
    expect(taping()).toBe(false);
    let inside = false;
    km.grad((t) => {
      inside = taping();
      return t.square();
    })(tensor([1]));
    expect([inside, taping()]).toEqual([true, false]);
    expect(() => km.grad(() => { throw new Error('boom'); })(tensor([1]))).toThrow('boom');
    expect(taping()).toBe(false);
    expect(km.grad((t) => t.square())(tensor([3])).arraySync()).toEqual([6]);
  });

  it('explains each misuse: no tensor, a Promise, int32 arguments, no dependence, a wrong dy, nesting', () => {
    const x = tensor([1, 2]);
    expect(() => km.grad((() => 3) as never)(x)).toThrow('km.grad(): f must return a km.Tensor. Return the value to differentiate, e.g. a loss, computed with km ops. Received: f returned number 3.');
    expect(() => km.grad((async (t: Tensor) => t.square()) as never)(x)).toThrow(/km\.grad\(\): f must return a km\.Tensor\. f must be synchronous: drop async\/await.* Received: f returned a Promise\./);
    expect(() => km.grad((t) => t.square())(tensor([1, 2], undefined, 'int32'))).toThrow(
      "km.grad(): x is int32, but gradients are float32 only (an integer input has no derivative). Cast it first: km.cast(x, 'float32'). Received: x.dtype='int32'.",
    );
    expect(() => km.grads((a, b) => a.add(b))([x, tensor([1, 2], undefined, 'int32')])).toThrow(/km\.grads\(\): args\[1\] is int32/);
    expect(() => km.grad(() => tensor(3))(x)).toThrow(/^km\.grad\(\): cannot compute the gradient of y = f\(\.\.\.\) with respect to x: y does not depend on it\. Compute y from it with km ops inside f/);
    expect(() => km.grads((a) => a.square())([x, tensor([3])])).toThrow(/km\.grads\(\): cannot compute the gradient of y = f\(\.\.\.\) with respect to args\[1\]/);
    expect(() => km.grad((t) => t.argMax())(x)).toThrow(/with respect to x: y does not depend on it\. f returned an int32 tensor, which carries no gradient\./);
    expect(() => km.grad((t) => tensor(t.dataSync()).square())(x)).toThrow(/values read with dataSync\(\) and made into new tensors/);
    expect(() => km.grad((t) => t.square())(x, tensor([[1, 1]]))).toThrow(
      "km.grad(): dy must be a float32 tensor of the shape f returns, [2] (it weighs each value of f's result). Received: dy.shape=[1, 2], dy.dtype='float32'.",
    );
    expect(() => km.valueAndGrads((t) => t.sum())([x], tensor([1], undefined, 'int32'))).toThrow(/dy must be a float32 tensor of the shape f returns, \[\].* Received: dy\.shape=\[1\], dy\.dtype='int32'/);
    expect(() => km.grad((t) => km.grad((u) => u.square())(t))(x)).toThrow(/^km\.grad\(\) was called inside the f of another gradient call .* gradient calls cannot nest/);
    expect(() => km.grad(3 as never)).toThrow('km.grad() takes the function to differentiate, e.g. km.grad((x) => x.square().sum()). Received: f=number 3.');
    expect(() => km.grads((a) => a)(x as never)).toThrow('km.grads() differentiates with respect to a non-empty array of tensors: km.grads(f)([x1, x2]). Received: args=Tensor.');
  });

  it('takes arrays for x and dy, as tf.grad does', () => {
    expect(km.grad((t) => t.square())([1, 2], [1, 0.5]).arraySync()).toEqual([2, 2]);
  });
});
