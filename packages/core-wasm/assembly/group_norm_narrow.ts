// Group normalization of one sample when groups are narrower than a vector (1, 2 or 4 channels,
// with channels a multiple of 4), as in U-Nets (64 channels in 32 groups) and instance
// normalization. The general path would run these scalar; here each 4-channel chunk holds whole
// groups, so one f32x4 accumulator per chunk sums every position, and a lane shuffle folds lanes
// of the same group together. Same maths and layout as group_norm.ts.
import { hsum, madd } from './simd';

// @ts-ignore: decorator
@inline
function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** Each lane replaced by the sum of the lanes of its group (cpg consecutive lanes). */
// @ts-ignore: decorator
@inline
function foldGroups(v: v128, cpg: i32): v128 {
  if (cpg == 1) return v;
  if (cpg == 2) return f32x4.add(v, v128.shuffle<f32>(v, v, 1, 0, 3, 2));
  return f32x4.splat(hsum(v));
}

/** Lane i of v, for a lane index known only at run time. */
function lane(v: v128, i: i32): f32 {
  if (i == 0) return f32x4.extract_lane(v, 0);
  if (i == 1) return f32x4.extract_lane(v, 1);
  if (i == 2) return f32x4.extract_lane(v, 2);
  return f32x4.extract_lane(v, 3);
}

/** The per-group values at p (one per group of the chunk) spread over the lanes of their channels. */
function spread(p: usize, cpg: i32): v128 {
  if (cpg == 1) return v128.load(p);
  if (cpg == 2) {
    const second = load<f32>(p, 4);
    return f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(load<f32>(p)), 2, second), 3, second);
  }
  return f32x4.splat(load<f32>(p));
}

/** groupNormForward for sample b; `stats` is the index of its first group in mean and invStd. */
export function groupNormForwardNarrow(x: usize, y: usize, gamma: usize, beta: usize, mean: usize, invStd: usize, base: i32, stats: i32, spatial: i32, channels: i32, cpg: i32, epsilon: f32): void {
  const n = f32x4.splat(<f32>(spatial * cpg));
  const eps = f32x4.splat(epsilon);
  const one = f32x4.splat(1);
  for (let c0 = 0; c0 < channels; c0 += 4) {
    const xs = at(x, base + c0);
    const ys = at(y, base + c0);
    let sum = f32x4.splat(0);
    for (let s = 0; s < spatial; s++) sum = f32x4.add(sum, v128.load(at(xs, s * channels)));
    const vmu = f32x4.div(foldGroups(sum, cpg), n);
    let squares = f32x4.splat(0);
    for (let s = 0; s < spatial; s++) {
      const d = f32x4.sub(v128.load(at(xs, s * channels)), vmu);
      squares = madd(d, d, squares);
    }
    const vs = f32x4.div(one, f32x4.sqrt(f32x4.add(f32x4.div(foldGroups(squares, cpg), n), eps)));
    const g0 = stats + c0 / cpg;
    for (let j = 0; j < 4 / cpg; j++) {
      store<f32>(at(mean, g0 + j), lane(vmu, j * cpg));
      store<f32>(at(invStd, g0 + j), lane(vs, j * cpg));
    }
    const scale = gamma ? f32x4.mul(vs, v128.load(at(gamma, c0))) : vs;
    const shift = beta ? v128.load(at(beta, c0)) : f32x4.splat(0);
    for (let s = 0; s < spatial; s++) {
      v128.store(at(ys, s * channels), madd(f32x4.sub(v128.load(at(xs, s * channels)), vmu), scale, shift));
    }
  }
}

/** groupNormBackward for sample b; dGamma and dBeta accumulate (the caller zeroes them once). */
export function groupNormBackwardNarrow(x: usize, dy: usize, dx: usize, gamma: usize, mean: usize, invStd: usize, dGamma: usize, dBeta: usize, base: i32, stats: i32, spatial: i32, channels: i32, cpg: i32): void {
  const n = f32x4.splat(<f32>(spatial * cpg));
  for (let c0 = 0; c0 < channels; c0 += 4) {
    const xs = at(x, base + c0);
    const dys = at(dy, base + c0);
    const g0 = stats + c0 / cpg;
    const vmu = spread(at(mean, g0), cpg);
    const vs = spread(at(invStd, g0), cpg);
    const vg = gamma ? v128.load(at(gamma, c0)) : f32x4.splat(1);
    let sumG = f32x4.splat(0);
    let sumGXhat = f32x4.splat(0);
    let sumDyXhat = f32x4.splat(0);
    let sumDy = f32x4.splat(0);
    for (let s = 0; s < spatial; s++) {
      const xhat = f32x4.mul(f32x4.sub(v128.load(at(xs, s * channels)), vmu), vs);
      const d = v128.load(at(dys, s * channels));
      sumDy = f32x4.add(sumDy, d);
      sumDyXhat = madd(d, xhat, sumDyXhat);
      const gv = f32x4.mul(d, vg);
      sumG = f32x4.add(sumG, gv);
      sumGXhat = madd(gv, xhat, sumGXhat);
    }
    if (dGamma) v128.store(at(dGamma, c0), f32x4.add(v128.load(at(dGamma, c0)), sumDyXhat));
    if (dBeta) v128.store(at(dBeta, c0), f32x4.add(v128.load(at(dBeta, c0)), sumDy));
    if (!dx) continue;
    const dxs = at(dx, base + c0);
    const k = f32x4.div(vs, n);
    const vG = foldGroups(sumG, cpg);
    const vGX = foldGroups(sumGXhat, cpg);
    for (let s = 0; s < spatial; s++) {
      const xhat = f32x4.mul(f32x4.sub(v128.load(at(xs, s * channels)), vmu), vs);
      const gv = f32x4.mul(v128.load(at(dys, s * channels)), vg);
      v128.store(at(dxs, s * channels), f32x4.mul(k, f32x4.sub(f32x4.sub(f32x4.mul(n, gv), vG), f32x4.mul(xhat, vGX))));
    }
  }
}
