// Group normalization of channels-last samples [batch, spatial, channels]: the channels split into
// `groups` runs of cpg = channels/groups, and each (sample, group) pair is normalised over its
// spatial × cpg values, which lie in memory as `spatial` short rows of cpg floats, `channels` apart.
// gamma and beta hold one value per channel and may be 0, as may dx, dGamma and dBeta. Sums run in
// f32x4 lanes across a row's channels; the variance is taken about the mean (two passes).
import { hsum, madd } from './simd';
import { groupNormBackwardNarrow, groupNormForwardNarrow } from './group_norm_narrow';

// @ts-ignore: decorator
@inline
function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** Whether group_norm_narrow.ts's chunked path applies: whole groups in each 4-channel chunk. */
// @ts-ignore: decorator
@inline
function narrow(channels: i32, cpg: i32): bool {
  return (channels & 3) == 0 && (cpg == 1 || cpg == 2 || cpg == 4);
}

/** Σ over `rows` rows of cols floats, `stride` floats apart. */
function blockSum(p: usize, rows: i32, cols: i32, stride: i32): f32 {
  let acc = f32x4.splat(0);
  let tail: f32 = 0;
  for (let r = 0; r < rows; r++) {
    const row = at(p, r * stride);
    let c = 0;
    for (; c + 4 <= cols; c += 4) acc = f32x4.add(acc, v128.load(at(row, c)));
    for (; c < cols; c++) tail += load<f32>(at(row, c));
  }
  return hsum(acc) + tail;
}

/** Σ (v − mu)² over the same block as blockSum. */
function blockSquaredDeviations(p: usize, rows: i32, cols: i32, stride: i32, mu: f32): f32 {
  const m = f32x4.splat(mu);
  let acc = f32x4.splat(0);
  let tail: f32 = 0;
  for (let r = 0; r < rows; r++) {
    const row = at(p, r * stride);
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const d = f32x4.sub(v128.load(at(row, c)), m);
      acc = madd(d, d, acc);
    }
    for (; c < cols; c++) {
      const d = load<f32>(at(row, c)) - mu;
      tail += d * d;
    }
  }
  return hsum(acc) + tail;
}

/**
 * y = gamma[c]·(x − mean)·invStd + beta[c] with each (sample, group)'s mean and biased variance;
 * keeps mean and invStd = 1/√(var + ε) (`batch·groups` floats each, sample-major) for the backward.
 */
export function groupNormForward(x: usize, y: usize, gamma: usize, beta: usize, mean: usize, invStd: usize, batch: i32, spatial: i32, channels: i32, groups: i32, epsilon: f32): void {
  const cpg = channels / groups;
  const n = <f32>(spatial * cpg);
  for (let b = 0; b < batch; b++) {
    if (narrow(channels, cpg)) {
      groupNormForwardNarrow(x, y, gamma, beta, mean, invStd, b * spatial * channels, b * groups, spatial, channels, cpg, epsilon);
      continue;
    }
    for (let g = 0; g < groups; g++) {
      const offset = b * spatial * channels + g * cpg;
      const xs = at(x, offset);
      const ys = at(y, offset);
      const mu = blockSum(xs, spatial, cpg, channels) / n;
      const s = <f32>1 / Mathf.sqrt(blockSquaredDeviations(xs, spatial, cpg, channels, mu) / n + epsilon);
      store<f32>(at(mean, b * groups + g), mu);
      store<f32>(at(invStd, b * groups + g), s);
      const gs = gamma ? at(gamma, g * cpg) : 0;
      const bs = beta ? at(beta, g * cpg) : 0;
      const vmu = f32x4.splat(mu);
      const vs = f32x4.splat(s);
      for (let r = 0; r < spatial; r++) {
        const xr = at(xs, r * channels);
        const yr = at(ys, r * channels);
        let c = 0;
        for (; c + 4 <= cpg; c += 4) {
          let v = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), vmu), vs);
          if (gs) v = f32x4.mul(v, v128.load(at(gs, c)));
          if (bs) v = f32x4.add(v, v128.load(at(bs, c)));
          v128.store(at(yr, c), v);
        }
        for (; c < cpg; c++) {
          let v = (load<f32>(at(xr, c)) - mu) * s;
          if (gs) v *= load<f32>(at(gs, c));
          if (bs) v += load<f32>(at(bs, c));
          store<f32>(at(yr, c), v);
        }
      }
    }
  }
}

/**
 * Gradients of groupNormForward's y from the kept mean and invStd. With x̂ = (x − mean)·invStd,
 * g = dy·gamma and N = spatial·cpg values per group: dBeta[c] = Σ dy, dGamma[c] = Σ dy·x̂ over
 * samples and positions (overwritten), and per group dx = invStd/N · (N·g − Σg − x̂·Σ(g·x̂)).
 * dx may alias dy.
 */
export function groupNormBackward(x: usize, dy: usize, dx: usize, gamma: usize, mean: usize, invStd: usize, dGamma: usize, dBeta: usize, batch: i32, spatial: i32, channels: i32, groups: i32): void {
  const cpg = channels / groups;
  const n = <f32>(spatial * cpg);
  if (dGamma) memory.fill(dGamma, 0, <usize>channels << 2);
  if (dBeta) memory.fill(dBeta, 0, <usize>channels << 2);
  for (let b = 0; b < batch; b++) {
    if (narrow(channels, cpg)) {
      groupNormBackwardNarrow(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, b * spatial * channels, b * groups, spatial, channels, cpg);
      continue;
    }
    for (let g = 0; g < groups; g++) {
      const offset = b * spatial * channels + g * cpg;
      const xs = at(x, offset);
      const dys = at(dy, offset);
      const mu = load<f32>(at(mean, b * groups + g));
      const s = load<f32>(at(invStd, b * groups + g));
      const gs = gamma ? at(gamma, g * cpg) : 0;
      const dgs = dGamma ? at(dGamma, g * cpg) : 0;
      const dbs = dBeta ? at(dBeta, g * cpg) : 0;
      const vmu = f32x4.splat(mu);
      const vs = f32x4.splat(s);
      let sumG = f32x4.splat(0);
      let sumGXhat = f32x4.splat(0);
      let totalG: f32 = 0;
      let totalGXhat: f32 = 0;
      for (let r = 0; r < spatial; r++) {
        const xr = at(xs, r * channels);
        const dyr = at(dys, r * channels);
        let c = 0;
        for (; c + 4 <= cpg; c += 4) {
          const xhat = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), vmu), vs);
          const d = v128.load(at(dyr, c));
          if (dgs) v128.store(at(dgs, c), madd(d, xhat, v128.load(at(dgs, c))));
          if (dbs) v128.store(at(dbs, c), f32x4.add(d, v128.load(at(dbs, c))));
          const gv = gs ? f32x4.mul(d, v128.load(at(gs, c))) : d;
          sumG = f32x4.add(sumG, gv);
          sumGXhat = madd(gv, xhat, sumGXhat);
        }
        for (; c < cpg; c++) {
          const xhat = (load<f32>(at(xr, c)) - mu) * s;
          const d = load<f32>(at(dyr, c));
          if (dgs) store<f32>(at(dgs, c), load<f32>(at(dgs, c)) + d * xhat);
          if (dbs) store<f32>(at(dbs, c), load<f32>(at(dbs, c)) + d);
          const gv = gs ? d * load<f32>(at(gs, c)) : d;
          totalG += gv;
          totalGXhat += gv * xhat;
        }
      }
      if (!dx) continue;
      totalG += hsum(sumG);
      totalGXhat += hsum(sumGXhat);
      const dxs = at(dx, offset);
      const k = s / n;
      const vk = f32x4.splat(k);
      const vn = f32x4.splat(n);
      const vG = f32x4.splat(totalG);
      const vGX = f32x4.splat(totalGXhat);
      for (let r = 0; r < spatial; r++) {
        const xr = at(xs, r * channels);
        const dyr = at(dys, r * channels);
        const dxr = at(dxs, r * channels);
        let c = 0;
        for (; c + 4 <= cpg; c += 4) {
          const xhat = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), vmu), vs);
          const d = v128.load(at(dyr, c));
          const gv = gs ? f32x4.mul(d, v128.load(at(gs, c))) : d;
          v128.store(at(dxr, c), f32x4.mul(vk, f32x4.sub(f32x4.sub(f32x4.mul(vn, gv), vG), f32x4.mul(xhat, vGX))));
        }
        for (; c < cpg; c++) {
          const xhat = (load<f32>(at(xr, c)) - mu) * s;
          const d = load<f32>(at(dyr, c));
          const gv = gs ? d * load<f32>(at(gs, c)) : d;
          store<f32>(at(dxr, c), k * (n * gv - totalG - xhat * totalGXhat));
        }
      }
    }
  }
}
