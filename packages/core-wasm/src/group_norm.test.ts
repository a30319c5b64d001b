import { describe, expect, it } from 'vitest';
import { coreFor, expectClose, finiteDifferences, FLAVORS, get, put, randomArray } from './test_support.js';

// Naive float64 group normalization of [batch, spatial, channels], written from the definition: each
// sample's channel c belongs to group ⌊c / (channels/groups)⌋, statistics over positions × group channels.
function forwardReference(x: ArrayLike<number>, batch: number, spatial: number, channels: number, groups: number, gamma: ArrayLike<number> | null, beta: ArrayLike<number> | null, eps: number) {
  const cpg = channels / groups;
  const y = new Array<number>(batch * spatial * channels).fill(0);
  const mean: number[] = [];
  const invStd: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let g = 0; g < groups; g++) {
      const indices: number[] = [];
      for (let s = 0; s < spatial; s++) for (let c = g * cpg; c < (g + 1) * cpg; c++) indices.push((b * spatial + s) * channels + c);
      const m = indices.reduce((acc, i) => acc + x[i], 0) / indices.length;
      const v = indices.reduce((acc, i) => acc + (x[i] - m) ** 2, 0) / indices.length;
      const inv = 1 / Math.sqrt(v + eps);
      mean.push(m);
      invStd.push(inv);
      for (const i of indices) {
        const c = i % channels;
        y[i] = (x[i] - m) * inv * (gamma ? gamma[c] : 1) + (beta ? beta[c] : 0);
      }
    }
  }
  return { y, mean, invStd };
}

const EPS = 1e-3;

describe.each(FLAVORS)('group normalization (%s)', (flavor) => {
  // Channels per group of 1 (instance norm), 3, 4, 5 and 9 over channel counts that are not multiples of 4
  // exercise the general path's scalar loop, its SIMD body and both.
  it.each([
    [2, 1, 6, 6], [3, 5, 6, 2], [2, 7, 8, 2], [2, 9, 15, 3], [1, 13, 18, 2], [2, 4, 10, 1], [3, 49, 32, 8], [2, 3, 7, 7],
    // Whole groups in each 4-channel chunk (1, 2 or 4 channels per group): the narrow path.
    [2, 5, 8, 8], [2, 6, 12, 6], [3, 9, 16, 4], [2, 1, 4, 1], [2, 33, 64, 32],
  ])('forward of batch %i, %i positions, %i channels in %i groups: output, means and inverse std', async (batch, spatial, channels, groups) => {
    const core = await coreFor(flavor);
    const n = batch * spatial * channels;
    const stats = batch * groups;
    const x = randomArray(n, 31 + channels, -2, 3);
    const gamma = randomArray(channels, 32, 0.5, 2);
    const beta = randomArray(channels, 33);
    const [px, py, pg, pb, pmean, pinv] = [x, new Float32Array(n), gamma, beta, new Float32Array(stats), new Float32Array(stats)].map((a) => put(core, a));
    core.groupNormForward(px, py, pg, pb, pmean, pinv, batch, spatial, channels, groups, EPS);
    const ref = forwardReference(x, batch, spatial, channels, groups, gamma, beta, EPS);
    expectClose(get(core, py, n), ref.y, 1e-4, 1e-5);
    expectClose(get(core, pmean, stats), ref.mean, 1e-5, 1e-6);
    expectClose(get(core, pinv, stats), ref.invStd, 1e-4);
    core.groupNormForward(px, py, 0, 0, pmean, pinv, batch, spatial, channels, groups, EPS);
    expectClose(get(core, py, n), forwardReference(x, batch, spatial, channels, groups, null, null, EPS).y, 1e-4, 1e-5);
    [px, py, pg, pb, pmean, pinv].forEach((p) => core.free(p));
  });

  it('one group over one position equals layer normalization of the row', async () => {
    const core = await coreFor(flavor);
    const [rows, cols] = [3, 11];
    const x = randomArray(rows * cols, 41, -1, 2);
    const [px, pa, pb, pm, pi] = [x, new Float32Array(rows * cols), new Float32Array(rows * cols), new Float32Array(rows), new Float32Array(rows)].map((a) => put(core, a));
    core.groupNormForward(px, pa, 0, 0, pm, pi, rows, 1, cols, 1, EPS);
    core.layerNormForward(px, pb, 0, 0, pm, pi, rows, cols, EPS);
    expectClose(get(core, pa, rows * cols), Array.from(get(core, pb, rows * cols)), 1e-6, 1e-6);
    [px, pa, pb, pm, pi].forEach((p) => core.free(p));
  });

  it.each([[2, 3, 6, 3], [2, 2, 8, 2], [1, 3, 10, 1], [2, 2, 5, 5], [2, 2, 9, 1], [2, 3, 8, 4], [2, 2, 4, 4], [2, 3, 8, 8], [2, 2, 8, 1]])('backward of batch %i, %i positions, %i channels in %i groups against float64 finite differences', async (batch, spatial, channels, groups) => {
    const core = await coreFor(flavor);
    const n = batch * spatial * channels;
    const stats = batch * groups;
    const x = randomArray(n, 51 + channels, -1, 2);
    const gamma = randomArray(channels, 52, 0.5, 2);
    const beta = randomArray(channels, 53);
    const w = randomArray(n, 54);
    const loss = (xs: ArrayLike<number>, g: ArrayLike<number> | null, b: ArrayLike<number> | null) =>
      forwardReference(xs, batch, spatial, channels, groups, g, b, EPS).y.reduce((s, v, i) => s + w[i] * v, 0);
    const [px, py, pg, pb, pmean, pinv, pw, pdx, pdg, pdb] = [x, new Float32Array(n), gamma, beta, new Float32Array(stats), new Float32Array(stats), w, new Float32Array(n), new Float32Array(channels).fill(9), new Float32Array(channels).fill(9)].map((a) => put(core, a));
    core.groupNormForward(px, py, pg, pb, pmean, pinv, batch, spatial, channels, groups, EPS);
    core.groupNormBackward(px, pw, pdx, pg, pmean, pinv, pdg, pdb, batch, spatial, channels, groups);
    expectClose(get(core, pdx, n), finiteDifferences(x, (v) => loss(v, gamma, beta)), 2e-3, 2e-4);
    expectClose(get(core, pdg, channels), finiteDifferences(gamma, (g) => loss(x, g, beta)), 1e-3, 1e-4);
    expectClose(get(core, pdb, channels), finiteDifferences(beta, (b) => loss(x, gamma, b)), 1e-3, 1e-4);

    core.groupNormForward(px, py, 0, 0, pmean, pinv, batch, spatial, channels, groups, EPS);
    core.groupNormBackward(px, pw, pdx, 0, pmean, pinv, 0, 0, batch, spatial, channels, groups);
    expectClose(get(core, pdx, n), finiteDifferences(x, (v) => loss(v, null, null)), 2e-3, 2e-4);

    // dx may overwrite dy in place.
    const expected = get(core, pdx, n);
    core.groupNormBackward(px, pw, pw, 0, pmean, pinv, 0, 0, batch, spatial, channels, groups);
    expectClose(get(core, pw, n), Array.from(expected), 1e-6, 1e-7);
    expect(expected.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    [px, py, pg, pb, pmean, pinv, pw, pdx, pdg, pdb].forEach((p) => core.free(p));
  });
});
