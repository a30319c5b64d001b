// km.linalg's bandPart, gramSchmidt and qr against tfjs-core 4.22 (CPU backend): bandPart to the
// bit; gramSchmidt and qr within float32 tolerance, with orthonormality and reconstruction checked
// in float64; gradients against tf.grads; and the errors for bad input.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '../../index.js';
import { Tensor } from '../../tensor.js';
import { expectSameAsTfjs, randomPair } from '../../testing/tfjs_op_parity.js';
import { Random } from '../../utils/random.js';
import { valueAndGrads } from '../gradients.js';
import { sum } from '../reduce.js';
import { mul } from '../arithmetic.js';
import { bandPart } from './band_part.js';
import { gramSchmidt } from './gram_schmidt.js';
import { qr } from './qr.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Same shape, and every value within `tol`·(1 + |tfjs' value|) of tfjs'. */
function expectClose(ours: Tensor, theirs: tf.Tensor, tol: number, what: string): void {
  expect([...ours.shape], what).toEqual(theirs.shape);
  const [a, b] = [ours.dataSync(), theirs.dataSync()];
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `${what} [${i}]: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i])));
}

/** The [rows, cols] matrices of a flat array, in float64. */
function matrices(values: ArrayLike<number>, rows: number, cols: number): number[][][] {
  const count = values.length / (rows * cols);
  return Array.from({ length: count }, (_, k) => Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => values[(k * rows + i) * cols + j])));
}

describe('km.linalg matches tfjs-core 4.22', () => {
  it('bandPart: every band of random matrices and batches, both dtypes, and its gradient', () => {
    const rng = new Random(21);
    for (const shape of [[3, 4], [5, 2], [2, 3, 3], [2, 1, 4, 5], [1, 1]]) {
      const [m, n] = shape.slice(-2);
      for (const dtype of ['float32', 'int32'] as const) {
        const a = randomPair(rng, shape, dtype);
        for (let lower = -1; lower <= m; lower++) {
          for (let upper = -1; upper <= n; upper++) {
            expectSameAsTfjs(bandPart(a.km, lower, upper), tf.linalg.bandPart(a.tf, lower, upper), `[${shape}] ${dtype} ${lower} ${upper}`);
          }
        }
      }
      // tfjs' own bandPart gradient fails for a single matrix (the gradient of its unstack into one
      // piece throws); there the reference is tf.where with the band as a mask, the function
      // bandPart computes (equal up to the sign of 0).
      const a = randomPair(rng, shape, 'float32');
      const band = tf.linalg.bandPart(tf.ones([m, n]), 1, 0);
      const masked = (x: tf.Tensor) => tf.where(tf.cast(tf.broadcastTo(band, x.shape), 'bool'), x, tf.zerosLike(x));
      if (shape.length === 2) expect(() => tf.grads((x: tf.Tensor) => tf.linalg.bandPart(x, 1, 0))([a.tf])).toThrow(/must be a `Tensor\[\]`/);
      expectSameGradientsClose(rng, (x) => bandPart(x, 1, 0), shape.length === 2 ? masked : (x) => tf.linalg.bandPart(x, 1, 0), a, `gradient [${shape}]`, 0);
    }
    const x = randomPair(rng, [3, 3], 'float32');
    expectSameAsTfjs(bandPart(x.km, new Tensor(Int32Array.of(-1), [], 'int32'), new Tensor(Int32Array.of(0), [], 'int32')), tf.linalg.bandPart(x.tf, tf.scalar(-1, 'int32'), tf.scalar(0, 'int32')), 'tensor widths');
  });

  it('gramSchmidt: rows of a matrix and lists of vectors, orthonormal and spanning the same space', () => {
    const rng = new Random(22);
    for (const [m, n] of [[1, 1], [2, 3], [3, 3], [4, 7], [5, 5]]) {
      const xs = randomPair(rng, [m, n], 'float32', 1);
      const ys = gramSchmidt(xs.km);
      expectClose(ys, tf.linalg.gramSchmidt(xs.tf as tf.Tensor2D) as tf.Tensor, 2e-5, `matrix [${m}, ${n}]`);
      const [y] = matrices(ys.dataSync(), m, n);
      const [x] = matrices(xs.km.dataSync(), m, n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) {
          const dot = y[i].reduce((s, v, k) => s + v * y[j][k], 0);
          expect(Math.abs(dot - (i === j ? 1 : 0)), `yᵢ·yⱼ [${m}, ${n}] ${i} ${j}`).toBeLessThan(1e-5);
        }
        // x_i lies in the span of y_0..y_i: its residual after projecting on them is ~0.
        const residual = x[i].map((v, k) => v - y.slice(0, i + 1).reduce((s, yj) => s + yj.reduce((d, w, l) => d + w * x[i][l], 0) * yj[k], 0));
        expect(Math.hypot(...residual), `span [${m}, ${n}] ${i}`).toBeLessThan(1e-5 * (1 + Math.hypot(...x[i])));
      }
      const list = gramSchmidt(sdkUnstack(xs.km));
      expect(list.length).toBe(m);
      list.forEach((v, i) => expect(Array.from(v.dataSync()), `list ${i}`).toEqual(Array.from(ys.dataSync().slice(i * n, (i + 1) * n))));
      // tfjs' gradient fails for one vector (the gradient of its split into one piece throws); there
      // the reference is tfjs' algorithm over slices of the rows.
      if (m === 1) expect(() => tf.grads((a: tf.Tensor) => tf.linalg.gramSchmidt(a as tf.Tensor2D) as tf.Tensor)([xs.tf])).toThrow(/Pass at least one tensor to concat/);
      const reference = m === 1 ? (a: tf.Tensor) => tfGramSchmidtRows(a, m, n) : (a: tf.Tensor) => tf.linalg.gramSchmidt(a as tf.Tensor2D) as tf.Tensor;
      expectSameGradientsClose(rng, (a) => gramSchmidt(a), reference, xs, `gramSchmidt gradient [${m}, ${n}]`);
    }
  });

  it('qr: q and r against tfjs, q orthonormal and q·r = x in float64, every shape and fullMatrices', () => {
    const rng = new Random(23);
    for (const shape of [[1, 1], [2, 2], [3, 3], [4, 2], [2, 4], [5, 3], [3, 5], [6, 6], [2, 3, 3], [2, 2, 4, 4]]) {
      for (const full of [false, true]) {
        const x = randomPair(rng, shape, 'float32', 1);
        const [q, r] = qr(x.km, full);
        const [m, n] = shape.slice(-2);
        const k = full || m <= n ? m : n;
        expect([...q.shape]).toEqual([...shape.slice(0, -2), m, k]);
        expect([...r.shape]).toEqual([...shape.slice(0, -2), k, n]);
        // tfjs reshapes a batch's results to x's shape, so compare matrix by matrix.
        const xs = shape.length === 2 ? [x.tf] : tf.unstack(tf.reshape(x.tf, [-1, m, n]));
        const qs = matrices(q.dataSync(), m, k);
        const rs = matrices(r.dataSync(), k, n);
        const xm = matrices(x.km.dataSync(), m, n);
        xs.forEach((xt, b) => {
          const [tq, tr] = tf.linalg.qr(xt as tf.Tensor2D, full);
          expectClose(new Tensor(Float32Array.from(qs[b].flat()), [m, k], 'float32'), tq, 1e-5, `q [${shape}] full=${full} #${b}`);
          expectClose(new Tensor(Float32Array.from(rs[b].flat()), [k, n], 'float32'), tr, 1e-5, `r [${shape}] full=${full} #${b}`);
          for (let i = 0; i < k; i++) {
            for (let j = 0; j < k; j++) {
              const dot = qs[b].reduce((s, row) => s + row[i] * row[j], 0);
              expect(Math.abs(dot - (i === j ? 1 : 0)), `qᵀq [${shape}] ${i} ${j}`).toBeLessThan(1e-5);
            }
          }
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              const qr_ij = qs[b][i].reduce((s, v, l) => s + v * rs[b][l][j], 0);
              expect(Math.abs(qr_ij - xm[b][i][j]), `q·r [${shape}] ${i} ${j}`).toBeLessThan(1e-5);
              if (i > j && i < k) expect(Math.abs(rs[b][i][j]), `r below the diagonal [${shape}]`).toBeLessThan(1e-5);
            }
          }
        });
      }
    }
  });

  it('qr: gradients of q and r against tf.grads of tfjs\' algorithm with the reflection signs held constant (tf.grads of tf.linalg.qr throws: Greater has no gradient)', () => {
    const rng = new Random(24);
    for (const shape of [[3, 3], [4, 2], [2, 4], [1, 1]]) {
      for (const full of [false, true]) {
        const x = randomPair(rng, shape, 'float32', 1);
        const [tq, tr] = tf.linalg.qr(x.tf as tf.Tensor2D, full);
        const wq = randomPair(rng, tq.shape, 'float32', 1);
        const wr = randomPair(rng, tr.shape, 'float32', 1);
        const ours = valueAndGrads((a) => {
          const [q, r] = qr(a, full);
          return sum(mul(q, wq.km)).add(sum(mul(r, wr.km)));
        })([x.km]).grads[0];
        expect(() => tf.grads((a: tf.Tensor) => tf.sum(tf.linalg.qr(a as tf.Tensor2D, full)[0]))([x.tf])).toThrow(/gradient function not found for Greater/);
        const theirs = tf.grads((a: tf.Tensor) => {
          const [q, r] = tfQrConstantSigns(a as tf.Tensor2D, full);
          return tf.add(tf.sum(tf.mul(q, wq.tf)), tf.sum(tf.mul(r, wr.tf)));
        })([x.tf])[0];
        expectClose(ours, theirs, 1e-4, `qr gradient [${shape}] full=${full}`);
      }
    }
  });

  it('bad input names the problem and the fix', () => {
    const v = new Tensor(Float32Array.of(1, 2, 3), [3], 'float32');
    const m = new Tensor(new Float32Array(6), [2, 3], 'float32');
    expect(() => bandPart(v, 0, 0)).toThrow(/a must have rank 2 or more.*Received: a\.shape=\[3\] \(rank 1\)/);
    expect(() => bandPart(m, 3, 0)).toThrow(/numLower must be an integer no greater than the number of rows \(2\).*Received: numLower=3/);
    expect(() => bandPart(m, 0, 1.5)).toThrow(/numUpper must be an integer no greater than the number of columns \(3\).*Received: numUpper=1\.5/);
    expect(() => gramSchmidt(new Tensor(new Float32Array(6), [3, 2], 'float32'))).toThrow(/more vectors \(3\) than dimensions \(2\).*Give at most 2 vectors/);
    expect(() => gramSchmidt([v, new Tensor(Float32Array.of(1, 2), [2], 'float32')])).toThrow(/xs must hold vectors of one length.*Received: xs\[0\]\.shape=\[3\], xs\[1\]\.shape=\[2\]/);
    expect(() => gramSchmidt([])).toThrow(/xs must not be empty/);
    expect(() => gramSchmidt(v)).toThrow(/xs must be a \[m, n\] matrix.*Received: xs\.shape=\[3\]/);
    expect(() => qr(v)).toThrow(/x must have rank 2 or more.*Received: x\.shape=\[3\] \(rank 1\)/);
    expect(() => qr(m, 'yes' as unknown as boolean)).toThrow(/fullMatrices must be true or false/);
  });

  it('is reachable as km.linalg.* from the package entry', () => {
    expect(sdk.linalg.bandPart).toBe(bandPart);
    expect(sdk.linalg.gramSchmidt).toBe(gramSchmidt);
    expect(sdk.linalg.qr).toBe(qr);
  });
});

/**
 * tfjs' qr2d (tfjs-core/src/ops/linalg/qr.ts) with each reflection's sign read and used as a
 * constant: the same function of x near x, and differentiable by tf.grads.
 */
function tfQrConstantSigns(x: tf.Tensor2D, fullMatrices: boolean): [tf.Tensor, tf.Tensor] {
  const [m, n] = x.shape;
  let q: tf.Tensor = tf.eye(m);
  let r: tf.Tensor = x;
  const one = tf.tensor2d([[1]]);
  for (let j = 0; j < Math.min(m, n); j++) {
    const column = tf.slice(r, [j, j], [m - j, 1]);
    const columnNorm = tf.norm(column);
    const pivot = tf.slice(r, [j, j], [1, 1]);
    const s = tf.tensor2d([[pivot.dataSync()[0] > 0 ? -1 : 1]]);
    const u1 = tf.sub(pivot, tf.mul(s, columnNorm));
    const w = m - j === 1 ? one : tf.concat([one, tf.slice(tf.div(column, u1), [1, 0], [m - j - 1, 1])], 0);
    const tauW = tf.mul(tf.neg(tf.div(tf.matMul(s, u1), columnNorm)), w);
    const rows = tf.slice(r, [j, 0], [m - j, n]);
    const reflected = tf.sub(rows, tf.matMul(tauW, tf.matMul(tf.transpose(w), rows)));
    r = j === 0 ? reflected : tf.concat([tf.slice(r, [0, 0], [j, n]), reflected], 0);
    const columns = tf.slice(q, [0, j], [m, m - j]);
    const updated = tf.sub(columns, tf.matMul(tf.matMul(columns, w), tf.transpose(tauW)));
    q = j === 0 ? updated : tf.concat([tf.slice(q, [0, 0], [m, j]), updated], 1);
  }
  if (!fullMatrices && m > n) return [tf.slice(q, [0, 0], [m, n]), tf.slice(r, [0, 0], [n, n])];
  return [q, r];
}

/** tfjs' gramSchmidt written over slices of the rows (tf.grads of tf.linalg.gramSchmidt of one vector fails: its split's gradient throws). */
function tfGramSchmidtRows(a: tf.Tensor, m: number, n: number): tf.Tensor {
  const ys: tf.Tensor[] = [];
  for (let i = 0; i < m; i++) {
    let x = tf.reshape(tf.slice(a, [i, 0], [1, n]), [n]);
    for (const y of ys) x = tf.sub(x, tf.mul(tf.sum(tf.mul(y, x)), y));
    ys.push(tf.div(x, tf.norm(x)));
  }
  return tf.stack(ys);
}

function sdkUnstack(t: Tensor): Tensor[] {
  return sdk.unstack(t);
}

/** Gradients of f's two versions with a random dy, within float32 tolerance (the op sums in a different order). */
function expectSameGradientsClose(rng: Random, km: (x: Tensor<'float32'>) => Tensor, theirs: (x: tf.Tensor) => tf.Tensor, x: { km: Tensor; tf: tf.Tensor }, what: string, tol = 1e-4): void {
  const dy = randomPair(rng, [...km(x.km as Tensor<'float32'>).shape], 'float32', 1);
  const ours = valueAndGrads((a) => km(a))([x.km], dy.km).grads[0];
  const expected = tf.grads((a: tf.Tensor) => theirs(a))([x.tf], dy.tf)[0];
  expectClose(ours, expected, tol, what);
}
