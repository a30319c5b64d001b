import type { LayerActivation } from '../layers/activations.js';

/**
 * A naive float64 reference of the layers and losses, written independently of the kernels,
 * for gradient checks by finite differences.
 */
export type RefActivation = LayerActivation;
export type RefLoss = 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError';

export interface RefDense {
  kernel: number[][]; // [in][units]
  bias: number[];
  activation: RefActivation;
}

const EPS = 1e-7;

const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/**
 * erfc(z) in float64: 1 − the Taylor series of erf below |z| = 3 (it loses under 1e-9 there),
 * its continued fraction beyond, where erfc is too small for 1 − erf.
 */
export function refErfc(z: number): number {
  if (z < 0) return 2 - refErfc(-z);
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

const softplus = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

/** Each element-wise activation's definition, f(x). */
export const REF_ELEMENTWISE: Record<Exclude<RefActivation, 'softmax' | 'logSoftmax' | 'sparsemax'>, (v: number) => number> = {
  linear: (v) => v,
  relu: (v) => Math.max(0, v),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: Math.tanh,
  elu: (v) => (v > 0 ? v : Math.exp(v) - 1),
  selu: (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * (Math.exp(v) - 1)),
  softplus: (v) => Math.log(1 + Math.exp(v)),
  softsign: (v) => v / (1 + Math.abs(v)),
  relu6: (v) => Math.min(Math.max(v, 0), 6),
  exponential: Math.exp,
  hardSigmoid: (v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1),
  leaky_relu: (v) => (v > 0 ? v : 0.2 * v),
  hard_tanh: (v) => Math.min(Math.max(v, -1), 1),
  log_sigmoid: (v) => -softplus(-v),
  swish: (v) => v / (1 + Math.exp(-v)),
  gelu: (v) => 0.5 * v * refErfc(-v / Math.SQRT2),
  gelu_new: (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
  mish: (v) => v * Math.tanh(softplus(v)),
  hard_silu: (v) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6,
  squareplus: (v) => (v + Math.sqrt(v * v + 4)) / 2,
  soft_shrink: (v) => (v > 0.5 ? v - 0.5 : v < -0.5 ? v + 0.5 : 0),
  hard_shrink: (v) => (Math.abs(v) > 0.5 ? v : 0),
  tanh_shrink: (v) => v - Math.tanh(v),
  sparse_plus: (v) => (v <= -1 ? 0 : v >= 1 ? v : (v + 1) ** 2 / 4),
};

/** Sparsemax of one row by Martins & Astudillo's sort-based algorithm. */
export function refSparsemax(z: number[]): number[] {
  const sorted = [...z].sort((a, b) => b - a);
  let cumulative = 0, support = 0, supportSum = 0;
  sorted.forEach((v, j) => {
    cumulative += v;
    if (1 + (j + 1) * v > cumulative) {
      support = j + 1;
      supportSum = cumulative;
    }
  });
  const tau = (supportSum - 1) / support;
  return z.map((v) => Math.max(v - tau, 0));
}

/** f applied to one row (softmax, log-softmax and sparsemax over the whole row). */
export function refActivate(z: number[], kind: RefActivation): number[] {
  if (kind === 'sparsemax') return refSparsemax(z);
  if (kind !== 'softmax' && kind !== 'logSoftmax') return z.map(REF_ELEMENTWISE[kind]);
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return kind === 'softmax' ? e.map((v) => v / s) : z.map((v) => v - max - Math.log(s));
}

/** Forward pass of a stack of Dense layers for one sample. */
export function refForward(layers: RefDense[], x: number[]): number[] {
  let h = x;
  for (const l of layers) {
    const z = l.bias.map((b, j) => b + h.reduce((s, hi, i) => s + hi * l.kernel[i][j], 0));
    h = refActivate(z, l.activation);
  }
  return h;
}

const clip = (p: number) => Math.min(1 - EPS, Math.max(EPS, p));
// Keras clips binary cross-entropy's probabilities in float32: 1 − 1e-7 is 1 − 1.19e-7 there.
const clipBinary = (p: number) => Math.min(Math.fround(1 - EPS), Math.max(Math.fround(EPS), p));

/** Keras' per-sample loss. `target` is a row, or `[label]` for the sparse loss. */
export function refSampleLoss(loss: RefLoss, p: number[], target: number[]): number {
  switch (loss) {
    case 'categoricalCrossentropy':
      return -target.reduce((s, t, i) => s + t * Math.log(clip(p[i])), 0);
    case 'sparseCategoricalCrossentropy':
      return -Math.log(clip(p[target[0]]));
    case 'binaryCrossentropy':
      return -p.reduce((s, pi, i) => s + target[i] * Math.log(clipBinary(pi)) + (1 - target[i]) * Math.log(1 - clipBinary(pi)), 0) / p.length;
    case 'meanSquaredError':
      return p.reduce((s, pi, i) => s + (pi - target[i]) ** 2, 0) / p.length;
  }
}

/** Mean loss over a batch. */
export function refLoss(layers: RefDense[], loss: RefLoss, xs: number[][], ys: number[][]): number {
  return xs.reduce((s, x, i) => s + refSampleLoss(loss, refForward(layers, x), ys[i]), 0) / xs.length;
}

/** Central finite differences of the mean loss w.r.t. every kernel and bias entry. */
export function refGradients(layers: RefDense[], loss: RefLoss, xs: number[][], ys: number[][], h = 1e-6): { kernel: number[][]; bias: number[] }[] {
  const probe = (get: () => number, set: (v: number) => void): number => {
    const v = get();
    set(v + h);
    const up = refLoss(layers, loss, xs, ys);
    set(v - h);
    const down = refLoss(layers, loss, xs, ys);
    set(v);
    return (up - down) / (2 * h);
  };
  return layers.map((l) => ({
    kernel: l.kernel.map((row, i) => row.map((_, j) => probe(() => l.kernel[i][j], (v) => (l.kernel[i][j] = v)))),
    bias: l.bias.map((_, j) => probe(() => l.bias[j], (v) => (l.bias[j] = v))),
  }));
}
