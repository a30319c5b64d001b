import { expect } from 'vitest';
import * as km from '../index.js';
import { REF_ELEMENTWISE } from './reference.js';
import { finiteDifferences } from './reference_ops.js';

// Float64 references for LoRA-adapted Dense and Embedding layers (Keras 3's lora_rank): the layer
// computes with W + s·A·B, s = loraAlpha / loraRank.

/** The layer's weights by their short names (kernel, bias, lora_kernel_a, ...), as float64 arrays. */
export async function weightsOf(layer: km.layers.Layer): Promise<Record<string, number[]>> {
  const values = await Promise.all(layer.getWeights().map(async (t) => Array.from(await t.data())));
  return Object.fromEntries(layer.weights.map((w, i) => [w.name.slice(layer.name.length + 1), values[i]]));
}

/** Gives the layer's weights the values `named` holds (by short name); the others keep theirs. Reads without blocking: tfjs-webgpu refuses synchronous reads. */
export async function setNamed(layer: km.layers.Layer, named: Record<string, number[]>): Promise<void> {
  const current = await weightsOf(layer);
  layer.setWeights(layer.weights.map((w) => {
    const short = w.name.slice(layer.name.length + 1);
    return km.tensor(named[short] ?? current[short], w.shape);
  }));
}

/** W + s·A·B, row-major [rows, cols], in float64. */
export function effective(w: readonly number[], a: readonly number[], b: readonly number[], rows: number, cols: number, rank: number, s: number): number[] {
  return w.map((v, k) => {
    const [i, j] = [Math.floor(k / cols), k % cols];
    let sum = 0;
    for (let r = 0; r < rank; r++) sum += a[i * rank + r] * b[r * cols + j];
    return v + s * sum;
  });
}

/** A Dense with LoRA in float64: f(x·(W + s·A·B) + b) over rows of `k` inputs. */
export function denseReference(x: readonly number[], p: Record<string, number[]>, k: number, units: number, rank: number, s: number, activation: keyof typeof REF_ELEMENTWISE): number[] {
  const w = effective(p.kernel, p.lora_kernel_a, p.lora_kernel_b, k, units, rank, s);
  const out: number[] = [];
  for (let r = 0; r < x.length / k; r++) {
    for (let j = 0; j < units; j++) {
      let z = p.bias ? p.bias[j] : 0;
      for (let q = 0; q < k; q++) z += x[r * k + q] * w[q * units + j];
      out.push(REF_ELEMENTWISE[activation](z));
    }
  }
  return out;
}

export const mse = (p: readonly number[], y: readonly number[]) => p.reduce((sum, v, i) => sum + (v - y[i]) ** 2, 0) / p.length;

/** An Embedding with LoRA, flattened into a Dense, in float64: the model the Embedding tests use. */
export function embeddingModelReference(ids: readonly number[], e: Record<string, number[]>, d: Record<string, number[]>, outputDim: number, rank: number, s: number, units: number, length: number): number[] {
  const table = effective(e.embeddings, e.lora_embeddings_a, e.lora_embeddings_b, e.embeddings.length / outputDim, outputDim, rank, s);
  const rows = ids.map((id) => table.slice(id * outputDim, (id + 1) * outputDim));
  const flat: number[] = [];
  for (let b = 0; b < ids.length / length; b++) flat.push(...rows.slice(b * length, (b + 1) * length).flat());
  return denseReference(flat, { ...d, lora_kernel_a: new Array(length * outputDim).fill(0), lora_kernel_b: new Array(units).fill(0) }, length * outputDim, units, 1, 0, 'linear');
}


/**
 * Asserts that `layer`, adapted with LoRA and fitted with plain SGD of learning rate `lr` from the
 * weights `p` (by short name), followed the float64 trajectory of its `trained` weights under
 * central differences of `lossOf` (the loss of the layer's weights by short name): the losses fit
 * reported, the weights after, the frozen matrix `frozen` bit-identical, and the loss going down.
 */
export async function expectLoraSgdTrajectory(
  layer: km.layers.Layer, losses: readonly number[], p: Record<string, number[]>, trained: readonly string[], lossOf: (weights: Record<string, number[]>) => number, lr: number, frozen = 'kernel',
): Promise<void> {
  const params = trained.map((n) => [...p[n]]);
  const current = () => lossOf({ ...p, ...Object.fromEntries(trained.map((n, i) => [n, params[i]])) });
  const expected: number[] = [];
  for (let step = 0; step < losses.length; step++) {
    expected.push(current());
    const grads = finiteDifferences(params, current);
    params.forEach((w, i) => w.forEach((v, j) => (w[j] = v - lr * grads[i][j])));
  }
  losses.forEach((l, i) => expect(Math.abs(l - expected[i]), `loss ${i}`).toBeLessThan(1e-5 * Math.max(1, expected[i])));
  const after = await weightsOf(layer);
  trained.forEach((n, i) => params[i].forEach((v, j) => expect(Math.abs(after[n][j] - v), `${n}[${j}]`).toBeLessThan(1e-5)));
  expect(after[frozen]).toEqual(p[frozen]);
  expect(expected[expected.length - 1]).toBeLessThan(expected[0]);
}
