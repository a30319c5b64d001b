// Image resizing over NHWC batches on the sampling grids of tf.image.resizeBilinear and
// resizeNearestNeighbor (alignCorners, halfPixelCenters, or neither), to the bit of tfjs' CPU
// kernels: source coordinates and blends in f64, in tfjs' order, each result rounded once to f32.
// Bilinear reads f32 or i32 images (i32 converted exactly); nearest copies 4-byte values' bits,
// so it serves both. SIMD over pairs of channels (f64x2).

/** What tfjs multiplies output indices by along one axis. */
@inline function gridScale(inSize: i32, outSize: i32, alignCorners: bool): f64 {
  const corners = alignCorners && outSize > 1;
  return <f64>(corners ? inSize - 1 : inSize) / <f64>(corners ? outSize - 1 : outSize);
}

/** The source coordinate bilinear output index i samples. */
@inline function bilinearSource(i: i32, scale: f64, halfPixel: bool): f64 {
  return halfPixel ? scale * (<f64>i + 0.5) - 0.5 : scale * <f64>i;
}

/** The source index nearest output index i copies: rounded half up with alignCorners, else floored. */
@inline function nearestSource(i: i32, scale: f64, inSize: i32, alignCorners: bool, halfPixel: bool): i32 {
  const s = halfPixel ? scale * (<f64>i + 0.5) : scale * <f64>i;
  const k = min(<f64>(inSize - 1), alignCorners ? Math.round(s) : Math.floor(s));
  return <i32>(halfPixel ? max(0.0, k) : k);
}

/** Two channels from p as f64x2. */
@inline function load2<T>(p: usize): v128 {
  const pair = v128.load64_zero(p);
  return isInteger<T>() ? f64x2.convert_low_i32x4_s(pair) : f64x2.promote_low_f32x4(pair);
}

/** Bytes of scratch resizeBilinearGrid needs: two rows of f64 horizontal blends and the column taps. */
export function resizeBilinearGridScratchBytes(ow: i32, c: i32): usize {
  return (<usize>(2 * ow * c) << 3) + (<usize>ow << 4);
}

/** Fills the column taps: per output column the byte offsets of its two source pixels (i32) and the upper one's weight (f64). */
function columnTaps(taps: usize, w: i32, c: i32, ow: i32, scale: f64, halfPixel: bool): void {
  for (let j = 0; j < ow; j++) {
    const sx = bilinearSource(j, scale, halfPixel);
    // As tfjs: the lower index floored and clamped at 0, its weight the distance from it (which a
    // negative half-pixel coordinate makes negative), the upper index ceiled and clamped.
    const lower = max(0.0, Math.floor(sx));
    const tap = taps + (<usize>j << 4);
    store<i32>(tap, (<i32>lower * c) << 2);
    store<i32>(tap, (min(w - 1, <i32>Math.ceil(sx)) * c) << 2, 4);
    store<f64>(tap, sx - lower, 8);
  }
}

/** The horizontal blends of one source row at every output column, tl + (tr − tl)·fx in f64, into `blended`. */
function blendRow<T>(row: usize, blended: usize, taps: usize, c: i32, ow: i32): void {
  let out = blended;
  for (let j = 0; j < ow; j++) {
    const tap = taps + (<usize>j << 4);
    const left = row + <usize>load<i32>(tap), right = row + <usize>load<i32>(tap, 4);
    const fx = load<f64>(tap, 8);
    const vfx = f64x2.splat(fx);
    let ch = 0;
    for (; ch + 2 <= c; ch += 2) {
      const at = <usize>ch << 2;
      const l = load2<T>(left + at), r = load2<T>(right + at);
      v128.store(out + (<usize>ch << 3), f64x2.add(l, f64x2.mul(f64x2.sub(r, l), vfx)));
    }
    if (ch < c) {
      const l = <f64>load<T>(left + (<usize>ch << 2)), r = <f64>load<T>(right + (<usize>ch << 2));
      store<f64>(out + (<usize>ch << 3), l + (r - l) * fx);
    }
    out += <usize>c << 3;
  }
}

/** y[k] = f32(top[k] + (bottom[k] − top[k])·fy) over `count` values. */
function blendRows(top: usize, bottom: usize, y: usize, count: i32, fy: f64): void {
  const vfy = f64x2.splat(fy);
  let k = 0;
  for (; k + 4 <= count; k += 4) {
    const at = <usize>k << 3;
    const t0 = v128.load(top + at), t1 = v128.load(top + at + 16);
    const u0 = v128.load(bottom + at), u1 = v128.load(bottom + at + 16);
    const y0 = f32x4.demote_f64x2_zero(f64x2.add(t0, f64x2.mul(f64x2.sub(u0, t0), vfy)));
    const y1 = f32x4.demote_f64x2_zero(f64x2.add(t1, f64x2.mul(f64x2.sub(u1, t1), vfy)));
    v128.store(y + (<usize>k << 2), v128.shuffle<i64>(y0, y1, 0, 2));
  }
  for (; k < count; k++) {
    const t = load<f64>(top + (<usize>k << 3)), u = load<f64>(bottom + (<usize>k << 3));
    store<f32>(y + (<usize>k << 2), <f32>(t + (u - t) * fy));
  }
}

// Each output row blends two source rows' horizontal blends, which the next output rows mostly
// share (the source rows only move forward), so two slots keep the last two.
function bilinearGrid<T>(x: usize, y: usize, scratch: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, alignCorners: bool, halfPixel: bool): void {
  const scaleH = gridScale(h, oh, alignCorners);
  const rowValues = ow * c;
  const slots = scratch, taps = scratch + (<usize>(2 * rowValues) << 3);
  columnTaps(taps, w, c, ow, gridScale(w, ow, alignCorners), halfPixel);
  let out = y;
  for (let b = 0; b < n; b++) {
    const image = x + (<usize>(b * h * w * c) << 2);
    let held0 = -1, held1 = -1;
    for (let i = 0; i < oh; i++) {
      const sy = bilinearSource(i, scaleH, halfPixel);
      const lower = max(0.0, Math.floor(sy));
      const r0 = <i32>lower, r1 = min(h - 1, <i32>Math.ceil(sy));
      // A needed row not held yet goes into the slot that does not hold the other needed row.
      if (r0 != held0 && r0 != held1) {
        if (held0 == r1) held1 = r0; else held0 = r0;
        blendRow<T>(image + (<usize>(r0 * w * c) << 2), slots + (held0 == r0 ? 0 : <usize>rowValues << 3), taps, c, ow);
      }
      if (r1 != held0 && r1 != held1) {
        if (held0 == r0) held1 = r1; else held0 = r1;
        blendRow<T>(image + (<usize>(r1 * w * c) << 2), slots + (held0 == r1 ? 0 : <usize>rowValues << 3), taps, c, ow);
      }
      const top = slots + (held0 == r0 ? 0 : <usize>rowValues << 3), bottom = slots + (held0 == r1 ? 0 : <usize>rowValues << 3);
      blendRows(top, bottom, out, rowValues, sy - lower);
      out += <usize>rowValues << 2;
    }
  }
}

/**
 * y[b, i, j, :] = tf.image.resizeBilinear(x, [oh, ow], alignCorners, halfPixelCenters)[b, i, j, :],
 * to the bit; x holds i32 values where int32Input is set. `scratch` holds
 * resizeBilinearGridScratchBytes(ow, c) bytes. y must not alias x.
 */
export function resizeBilinearGrid(x: usize, y: usize, scratch: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, alignCorners: i32, halfPixelCenters: i32, int32Input: i32): void {
  if (int32Input) bilinearGrid<i32>(x, y, scratch, n, h, w, c, oh, ow, alignCorners != 0, halfPixelCenters != 0);
  else bilinearGrid<f32>(x, y, scratch, n, h, w, c, oh, ow, alignCorners != 0, halfPixelCenters != 0);
}

/** y[b, i, j, :] = tf.image.resizeNearestNeighbor(x, [oh, ow], alignCorners, halfPixelCenters)[b, i, j, :], bits copied. */
export function resizeNearestGrid(x: usize, y: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, alignCorners: i32, halfPixelCenters: i32): void {
  const corners = alignCorners != 0, halfPixel = halfPixelCenters != 0;
  const scaleH = gridScale(h, oh, corners), scaleW = gridScale(w, ow, corners);
  const pixel = <usize>c << 2;
  let out = y;
  for (let b = 0; b < n; b++) {
    const image = x + (<usize>(b * h * w * c) << 2);
    for (let i = 0; i < oh; i++) {
      const row = image + <usize>nearestSource(i, scaleH, h, corners, halfPixel) * <usize>w * pixel;
      for (let j = 0; j < ow; j++) {
        const from = row + <usize>nearestSource(j, scaleW, w, corners, halfPixel) * pixel;
        // memory.copy of a few bytes costs more than the copy; whole vectors, then the rest.
        let at: usize = 0;
        for (; at + 16 <= pixel; at += 16) v128.store(out + at, v128.load(from + at));
        for (; at < pixel; at += 4) store<i32>(out + at, load<i32>(from + at));
        out += pixel;
      }
    }
  }
}

/** Bytes of scratch resizeNearestGridBackward needs: an f64 sum per input value. */
export function resizeNearestGridBackwardScratchBytes(n: i32, h: i32, w: i32, c: i32): usize {
  return <usize>(n * h * w * c) << 3;
}

/** p[0..2) = f32(p[0..2) + d·weight), each in f64 and rounded once, as a Float32Array's `+=`. */
@inline function addPair(p: usize, d: v128, weight: v128): void {
  const sum = f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(p)), f64x2.mul(d, weight));
  v128.store64_lane(p, f32x4.demote_f64x2_zero(sum), 0);
}

@inline function addOne(p: usize, d: f64, weight: f64): void {
  store<f32>(p, <f32>(<f64>load<f32>(p) + d * weight));
}

/**
 * dx of resizeBilinearGrid (overwritten): each output gradient added into its four taps by their
 * weights, in output order, each sum rounded to f32 as a Float32Array's `+=` (kerasm's host loop
 * to the bit). `scratch` holds resizeBilinearGridScratchBytes(ow, c) bytes.
 */
export function resizeBilinearGridBackward(dy: usize, dx: usize, scratch: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, alignCorners: i32, halfPixelCenters: i32): void {
  const corners = alignCorners != 0, halfPixel = halfPixelCenters != 0;
  memory.fill(dx, 0, <usize>(n * h * w * c) << 2);
  const scaleH = gridScale(h, oh, corners);
  const taps = scratch + (<usize>(2 * ow * c) << 3);
  columnTaps(taps, w, c, ow, gridScale(w, ow, corners), halfPixel);
  let g = dy;
  for (let b = 0; b < n; b++) {
    const image = dx + (<usize>(b * h * w * c) << 2);
    for (let i = 0; i < oh; i++) {
      const sy = bilinearSource(i, scaleH, halfPixel);
      const lower = max(0.0, Math.floor(sy));
      const row0 = image + (<usize>(<i32>lower * w * c) << 2);
      const row1 = image + (<usize>(min(h - 1, <i32>Math.ceil(sy)) * w * c) << 2);
      const down = sy - lower, up = 1.0 - down;
      for (let j = 0; j < ow; j++) {
        const tap = taps + (<usize>j << 4);
        const left = <usize>load<i32>(tap), right = <usize>load<i32>(tap, 4);
        const rightward = load<f64>(tap, 8), leftward = 1.0 - rightward;
        const wtl = up * leftward, wtr = up * rightward, wbl = down * leftward, wbr = down * rightward;
        const vtl = f64x2.splat(wtl), vtr = f64x2.splat(wtr), vbl = f64x2.splat(wbl), vbr = f64x2.splat(wbr);
        // Taps may coincide at the edges, so each is added in turn, as the host does.
        let ch = 0;
        for (; ch + 2 <= c; ch += 2) {
          const at = <usize>ch << 2;
          const d = f64x2.promote_low_f32x4(v128.load64_zero(g + at));
          addPair(row0 + left + at, d, vtl);
          addPair(row0 + right + at, d, vtr);
          addPair(row1 + left + at, d, vbl);
          addPair(row1 + right + at, d, vbr);
        }
        if (ch < c) {
          const at = <usize>ch << 2;
          const d = <f64>load<f32>(g + at);
          addOne(row0 + left + at, d, wtl);
          addOne(row0 + right + at, d, wtr);
          addOne(row1 + left + at, d, wbl);
          addOne(row1 + right + at, d, wbr);
        }
        g += <usize>c << 2;
      }
    }
  }
}

/**
 * dx of resizeNearestGrid (overwritten): each output gradient added into the value it copied, summed
 * in f64 in output order and rounded once. `scratch` holds resizeNearestGridBackwardScratchBytes bytes.
 */
export function resizeNearestGridBackward(dy: usize, dx: usize, scratch: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, alignCorners: i32, halfPixelCenters: i32): void {
  const corners = alignCorners != 0, halfPixel = halfPixelCenters != 0;
  const count = n * h * w * c;
  memory.fill(scratch, 0, <usize>count << 3);
  const scaleH = gridScale(h, oh, corners), scaleW = gridScale(w, ow, corners);
  let g = dy;
  for (let b = 0; b < n; b++) {
    const image = scratch + (<usize>(b * h * w * c) << 3);
    for (let i = 0; i < oh; i++) {
      const row = image + (<usize>(nearestSource(i, scaleH, h, corners, halfPixel) * w * c) << 3);
      for (let j = 0; j < ow; j++) {
        const p = row + (<usize>(nearestSource(j, scaleW, w, corners, halfPixel) * c) << 3);
        let ch = 0;
        for (; ch + 2 <= c; ch += 2) {
          const at = <usize>ch << 3;
          v128.store(p + at, f64x2.add(v128.load(p + at), f64x2.promote_low_f32x4(v128.load64_zero(g + (<usize>ch << 2)))));
        }
        if (ch < c) store<f64>(p + (<usize>ch << 3), load<f64>(p + (<usize>ch << 3)) + <f64>load<f32>(g + (<usize>ch << 2)));
        g += <usize>c << 2;
      }
    }
  }
  for (let k = 0; k < count; k++) store<f32>(dx + (<usize>k << 2), <f32>load<f64>(scratch + (<usize>k << 3)));
}
