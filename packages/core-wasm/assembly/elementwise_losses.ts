// Losses that are a sum of independent per-element terms, one kernel with a kind switch (the
// loop, clipping and gradient scaling are shared; each kind is a line or two of its formula).
// Returns Σ loss(p, t) in f64; writes dLoss/dp · gradScale when dp ≠ 0. `param` is Huber's delta
// or the label smoothing of binary cross-entropy from logits.

import { elementWeight } from './weights';

const EPS: f64 = 1e-7;

export const enum LossKind {
  MeanAbsoluteError = 0,
  MeanAbsolutePercentageError = 1,
  MeanSquaredLogarithmicError = 2,
  Huber = 3,
  LogCosh = 4,
  Poisson = 5,
  KullbackLeiblerDivergence = 6,
  Hinge = 7,
  SquaredHinge = 8,
  BinaryCrossentropyFromLogits = 9,
}

// @ts-ignore: decorator
@inline
function sign(x: f64): f64 {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

// Keras' convert_binary_labels_to_hinge: {0, 1} labels become {−1, 1}, but only when every label
// of the batch is 0 or 1; any other mix (e.g. −1, 0 and 1) is taken as it is.
function hingeLabelsBinary(targets: usize, n: i32): bool {
  for (let i = 0; i < n; i++) {
    const t = load<f32>(targets + (<usize>i << 2));
    if (t != 0 && t != 1) return false;
  }
  return true;
}

export function elementwiseLoss(kind: i32, p: usize, targets: usize, dp: usize, n: i32, gradScale: f32, param: f32, weights: usize, repeat: i32): f64 {
  let total: f64 = 0;
  const prm = <f64>param;
  const binaryHinge = (kind == LossKind.Hinge || kind == LossKind.SquaredHinge) && hingeLabelsBinary(targets, n);
  for (let i = 0; i < n; i++) {
    const w = elementWeight(weights, i, repeat);
    const off = <usize>i << 2;
    const y = <f64>load<f32>(p + off);
    let t = <f64>load<f32>(targets + off);
    let loss: f64 = 0;
    let grad: f64 = 0;
    switch (kind) {
      case LossKind.MeanAbsoluteError: {
        loss = Math.abs(y - t);
        grad = sign(y - t);
        break;
      }
      case LossKind.MeanAbsolutePercentageError: {
        const scale = 100 / max(Math.abs(t), EPS);
        loss = Math.abs(y - t) * scale;
        grad = sign(y - t) * scale;
        break;
      }
      case LossKind.MeanSquaredLogarithmicError: {
        const d = Math.log(max(y, EPS) + 1) - Math.log(max(t, EPS) + 1);
        loss = d * d;
        grad = y > EPS ? (2 * d) / (y + 1) : 0;
        break;
      }
      case LossKind.Huber: {
        const d = y - t;
        const a = Math.abs(d);
        loss = a <= prm ? 0.5 * d * d : prm * a - 0.5 * prm * prm;
        grad = a <= prm ? d : prm * sign(d);
        break;
      }
      case LossKind.LogCosh: {
        // log(cosh x) = x + softplus(−2x) − log 2, stable for large |x|.
        const x = y - t;
        const z = -2 * x;
        loss = x + (max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))) - Math.LN2;
        grad = Math.tanh(x);
        break;
      }
      case LossKind.Poisson: {
        loss = y - t * Math.log(y + EPS);
        grad = 1 - t / (y + EPS);
        break;
      }
      case LossKind.KullbackLeiblerDivergence: {
        const tc = min(max(t, EPS), 1);
        const pc = min(max(y, EPS), 1);
        loss = tc * Math.log(tc / pc);
        grad = y > EPS && y < 1 ? -tc / pc : 0;
        break;
      }
      case LossKind.Hinge:
      case LossKind.SquaredHinge: {
        if (binaryHinge) t = 2 * t - 1;
        const margin = max(1 - t * y, 0);
        loss = kind == LossKind.Hinge ? margin : margin * margin;
        grad = margin > 0 ? (kind == LossKind.Hinge ? -t : -2 * t * margin) : 0;
        break;
      }
      case LossKind.BinaryCrossentropyFromLogits: {
        t = t * (1 - prm) + 0.5 * prm;
        // max(x, 0) − x·t + log(1 + e^−|x|): the logits form that never overflows.
        loss = max(y, 0) - y * t + Math.log1p(Math.exp(-Math.abs(y)));
        grad = 1 / (1 + Math.exp(-y)) - t;
        break;
      }
      default:
        unreachable();
    }
    total += w * loss;
    if (dp != 0) store<f32>(dp + off, <f32>(grad * w) * gradScale);
  }
  return total;
}
