import { describe, it } from 'vitest';
import type { Backend } from './backend.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, deviceIO, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';

// The layer normalization kernels on every backend that runs here (Node, or Chromium in browser
// mode), against a naive float64 loop: each row's statistics, the output, and the gradients
// written element by element from the Jacobian ∂x̂ᵢ/∂xⱼ = s·(δᵢⱼ − 1/N − x̂ᵢx̂ⱼ/N).
const random = new Random(91);
const EPS = 1e-3;

function reference(x: Float32Array, dy: Float32Array, gamma: Float32Array | null, beta: Float32Array | null, rows: number, cols: number) {
  const y: number[] = [], mean: number[] = [], invStd: number[] = [], dx: number[] = [];
  const dGamma = new Array<number>(cols).fill(0);
  const dBeta = new Array<number>(cols).fill(0);
  for (let r = 0; r < rows; r++) {
    const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
    const m = row.reduce((a, b) => a + b, 0) / cols;
    const s = 1 / Math.sqrt(row.reduce((a, b) => a + (b - m) ** 2, 0) / cols + EPS);
    const xhat = row.map((v) => (v - m) * s);
    mean.push(m);
    invStd.push(s);
    xhat.forEach((v, c) => y.push(v * (gamma ? gamma[c] : 1) + (beta ? beta[c] : 0)));
    const g = xhat.map((_, c) => dy[r * cols + c] * (gamma ? gamma[c] : 1));
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let i = 0; i < cols; i++) sum += g[i] * s * ((i === j ? 1 : 0) - 1 / cols - (xhat[i] * xhat[j]) / cols);
      dx.push(sum);
      dGamma[j] += dy[r * cols + j] * xhat[j];
      dBeta[j] += dy[r * cols + j];
    }
  }
  return { y, mean, invStd, dx, dGamma, dBeta };
}

// RMS normalization from its Jacobian ∂x̂ᵢ/∂xⱼ = s·(δᵢⱼ − x̂ᵢx̂ⱼ/N), x̂ = x·s, s = 1/√(mean(x²) + ε).
function rmsReference(x: Float32Array, dy: Float32Array, scale: Float32Array | null, rows: number, cols: number, eps: number) {
  const y: number[] = [], invRms: number[] = [], dx: number[] = [];
  const dScale = new Array<number>(cols).fill(0);
  for (let r = 0; r < rows; r++) {
    const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
    const s = 1 / Math.sqrt(row.reduce((a, b) => a + b * b, 0) / cols + eps);
    const xhat = row.map((v) => v * s);
    invRms.push(s);
    xhat.forEach((v, c) => y.push(v * (scale ? scale[c] : 1)));
    const g = xhat.map((_, c) => dy[r * cols + c] * (scale ? scale[c] : 1));
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let i = 0; i < cols; i++) sum += g[i] * s * ((i === j ? 1 : 0) - (xhat[i] * xhat[j]) / cols);
      dx.push(sum);
      dScale[j] += dy[r * cols + j] * xhat[j];
    }
  }
  return { y, invRms, dx, dScale };
}

describe.each(BACKENDS_HERE)('layer normalization kernels on backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);

  runsOn(name, (current) => (b = current));

  it.each([
    { rows: 6, cols: 7, affine: true },
    { rows: 3, cols: 16, affine: true },
    { rows: 5, cols: 5, affine: false },
  ])('$rows rows of $cols (scale and offset: $affine): forward statistics and output, then dx, dGamma, dBeta', async ({ rows, cols, affine }) => {
    const n = rows * cols;
    const x = Float32Array.from({ length: n }, () => random.uniform(-3, 5));
    const dy = Float32Array.from({ length: n }, () => random.uniform(-1, 1));
    const gamma = affine ? Float32Array.from({ length: cols }, () => random.uniform(0.5, 2)) : null;
    const beta = affine ? Float32Array.from({ length: cols }, () => random.uniform(-1, 1)) : null;
    const ref = reference(x, dy, gamma, beta, rows, cols);
    const [xId, dyId, y, dx] = [upload(x), upload(dy), b.alloc(n, 'float32'), b.alloc(n, 'float32')];
    const [gammaId, betaId] = [gamma ? upload(gamma) : 0, beta ? upload(beta) : 0];
    const stats = b.alloc(2 * rows, 'float32');
    const [mean, invStd] = [b.view(stats, 0, rows), b.view(stats, rows, rows)];
    const [dGamma, dBeta] = [b.alloc(cols, 'float32'), b.alloc(cols, 'float32')];
    b.layerNormForward(xId, y, gammaId, betaId, mean, invStd, rows, cols, EPS);
    expectClose(await download(y, n), ref.y, 1e-4);
    expectClose(await download(stats, 2 * rows), [...ref.mean, ...ref.invStd], 1e-4);
    b.layerNormBackward(xId, dyId, dx, gammaId, mean, invStd, affine ? dGamma : 0, affine ? dBeta : 0, rows, cols);
    expectClose(await download(dx, n), ref.dx, 1e-4);
    if (affine) {
      expectClose(await download(dGamma, cols), ref.dGamma, 1e-4);
      expectClose(await download(dBeta, cols), ref.dBeta, 1e-4);
    }
    [xId, dyId, y, dx, stats, dGamma, dBeta, ...(affine ? [gammaId, betaId] : [])].forEach((id) => b.free(id));
  });

  it.each([
    { rows: 6, cols: 7, withScale: true },
    { rows: 3, cols: 16, withScale: true },
    { rows: 5, cols: 5, withScale: false },
  ])('RMS normalization, $rows rows of $cols (scale: $withScale): forward 1/rms and output, then dx and dScale', async ({ rows, cols, withScale }) => {
    const n = rows * cols;
    const eps = 1e-6;
    // Off-centre values, so a kernel that subtracted the mean would fail.
    const x = Float32Array.from({ length: n }, () => random.uniform(-1, 4));
    const dy = Float32Array.from({ length: n }, () => random.uniform(-1, 1));
    const scale = withScale ? Float32Array.from({ length: cols }, () => random.uniform(0.5, 2)) : null;
    const ref = rmsReference(x, dy, scale, rows, cols, eps);
    const [xId, dyId, y, dx, invRms, dScale] = [upload(x), upload(dy), b.alloc(n, 'float32'), b.alloc(n, 'float32'), b.alloc(rows, 'float32'), b.alloc(cols, 'float32')];
    const scaleId = scale ? upload(scale) : 0;
    b.rmsNormForward(xId, y, scaleId, invRms, rows, cols, eps);
    expectClose(await download(y, n), ref.y, 1e-4);
    expectClose(await download(invRms, rows), ref.invRms, 1e-4);
    b.rmsNormBackward(xId, dyId, dx, scaleId, invRms, withScale ? dScale : 0, rows, cols);
    expectClose(await download(dx, n), ref.dx, 1e-4);
    if (withScale) expectClose(await download(dScale, cols), ref.dScale, 1e-4);
    [xId, dyId, y, dx, invRms, dScale, ...(withScale ? [scaleId] : [])].forEach((id) => b.free(id));
  });
});
