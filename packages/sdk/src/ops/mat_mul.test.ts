// km.matMul against tfjs-core's tf.matMul (CPU backend): values and both gradients from tf.grads,
// for every transpose and for stacks of matrices, and the errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameAsTfjs, randomPair, randomShape } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from '../index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

describe('km.matMul', () => {
  it("equals tf.matMul in value and in both gradients, for each transpose and for stacks of matrices", () => {
    const rng = new Random(8);
    for (let trial = 0; trial < 24; trial++) {
      const [transposeA, transposeB] = [trial % 2 === 1, Math.floor(trial / 2) % 2 === 1];
      const lead = trial < 12 ? [] : randomShape(rng, 1 + (trial % 2), 3);
      const [m, k, n] = randomShape(rng, 3, 7);
      const a = randomPair(rng, [...lead, ...(transposeA ? [k, m] : [m, k])], 'float32', 2);
      const b = randomPair(rng, [...lead, ...(transposeB ? [n, k] : [k, n])], 'float32', 2);
      const dy = randomPair(rng, [...lead, m, n], 'float32', 2);
      const what = `[${a.km.shape}]${transposeA ? 'ᵀ' : ''} · [${b.km.shape}]${transposeB ? 'ᵀ' : ''}`;
      const ours = km.valueAndGrads((x, y) => km.matMul(x, y, transposeA, transposeB))([a.km, b.km], dy.km);
      const theirs = tf.valueAndGrads((x, y) => tf.matMul(x, y, transposeA, transposeB))([a.tf, b.tf], dy.tf);
      expectSameAsTfjs(ours.value, theirs.value, `${what}: value`);
      ours.grads.forEach((g, i) => expectSameAsTfjs(g, theirs.grads[i], `${what}: gradient ${i}`));
    }
  });

  it("runs a large product on the WASM core's GEMM, within float32 rounding of tfjs, gradients too", () => {
    expect(km.getBackend()).toBe('wasm');
    const rng = new Random(21);
    for (const [transposeA, transposeB] of [[false, false], [true, false], [false, true]] as const) {
      const [m, k, n] = [48, 300, 40]; // 576,000 multiply-adds, past the core's threshold
      const a = randomPair(rng, transposeA ? [k, m] : [m, k], 'float32', 1);
      const b = randomPair(rng, transposeB ? [n, k] : [k, n], 'float32', 1);
      const dy = randomPair(rng, [m, n], 'float32', 1);
      const ours = km.valueAndGrads((x, y) => km.matMul(x, y, transposeA, transposeB))([a.km, b.km], dy.km);
      const theirs = tf.valueAndGrads((x, y) => tf.matMul(x, y, transposeA, transposeB))([a.tf, b.tf], dy.tf);
      for (const [mine, reference] of [[ours.value, theirs.value], [ours.grads[0], theirs.grads[0]], [ours.grads[1], theirs.grads[1]]] as const) {
        expect([...mine.shape]).toEqual(reference.shape);
        const [u, v] = [mine.dataSync(), reference.dataSync()];
        // Float32 sums of 300 or more terms: each entry within 1e-5 of the largest entry's size.
        const scale = Math.max(...Array.from(v, Math.abs));
        let worst = 0;
        u.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - v[i]) / scale)));
        expect(worst).toBeLessThan(1e-5);
      }
    }
  });

  it('is a tensor method too, and refuses shapes that do not multiply, naming them', () => {
    const a = km.tensor([[1, 2], [3, 4]]);
    expect(a.matMul(km.tensor([[1], [1]])).arraySync()).toEqual([[3], [7]]);
    expect(() => km.matMul(a, km.tensor([[1, 2, 3]]))).toThrow("km.matMul(): a's columns must equal b's rows (after transposeA=false, transposeB=false), but they are 2 and 1. Received: a.shape=[2, 2], b.shape=[1, 3].");
    expect(() => km.matMul(km.tensor([1, 2]), a)).toThrow('km.matMul() multiplies matrices (rank 2) or stacks of them with the same leading axes. Received: a.shape=[2], b.shape=[2, 2].');
    expect(() => km.matMul(km.tensor([[1, 2]], [1, 2], 'int32'), a)).toThrow("km.matMul() multiplies float32 tensors. Cast an int32 one first: km.cast(x, 'float32'). Received: a.dtype='int32', b.dtype='float32'.");
  });
});
