// Losses whose per-sample term couples a row's elements (a max or a norm over the last axis), so
// they cannot run on the per-element kernel. Returns Σ_rows loss in f64; writes dLoss/dp·gradScale
// when dp ≠ 0.

import { rowWeight } from './weights';

export const enum RowLossKind {
  CategoricalHinge = 0,
  CosineSimilarity = 1,
}

// Keras' l2_normalize floor on Σx².
const NORM_EPS: f64 = 1e-12;

function categoricalHingeRow(p: usize, t: usize, dp: usize, cols: i32, gradScale: f64): f64 {
  let pos: f64 = 0;
  let neg: f64 = -Infinity;
  let argNeg = 0;
  for (let j = 0; j < cols; j++) {
    const off = <usize>j << 2;
    const y = <f64>load<f32>(p + off);
    const tj = <f64>load<f32>(t + off);
    pos += tj * y;
    const candidate = (1 - tj) * y;
    if (candidate > neg) {
      neg = candidate;
      argNeg = j;
    }
  }
  const loss = max(neg - pos + 1, 0);
  if (dp != 0) {
    for (let j = 0; j < cols; j++) {
      const off = <usize>j << 2;
      const tj = <f64>load<f32>(t + off);
      const grad = loss > 0 ? -tj + (j == argNeg ? 1 - tj : 0) : 0;
      store<f32>(dp + off, <f32>(grad * gradScale));
    }
  }
  return loss;
}

function cosineSimilarityRow(p: usize, t: usize, dp: usize, cols: i32, gradScale: f64): f64 {
  let pp: f64 = 0;
  let tt: f64 = 0;
  let pt: f64 = 0;
  for (let j = 0; j < cols; j++) {
    const off = <usize>j << 2;
    const y = <f64>load<f32>(p + off);
    const tj = <f64>load<f32>(t + off);
    pp += y * y;
    tt += tj * tj;
    pt += y * tj;
  }
  const pClamped = pp <= NORM_EPS;
  const pNorm = Math.sqrt(pClamped ? NORM_EPS : pp);
  const tNorm = Math.sqrt(max(tt, NORM_EPS));
  const cosine = pt / (pNorm * tNorm);
  if (dp != 0) {
    for (let j = 0; j < cols; j++) {
      const off = <usize>j << 2;
      const y = <f64>load<f32>(p + off);
      const a = <f64>load<f32>(t + off) / tNorm;
      // d(−cos)/dp_j; the norm's floor is a constant, so below it only the numerator varies.
      const grad = pClamped ? -a / pNorm : -(a / pNorm - (cosine * y) / (pNorm * pNorm));
      store<f32>(dp + off, <f32>(grad * gradScale));
    }
  }
  return -cosine;
}

export function rowwiseLoss(kind: i32, p: usize, targets: usize, dp: usize, rows: i32, cols: i32, gradScale: f32, weights: usize): f64 {
  let total: f64 = 0;
  const stride = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * stride;
    const rowGrad = dp != 0 ? dp + off : 0;
    const w = rowWeight(weights, r);
    switch (kind) {
      case RowLossKind.CategoricalHinge:
        total += w * categoricalHingeRow(p + off, targets + off, rowGrad, cols, <f64>gradScale * w);
        break;
      case RowLossKind.CosineSimilarity:
        total += w * cosineSimilarityRow(p + off, targets + off, rowGrad, cols, <f64>gradScale * w);
        break;
      default:
        unreachable();
    }
  }
  return total;
}
