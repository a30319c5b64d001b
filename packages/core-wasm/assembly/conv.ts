// Convolution as GEMM: im2col lays out every receptive field of an NHWC batch as one row, so a
// Conv2D forward pass is one packed GEMM against the [kh·kw·inC, outC] kernel (Keras' layout
// flattened), and col2im scatters the column gradients back to the input gradient.
//
// Geometry arguments, in this order everywhere: n, h, w, c (input), kh, kw, sh, sw (strides),
// dh, dw (dilations), padTop, padLeft, oh, ow (output). Positions outside the input read as 0.

// memory.copy and memory.fill call into the runtime, which costs more than these short runs.

/** dst[i] = src[i] for i < n. */
// @ts-ignore: decorator
@inline
function copyFloats(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** dst[i] = 0 for i < n. */
// @ts-ignore: decorator
@inline
function zeroFloats(dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), f32x4.splat(0));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

/** dst[i] += src[i] for i < n. */
// @ts-ignore: decorator
@inline
function addRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    v128.store(dst + off, f32x4.add(v128.load(dst + off), v128.load(src + off)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(dst + off, load<f32>(dst + off) + load<f32>(src + off));
  }
}

/**
 * cols[(b·oh + oy)·ow + ox, (ky·kw + kx)·c + ch] = x[b, oy·sh − padTop + ky·dh, ox·sw − padLeft + kx·dw, ch].
 */
export function im2col(
  x: usize, cols: usize, n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const runBytes = <usize>c << 2;
  let out = cols;
  for (let b = 0; b < n; b++) {
    const image = x + <usize>(b * h * w) * runBytes;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const ix0 = ox * sw - padLeft;
        // With dilation 1 and the whole window row inside, its kw taps are one contiguous run.
        const rowContiguous = dw == 1 && ix0 >= 0 && ix0 + kw <= w;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - padTop + ky * dh;
          const rowInside = iy >= 0 && iy < h;
          if (rowInside && rowContiguous) {
            copyFloats(out, image + <usize>(iy * w + ix0) * runBytes, kw * c);
            out += <usize>kw * runBytes;
            continue;
          }
          for (let kx = 0; kx < kw; kx++) {
            const ix = ix0 + kx * dw;
            if (rowInside && ix >= 0 && ix < w) copyFloats(out, image + <usize>(iy * w + ix) * runBytes, c);
            else zeroFloats(out, c);
            out += runBytes;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: dx = Σ over every row of cols that read a position, overwriting dx. */
export function col2im(
  cols: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const runBytes = <usize>c << 2;
  memory.fill(dx, 0, <usize>(n * h * w) * runBytes);
  let src = cols;
  for (let b = 0; b < n; b++) {
    const image = dx + <usize>(b * h * w) * runBytes;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - padTop + ky * dh;
          const rowInside = iy >= 0 && iy < h;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw - padLeft + kx * dw;
            if (rowInside && ix >= 0 && ix < w) addRun(image + <usize>(iy * w + ix) * runBytes, src, c);
            src += runBytes;
          }
        }
      }
    }
  }
}
