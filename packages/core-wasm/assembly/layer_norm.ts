// Layer and RMS normalization over the rows of a [rows, cols] matrix: a row is one sample's (or one
// position's) normalised axes, which are the trailing ones and so contiguous. Each row gets its own
// mean and variance; gamma and beta hold one value per column and may be 0 (no scale, no offset),
// as may dx, dGamma and dBeta when that gradient is not wanted. Rows are short (features), so sums
// stay in f32x4 lanes; the variance is taken about the mean (two passes) to avoid cancellation.
// RMS normalization is the same pass about 0 instead of the mean (`centered` false), so one body
// serves both and the mean term of the gradient drops out.
import { hsum, madd } from './simd';

// @ts-ignore: decorator
@inline
function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** Σ row[c] over cols floats. */
function rowSum(row: usize, cols: i32): f32 {
  let acc = f32x4.splat(0);
  let c = 0;
  for (; c + 4 <= cols; c += 4) acc = f32x4.add(acc, v128.load(at(row, c)));
  let sum = hsum(acc);
  for (; c < cols; c++) sum += load<f32>(at(row, c));
  return sum;
}

/** Σ (row[c] − mu)² over cols floats. */
function rowSquaredDeviations(row: usize, cols: i32, mu: f32): f32 {
  const m = f32x4.splat(mu);
  let acc = f32x4.splat(0);
  let c = 0;
  for (; c + 4 <= cols; c += 4) {
    const d = f32x4.sub(v128.load(at(row, c)), m);
    acc = madd(d, d, acc);
  }
  let sum = hsum(acc);
  for (; c < cols; c++) {
    const d = load<f32>(at(row, c)) - mu;
    sum += d * d;
  }
  return sum;
}

/**
 * y = gamma·(x − mean)·invStd + beta per row, with the row's mean and biased variance (mean 0 when
 * not `centered`: the mean square); keeps mean (when not 0) and invStd = 1/√(var + ε), `rows` floats each.
 */
function normalizeRows(x: usize, y: usize, gamma: usize, beta: usize, mean: usize, invStd: usize, rows: i32, cols: i32, epsilon: f32, centered: bool): void {
  const n = <f32>cols;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = y + <usize>r * rowBytes;
    const mu: f32 = centered ? rowSum(xr, cols) / n : 0;
    const s = <f32>1 / Mathf.sqrt(rowSquaredDeviations(xr, cols, mu) / n + epsilon);
    if (mean) store<f32>(at(mean, r), mu);
    store<f32>(at(invStd, r), s);
    const vmu = f32x4.splat(mu);
    const vs = f32x4.splat(s);
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      let v = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), vmu), vs);
      if (gamma) v = f32x4.mul(v, v128.load(at(gamma, c)));
      if (beta) v = f32x4.add(v, v128.load(at(beta, c)));
      v128.store(at(yr, c), v);
    }
    for (; c < cols; c++) {
      let v = (load<f32>(at(xr, c)) - mu) * s;
      if (gamma) v *= load<f32>(at(gamma, c));
      if (beta) v += load<f32>(at(beta, c));
      store<f32>(at(yr, c), v);
    }
  }
}

/**
 * y = gamma·(x − mean)·invStd + beta per row, with the row's mean and biased variance; keeps
 * mean and invStd = 1/√(var + ε) (`rows` floats each) for layerNormBackward.
 */
export function layerNormForward(x: usize, y: usize, gamma: usize, beta: usize, mean: usize, invStd: usize, rows: i32, cols: i32, epsilon: f32): void {
  normalizeRows(x, y, gamma, beta, mean, invStd, rows, cols, epsilon, true);
}

/**
 * RMS normalization, y = x·invRms·scale per row with invRms = 1/√(mean(x²) + ε), kept (`rows`
 * floats) for rmsNormBackward. scale may be 0 (none).
 */
export function rmsNormForward(x: usize, y: usize, scale: usize, invRms: usize, rows: i32, cols: i32, epsilon: f32): void {
  normalizeRows(x, y, scale, 0, 0, invRms, rows, cols, epsilon, false);
}

/**
 * Gradients of normalizeRows' y from the kept mean and invStd. With x̂ = (x − mean)·invStd and
 * g = dy·gamma: dBeta = Σ_rows dy, dGamma = Σ_rows dy·x̂ (overwritten), and per row
 * dx = invStd/N · (N·g − Σg − x̂·Σ(g·x̂)), without the Σg term when not `centered` (the mean is the
 * constant 0 there). dx may alias dy.
 */
function normalizeRowsBackward(x: usize, dy: usize, dx: usize, gamma: usize, mean: usize, invStd: usize, dGamma: usize, dBeta: usize, rows: i32, cols: i32, centered: bool): void {
  const n = <f32>cols;
  const rowBytes = <usize>cols << 2;
  const zero = f32x4.splat(0);
  if (dGamma) memory.fill(dGamma, 0, rowBytes);
  if (dBeta) memory.fill(dBeta, 0, rowBytes);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const dyr = dy + <usize>r * rowBytes;
    const mu: f32 = centered ? load<f32>(at(mean, r)) : 0;
    const s = load<f32>(at(invStd, r));
    const vmu = f32x4.splat(mu);
    const vs = f32x4.splat(s);
    let sumG = zero;
    let sumGXhat = zero;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const xhat = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), vmu), vs);
      const d = v128.load(at(dyr, c));
      if (dGamma) v128.store(at(dGamma, c), madd(d, xhat, v128.load(at(dGamma, c))));
      if (dBeta) v128.store(at(dBeta, c), f32x4.add(d, v128.load(at(dBeta, c))));
      const g = gamma ? f32x4.mul(d, v128.load(at(gamma, c))) : d;
      sumG = f32x4.add(sumG, g);
      sumGXhat = madd(g, xhat, sumGXhat);
    }
    let totalG = hsum(sumG);
    let totalGXhat = hsum(sumGXhat);
    for (let t = c; t < cols; t++) {
      const xhat = (load<f32>(at(xr, t)) - mu) * s;
      const d = load<f32>(at(dyr, t));
      if (dGamma) store<f32>(at(dGamma, t), load<f32>(at(dGamma, t)) + d * xhat);
      if (dBeta) store<f32>(at(dBeta, t), load<f32>(at(dBeta, t)) + d);
      const g = gamma ? d * load<f32>(at(gamma, t)) : d;
      totalG += g;
      totalGXhat += g * xhat;
    }
    if (!dx) continue;
    if (!centered) totalG = 0;
    const dxr = dx + <usize>r * rowBytes;
    const k = s / n;
    const vk = f32x4.splat(k);
    const vn = f32x4.splat(n);
    const vG = f32x4.splat(totalG);
    const vGX = f32x4.splat(totalGXhat);
    c = 0;
    for (; c + 4 <= cols; c += 4) {
      const xhat = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), vmu), vs);
      const d = v128.load(at(dyr, c));
      const g = gamma ? f32x4.mul(d, v128.load(at(gamma, c))) : d;
      v128.store(at(dxr, c), f32x4.mul(vk, f32x4.sub(f32x4.sub(f32x4.mul(vn, g), vG), f32x4.mul(xhat, vGX))));
    }
    for (; c < cols; c++) {
      const xhat = (load<f32>(at(xr, c)) - mu) * s;
      const d = load<f32>(at(dyr, c));
      const g = gamma ? d * load<f32>(at(gamma, c)) : d;
      store<f32>(at(dxr, c), k * (n * g - totalG - xhat * totalGXhat));
    }
  }
}

/** Gradients of layerNormForward's y from the kept mean and invStd (see normalizeRowsBackward). */
export function layerNormBackward(x: usize, dy: usize, dx: usize, gamma: usize, mean: usize, invStd: usize, dGamma: usize, dBeta: usize, rows: i32, cols: i32): void {
  normalizeRowsBackward(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, rows, cols, true);
}

/** Gradients of rmsNormForward's y from the kept invRms: dScale = Σ_rows dy·x·invRms (overwritten), and dx. dx may alias dy. */
export function rmsNormBackward(x: usize, dy: usize, dx: usize, scale: usize, invRms: usize, dScale: usize, rows: i32, cols: i32): void {
  normalizeRowsBackward(x, dy, dx, scale, 0, invRms, dScale, 0, rows, cols, false);
}
