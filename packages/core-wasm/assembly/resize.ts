// Image resizing over NHWC batches, as TensorFlow's resize ops with half-pixel centres (what
// tf.image.resize, and so Keras' Resizing, uses): output pixel i samples the source at
// (i + 0.5)·scale − 0.5 (bilinear) or floor((i + 0.5)·scale) (nearest), scale = crop / out.
// Every sample reads a crop window [top, top + cropH) × [left, left + cropW) of its image, so
// Keras' crop_to_aspect_ratio needs no copy. SIMD across channels; coordinates in f64, as tfjs.

/** The source coordinate (inside the crop) that output index i samples. */
@inline function bilinearTap(i: i32, scale: f64): f64 {
  return (<f64>i + 0.5) * scale - 0.5;
}

@inline function nearestTap(i: i32, scale: f64, size: i32): i32 {
  return max(0, min(<i32>Math.floor((<f64>i + 0.5) * scale), size - 1));
}

/** y[b, i, j, :] = bilinear interpolation of the crop window of x[b] at output pixel (i, j). */
export function resizeBilinear(
  x: usize, y: usize, n: i32, h: i32, w: i32, c: i32,
  top: i32, left: i32, cropH: i32, cropW: i32, oh: i32, ow: i32,
): void {
  const scaleH = <f64>cropH / <f64>oh, scaleW = <f64>cropW / <f64>ow;
  let out = y;
  for (let b = 0; b < n; b++) {
    const image = x + (<usize>(b * h * w * c) << 2);
    for (let i = 0; i < oh; i++) {
      const sy = bilinearTap(i, scaleH);
      const fy0 = Math.floor(sy);
      const y0 = max(<i32>fy0, 0) + top, y1 = min(<i32>Math.ceil(sy), cropH - 1) + top;
      const fy = <f32>(sy - fy0);
      const row0 = image + (<usize>(y0 * w * c) << 2), row1 = image + (<usize>(y1 * w * c) << 2);
      for (let j = 0; j < ow; j++) {
        const sx = bilinearTap(j, scaleW);
        const fx0 = Math.floor(sx);
        const x0 = (max(<i32>fx0, 0) + left) * c, x1 = (min(<i32>Math.ceil(sx), cropW - 1) + left) * c;
        const fx = <f32>(sx - fx0);
        const vfx = f32x4.splat(fx), vfy = f32x4.splat(fy);
        let ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          const tl = v128.load(row0 + (<usize>(x0 + ch) << 2)), tr = v128.load(row0 + (<usize>(x1 + ch) << 2));
          const bl = v128.load(row1 + (<usize>(x0 + ch) << 2)), br = v128.load(row1 + (<usize>(x1 + ch) << 2));
          const t = f32x4.add(tl, f32x4.mul(f32x4.sub(tr, tl), vfx));
          const u = f32x4.add(bl, f32x4.mul(f32x4.sub(br, bl), vfx));
          v128.store(out + (<usize>ch << 2), f32x4.add(t, f32x4.mul(f32x4.sub(u, t), vfy)));
        }
        for (; ch < c; ch++) {
          const tl = load<f32>(row0 + (<usize>(x0 + ch) << 2)), tr = load<f32>(row0 + (<usize>(x1 + ch) << 2));
          const bl = load<f32>(row1 + (<usize>(x0 + ch) << 2)), br = load<f32>(row1 + (<usize>(x1 + ch) << 2));
          const t = tl + (tr - tl) * fx;
          const u = bl + (br - bl) * fx;
          store<f32>(out + (<usize>ch << 2), t + (u - t) * fy);
        }
        out += <usize>c << 2;
      }
    }
  }
}

/** dx of resizeBilinear: each output gradient spread over its four taps by their weights; overwrites dx. */
export function resizeBilinearBackward(
  dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32,
  top: i32, left: i32, cropH: i32, cropW: i32, oh: i32, ow: i32,
): void {
  memory.fill(dx, 0, <usize>(n * h * w * c) << 2);
  const scaleH = <f64>cropH / <f64>oh, scaleW = <f64>cropW / <f64>ow;
  let g = dy;
  for (let b = 0; b < n; b++) {
    const image = dx + (<usize>(b * h * w * c) << 2);
    for (let i = 0; i < oh; i++) {
      const sy = bilinearTap(i, scaleH);
      const fy0 = Math.floor(sy);
      const y0 = max(<i32>fy0, 0) + top, y1 = min(<i32>Math.ceil(sy), cropH - 1) + top;
      const fy = <f32>(sy - fy0);
      const row0 = image + (<usize>(y0 * w * c) << 2), row1 = image + (<usize>(y1 * w * c) << 2);
      for (let j = 0; j < ow; j++) {
        const sx = bilinearTap(j, scaleW);
        const fx0 = Math.floor(sx);
        const x0 = (max(<i32>fx0, 0) + left) * c, x1 = (min(<i32>Math.ceil(sx), cropW - 1) + left) * c;
        const fx = <f32>(sx - fx0);
        // Taps may coincide at the edges, so each weight is added in its own pass.
        const gy = <f32>1 - fy, gx = <f32>1 - fx;
        const wtl = gy * gx, wtr = gy * fx, wbl = fy * gx, wbr = fy * fx;
        for (let ch = 0; ch < c; ch++) {
          const d = load<f32>(g + (<usize>ch << 2));
          const ptl = row0 + (<usize>(x0 + ch) << 2), ptr = row0 + (<usize>(x1 + ch) << 2);
          const pbl = row1 + (<usize>(x0 + ch) << 2), pbr = row1 + (<usize>(x1 + ch) << 2);
          store<f32>(ptl, load<f32>(ptl) + d * wtl);
          store<f32>(ptr, load<f32>(ptr) + d * wtr);
          store<f32>(pbl, load<f32>(pbl) + d * wbl);
          store<f32>(pbr, load<f32>(pbr) + d * wbr);
        }
        g += <usize>c << 2;
      }
    }
  }
}

/** y[b, i, j, :] = the nearest source pixel of the crop window of x[b]. */
export function resizeNearest(
  x: usize, y: usize, n: i32, h: i32, w: i32, c: i32,
  top: i32, left: i32, cropH: i32, cropW: i32, oh: i32, ow: i32,
): void {
  const scaleH = <f64>cropH / <f64>oh, scaleW = <f64>cropW / <f64>ow;
  const pixel = <usize>c << 2;
  let out = y;
  for (let b = 0; b < n; b++) {
    const image = x + (<usize>(b * h * w * c) << 2);
    for (let i = 0; i < oh; i++) {
      const row = image + (<usize>((nearestTap(i, scaleH, cropH) + top) * w * c) << 2);
      for (let j = 0; j < ow; j++) {
        memory.copy(out, row + <usize>(nearestTap(j, scaleW, cropW) + left) * pixel, pixel);
        out += pixel;
      }
    }
  }
}

/** dx of resizeNearest: each output gradient added into the pixel it copied; overwrites dx. */
export function resizeNearestBackward(
  dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32,
  top: i32, left: i32, cropH: i32, cropW: i32, oh: i32, ow: i32,
): void {
  memory.fill(dx, 0, <usize>(n * h * w * c) << 2);
  const scaleH = <f64>cropH / <f64>oh, scaleW = <f64>cropW / <f64>ow;
  let g = dy;
  for (let b = 0; b < n; b++) {
    const image = dx + (<usize>(b * h * w * c) << 2);
    for (let i = 0; i < oh; i++) {
      const row = image + (<usize>((nearestTap(i, scaleH, cropH) + top) * w * c) << 2);
      for (let j = 0; j < ow; j++) {
        const p = row + (<usize>((nearestTap(j, scaleW, cropW) + left) * c) << 2);
        let ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          const at = <usize>ch << 2;
          v128.store(p + at, f32x4.add(v128.load(p + at), v128.load(g + at)));
        }
        for (; ch < c; ch++) store<f32>(p + (<usize>ch << 2), load<f32>(p + (<usize>ch << 2)) + load<f32>(g + (<usize>ch << 2)));
        g += <usize>c << 2;
      }
    }
  }
}

/**
 * Flips images of an NHWC batch: sample b is mirrored left-right when bit 0 of flags[b] is set and
 * top-bottom when bit 1 is (flags are floats, as the layer writes them). The flip is its own
 * inverse, so the same call is its backward pass. y must not alias x.
 */
export function flipImages(x: usize, y: usize, flags: usize, n: i32, h: i32, w: i32, c: i32): void {
  const pixel = <usize>c << 2;
  for (let b = 0; b < n; b++) {
    const f = <i32>load<f32>(flags + (<usize>b << 2));
    const image = x + (<usize>(b * h * w * c) << 2);
    let out = y + (<usize>(b * h * w * c) << 2);
    for (let i = 0; i < h; i++) {
      const row = image + (<usize>((f & 2 ? h - 1 - i : i) * w * c) << 2);
      if (!(f & 1)) {
        memory.copy(out, row, <usize>w * pixel);
        out += <usize>w * pixel;
        continue;
      }
      for (let j = w - 1; j >= 0; j--) {
        memory.copy(out, row + <usize>j * pixel, pixel);
        out += pixel;
      }
    }
  }
}
