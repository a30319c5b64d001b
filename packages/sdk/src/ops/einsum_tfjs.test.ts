// einsum against a naive float64 loop and tfjs-core 4.22 (CPU backend): float32 values within
// float32 rounding (kerasm contracts with km.matMul, tfjs multiplies then sums axis by axis), int32
// ones to the bit, gradients (tfjs has none) against float64 central differences, and each
// equation tfjs refuses.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmIndex from '../index.js';
import { tensor, type Tensor } from '../tensor.js';
import { naiveEinsum } from '../testing/einsum_reference.js';
import { expectSameAsTfjs, pairOf, randomPair, type Pair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Equations tfjs 4.22 computes right, and (TFJS_DROPS) ones where it leaves out an operand without summed letters.
const EQUATIONS = ['ij,jk->ik', 'bij,bjk->bik', 'ij,jk->ki', 'ba,ca->bc', 'bqd,bkd->bqk', 'abc,cd->abd', 'ijk,kj->i', 'ij,ij->ij', 'ij,ij->', 'i,i->', 'i,j->ij', 'ij->ji', 'ij->i', 'ij->', 'iJ->Ji', 'abc->cab', ',->', '->', 'i->'];
const TFJS_DROPS = ['ij,i->i', 'ij,k->ik', 'abc,b->ab', 'i,ij->i'];

/** The equation's operands ('' for a scalar) and result, and a random size for each letter (odd sizes and 1s included). */
function operandsOf(rng: Random, equation: string, dtype: 'float32' | 'int32'): { terms: string[]; output: string; pairs: Pair[] } {
  const [lhs, output] = equation.split('->');
  const terms = lhs.split(',');
  const sizes = new Map<string, number>();
  for (const letter of lhs.replace(',', '')) if (!sizes.has(letter)) sizes.set(letter, 1 + Math.floor(rng.next() * 5));
  return { terms, output, pairs: terms.map((term) => randomPair(rng, [...term].map((l) => sizes.get(l)!), dtype, 3)) };
}

/** The naive loop on float64 values; a single operand is paired with the scalar 1. */
function naive(terms: string[], output: string, values: ArrayLike<number>[], shapes: number[][]): number[] {
  const [k, kShape, kTerm] = terms.length === 2 ? [values[1], shapes[1], terms[1]] : [[1], [], ''];
  return naiveEinsum(`${terms[0]},${kTerm}->${output}`, values[0], shapes[0], k, kShape).values;
}

/** Within float32 rounding of the float64 sums: |ours - exact| ≤ 2⁻²⁰·Σ|terms|. */
function expectNearExact(ours: Tensor, terms: string[], output: string, pairs: Pair[], what: string): void {
  const shapes = pairs.map((p) => [...p.km.shape]);
  const exact = naive(terms, output, pairs.map((p) => p.km.dataSync()), shapes);
  const scale = naive(terms, output, pairs.map((p) => p.km.dataSync().map(Math.abs)), shapes);
  const got = Array.from(ours.dataSync());
  const worst = exact.findIndex((e, i) => !(Math.abs(got[i] - e) <= 2 ** -20 * scale[i] + 1e-30));
  expect(worst < 0 ? 'close' : `${got[worst]} against ${exact[worst]} at ${worst}`, what).toBe('close');
}

describe('einsum matches tfjs-core 4.22', () => {
  it('float32: shapes and dtypes as tfjs, values within float32 rounding of float64 sums and of tfjs', () => {
    const rng = new Random(801);
    for (const equation of EQUATIONS) {
      for (let trial = 0; trial < 6; trial++) {
        const { terms, output, pairs } = operandsOf(rng, equation, 'float32');
        const what = `${equation} on ${pairs.map((p) => `[${p.km.shape.join(', ')}]`).join(', ')}`;
        const ours = km.einsum(equation, ...pairs.map((p) => p.km));
        const theirs = tf.einsum(equation, ...pairs.map((p) => p.tf));
        expect({ what, shape: [...ours.shape], dtype: ours.dtype }).toEqual({ what, shape: theirs.shape, dtype: theirs.dtype });
        expectNearExact(ours, terms, output, pairs, what);
        const t = pairOf(Float32Array.from(theirs.dataSync()), theirs.shape);
        expectNearExact(t.km, terms, output, pairs, `${what} (tfjs)`);
      }
    }
  });

  it('int32 operands give int32 to the bit, as tfjs; int32 with float32 gives float32', () => {
    const rng = new Random(802);
    for (const equation of EQUATIONS) {
      const { pairs } = operandsOf(rng, equation, 'int32');
      expectSameAsTfjs(km.einsum(equation, ...pairs.map((p) => p.km)), tf.einsum(equation, ...pairs.map((p) => p.tf)), `int32 ${equation}`);
    }
    const a = randomPair(rng, [2, 3], 'int32');
    const b = randomPair(rng, [3, 2], 'float32');
    const mixed = km.einsum('ij,jk->ik', a.km, b.km);
    expect([mixed.dtype, tf.einsum('ij,jk->ik', a.tf, b.tf).dtype]).toEqual(['float32', 'float32']);
    expectNearExact(mixed, ['ij', 'jk'], 'ik', [a, b], 'int32 by float32');
    const [e, f] = [pairOf(new Float32Array(0), [2, 0]), pairOf(new Float32Array(0), [0, 3])];
    expectSameAsTfjs(km.einsum('ij,jk->ik', e.km, f.km), tf.einsum('ij,jk->ik', e.tf, f.tf), 'an empty summed axis gives 0s');
  });

  it('multiplies in an operand without summed letters, which tfjs 4.22 leaves out: float64 loop', () => {
    const rng = new Random(803);
    for (const equation of TFJS_DROPS) {
      for (let trial = 0; trial < 6; trial++) {
        const { terms, output, pairs } = operandsOf(rng, equation, 'float32');
        expectNearExact(km.einsum(equation, ...pairs.map((p) => p.km)), terms, output, pairs, equation);
      }
    }
    const x = pairOf(Float32Array.of(1, 2, 3, 4), [2, 2]);
    const w = pairOf(Float32Array.of(10, 100), [2]);
    expect(Array.from(tf.einsum('ij,i->i', x.tf, w.tf).dataSync())).toEqual([3, 7]); // tfjs: the row sums, w dropped
  });

  it('gradients of every operand equal float64 central differences (tfjs has no einsum gradient)', () => {
    const rng = new Random(804);
    for (const equation of [...EQUATIONS, ...TFJS_DROPS]) {
      const { terms, output, pairs } = operandsOf(rng, equation, 'float32');
      const shapes = pairs.map((p) => [...p.km.shape]);
      const values = pairs.map((p) => Array.from(p.km.dataSync()));
      const dy = randomPair(rng, [...km.einsum(equation, ...pairs.map((p) => p.km)).shape], 'float32', 2);
      const loss = (vs: number[][]) => naive(terms, output, vs, shapes).reduce((s, y, i) => s + y * dy.km.dataSync()[i], 0);
      const grads = km.grads((...xs: Tensor<'float32'>[]) => km.einsum(equation, ...xs))(pairs.map((p) => p.km as Tensor<'float32'>), dy.km);
      grads.forEach((g, o) => {
        // einsum is linear in each operand, so a step of 1 is exact in float64.
        const expected = values[o].map((_, i) => {
          const [up, down] = [values.map((v) => [...v]), values.map((v) => [...v])];
          up[o][i] += 1;
          down[o][i] -= 1;
          return (loss(up) - loss(down)) / 2;
        });
        const got = Array.from(g.dataSync());
        const worst = expected.findIndex((e, i) => !(Math.abs(got[i] - e) <= 1e-5 * Math.max(1, Math.abs(e))));
        expect(worst < 0 ? 'close' : `${got[worst]} against ${expected[worst]} at ${worst}`, `${equation}: gradient ${o}`).toBe('close');
      });
    }
  });

  it('refuses what tfjs refuses, and mismatched operands, saying what to write instead', () => {
    const m = tensor([[1, 2], [3, 4]]);
    const v = tensor([1, 2]);
    expect(() => km.einsum('ij,jk', m, m)).toThrow(`km.einsum(): the equation needs exactly one '->' followed by the result's letters, as in tfjs ('ij,jk->ik'; implicit results are not taken). Received: equation="ij,jk".`);
    expect(() => km.einsum('ij->i->j', m)).toThrow(/exactly one '->'/);
    expect(() => km.einsum('...ij,...jk->...ik', m, m)).toThrow(`km.einsum(): '...' (broadcast axes) is not supported, as in tfjs. Name every axis with a letter ('bij,bjk->bik'). Received: equation="...ij,...jk->...ik".`);
    expect(() => km.einsum('i,i,i->', v, v, v)).toThrow(/km\.einsum\(\) takes one or two operands, as tfjs does\. Contract them in steps: .* with 3 operands\./);
    expect(() => km.einsum('ij,jk->ik', m)).toThrow('km.einsum(): the equation "ij,jk->ik" names 2 operand(s), but 1 tensor(s) were passed. Pass one tensor per comma-separated term.');
    expect(() => km.einsum('ii->i', m)).toThrow(/letter 'i' appears twice in the term 'ii' of "ii->i"; .*km\.sum\(km\.mul\(x, km\.eye\(n\)\)\)/);
    expect(() => km.einsum('ij->ii', m)).toThrow(/letter 'i' appears twice in the term 'ii'/);
    expect(() => km.einsum('ij->k', m)).toThrow(`km.einsum(): the result's letter 'k' names no operand's axis in "ij->k"; each result letter must appear before '->'.`);
    expect(() => km.einsum('i1->i', m)).toThrow(/axes are named by letters a-z and A-Z, but the equation holds '1'/);
    expect(() => km.einsum('ijk->i', m)).toThrow("km.einsum(): operand 0 is named 'ijk' (3 axes) in 'ijk->i', but tensors[0] has rank 2. Received: tensors[0].shape=[2, 2].");
    expect(() => km.einsum('ij,jk->ik', m, tensor([[1, 2, 3]]))).toThrow("km.einsum(): letter 'j' names axes of different sizes, 2 and 1 (axis 0 of tensors[1]), in 'ij,jk->ik'. Received: shapes [2, 2], [1, 3].");
    expect(kmIndex.einsum).toBe(km.einsum);
  });
});
