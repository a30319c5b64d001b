import { describe, it } from 'vitest';
import type { Backend, GroupNormGeometry } from './backend.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, deviceIO, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';

// The kernels behind GroupNormalization and UnitNormalization on every backend that runs here (Node,
// or Chromium in browser mode), against naive float64 loops: group statistics, output and the
// gradients written element by element from the Jacobian ∂x̂ᵢ/∂xⱼ = s·(δᵢⱼ − 1/N − x̂ᵢx̂ⱼ/N) within
// each group; and unit normalization with Keras' 1e-12 clamp of the squared norm.
const random = new Random(93);
const EPS = 1e-3;

function groupNormReference(x: Float32Array, dy: Float32Array, gamma: Float32Array | null, beta: Float32Array | null, g: GroupNormGeometry) {
  const { batch, spatial, channels, groups } = g;
  const cpg = channels / groups;
  const n = spatial * cpg;
  const y = new Array<number>(x.length).fill(0);
  const dx = new Array<number>(x.length).fill(0);
  const mean: number[] = [], invStd: number[] = [];
  const dGamma = new Array<number>(channels).fill(0);
  const dBeta = new Array<number>(channels).fill(0);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < groups; k++) {
      const idx: number[] = [];
      for (let s = 0; s < spatial; s++) for (let c = k * cpg; c < (k + 1) * cpg; c++) idx.push((b * spatial + s) * channels + c);
      const m = idx.reduce((a, i) => a + x[i], 0) / n;
      const inv = 1 / Math.sqrt(idx.reduce((a, i) => a + (x[i] - m) ** 2, 0) / n + EPS);
      mean.push(m);
      invStd.push(inv);
      const xhat = idx.map((i) => (x[i] - m) * inv);
      const scaled = idx.map((i) => dy[i] * (gamma ? gamma[i % channels] : 1));
      idx.forEach((i, a) => {
        y[i] = xhat[a] * (gamma ? gamma[i % channels] : 1) + (beta ? beta[i % channels] : 0);
        dGamma[i % channels] += dy[i] * xhat[a];
        dBeta[i % channels] += dy[i];
        let sum = 0;
        for (let j = 0; j < n; j++) sum += scaled[j] * inv * ((j === a ? 1 : 0) - 1 / n - (xhat[j] * xhat[a]) / n);
        dx[i] = sum;
      });
    }
  }
  return { y, mean, invStd, dx, dGamma, dBeta };
}

describe.each(BACKENDS_HERE)('group and unit normalization kernels on backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);

  runsOn(name, (current) => (b = current));

  it.each([
    { batch: 2, spatial: 5, channels: 6, groups: 3, affine: true },
    { batch: 3, spatial: 4, channels: 8, groups: 1, affine: true },
    { batch: 2, spatial: 3, channels: 5, groups: 5, affine: false },
    { batch: 2, spatial: 1, channels: 12, groups: 2, affine: true },
  ])('group norm of $batch × $spatial × $channels in $groups groups (affine: $affine): statistics, output, dx, dGamma, dBeta', async ({ affine, ...g }) => {
    const n = g.batch * g.spatial * g.channels;
    const stats = g.batch * g.groups;
    const x = Float32Array.from({ length: n }, () => random.uniform(-3, 5));
    const dy = Float32Array.from({ length: n }, () => random.uniform(-1, 1));
    const gamma = affine ? Float32Array.from({ length: g.channels }, () => random.uniform(0.5, 2)) : null;
    const beta = affine ? Float32Array.from({ length: g.channels }, () => random.uniform(-1, 1)) : null;
    const ref = groupNormReference(x, dy, gamma, beta, g);
    const [xId, dyId, y, dx] = [upload(x), upload(dy), b.alloc(n, 'float32'), b.alloc(n, 'float32')];
    const [gammaId, betaId] = [gamma ? upload(gamma) : 0, beta ? upload(beta) : 0];
    const statsId = b.alloc(2 * stats, 'float32');
    const [mean, invStd] = [b.view(statsId, 0, stats), b.view(statsId, stats, stats)];
    const [dGamma, dBeta] = [b.alloc(g.channels, 'float32'), b.alloc(g.channels, 'float32')];
    b.groupNormForward(xId, y, gammaId, betaId, mean, invStd, g, EPS);
    expectClose(await download(y, n), ref.y, 1e-4);
    expectClose(await download(statsId, 2 * stats), [...ref.mean, ...ref.invStd], 1e-4);
    b.groupNormBackward(xId, dyId, dx, gammaId, mean, invStd, affine ? dGamma : 0, affine ? dBeta : 0, g);
    expectClose(await download(dx, n), ref.dx, 1e-4);
    if (affine) {
      expectClose(await download(dGamma, g.channels), ref.dGamma, 1e-4);
      expectClose(await download(dBeta, g.channels), ref.dBeta, 1e-4);
    }
    [xId, dyId, y, dx, statsId, dGamma, dBeta, ...(affine ? [gammaId, betaId] : [])].forEach((id) => b.free(id));
  });

  it('unit normalization as UnitNormalization calls it (squared norm clamped to 1e-12): a zero row stays zero, a tiny one scales by 1e6', async () => {
    const [rows, cols] = [4, 6];
    const x = Float32Array.from({ length: rows * cols }, () => random.uniform(-2, 2));
    x.fill(0, 0, cols);
    x.set([3e-7, 0, 4e-7, 0, 0, 0], cols);
    const expected: number[] = [];
    for (let r = 0; r < rows; r++) {
      const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
      const scale = 1 / Math.sqrt(Math.max(row.reduce((a, v) => a + v * v, 0), 1e-12));
      row.forEach((v) => expected.push(v * scale));
    }
    const [xId, y] = [upload(x), b.alloc(rows * cols, 'float32')];
    b.l2Normalize(xId, y, rows, cols, 1, 1e-12);
    expectClose(await download(y, rows * cols), expected, 1e-5);
    [xId, y].forEach((id) => b.free(id));
  });
});
