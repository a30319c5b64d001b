// Convolution as GEMM: im2col lays out every receptive field of an NDHWC batch as one row, so a
// Conv2D/Conv3D forward pass is one packed GEMM against the [kd·kh·kw·inC, outC] kernel (Keras'
// layout flattened), and col2im scatters the column gradients back to the input gradient.
//
// Geometry arguments, in this order everywhere: n, h, w, c (input), kh, kw, sh, sw (strides),
// dh, dw (dilations), padTop, padLeft, oh, ow (output), then the depth axis of volumes: d, kd, sd,
// dd, padFront, od (all 1 and padFront 0 for images), then groups (im2col/col2im: 1 unless the
// convolution is grouped). Positions outside the input read as 0.

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
 * cols[((b·od + oz)·oh + oy)·ow + ox, ((g·kd + kz)·kh + ky)·kw + kx)·cg + ch]
 *   = x[b, oz·sd − padFront + kz·dd, oy·sh − padTop + ky·dh, ox·sw − padLeft + kx·dw, g·cg + ch],
 * with cg = c / groups: each row holds its window group by group, so a grouped convolution's group
 * g reads one contiguous block of columns (one strided GEMM operand). With groups = 1 the layout is
 * the plain ((kz·kh + ky)·kw + kx)·c + ch.
 */
export function im2col(
  x: usize, cols: usize, n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  d: i32, kd: i32, sd: i32, dd: i32, padFront: i32, od: i32, groups: i32,
): void {
  if (groups == 1) {
    im2colRuns<Plain>(x, cols, 0, n, h, w, c, c, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow, d, kd, sd, dd, padFront, od);
    return;
  }
  const cg = c / groups;
  const groupFloats = kd * kh * kw * cg;
  for (let g = 0; g < groups; g++) {
    im2colRuns<Grouped>(x + (<usize>(g * cg) << 2), cols + (<usize>(g * groupFloats) << 2), (groups - 1) * groupFloats,
      n, h, w, c, cg, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow, d, kd, sd, dd, padFront, od);
  }
}

// The runs below compile twice, by a type flag: for Plain, `grouped` is a constant false, so the
// ungrouped copy has no group arithmetic at all (run = c, no gap) and runs the loop it always ran.
type Plain = u8;
type Grouped = u16;

/**
 * im2col of one group: `run` channels of each input position (whose positions are `c` floats
 * apart) per tap, and `rowGap` floats of the other groups skipped after each row of cols.
 */
function im2colRuns<G>(
  x: usize, cols: usize, rowGap: i32, n: i32, h: i32, w: i32, c: i32, run: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  d: i32, kd: i32, sd: i32, dd: i32, padFront: i32, od: i32,
): void {
  const grouped = sizeof<G>() == 2;
  const pixelBytes = <usize>c << 2;
  const runBytes = grouped ? <usize>run << 2 : pixelBytes;
  let out = cols;
  for (let b = 0; b < n; b++) {
    const volume = x + <usize>(b * d * h * w) * pixelBytes;
    for (let oz = 0; oz < od; oz++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          const ix0 = ox * sw - padLeft;
          // With dilation 1, whole positions and the whole window row inside, its kw taps are one contiguous run.
          const rowContiguous = !grouped && dw == 1 && ix0 >= 0 && ix0 + kw <= w;
          for (let kz = 0; kz < kd; kz++) {
            const iz = oz * sd - padFront + kz * dd;
            const planeInside = iz >= 0 && iz < d;
            const plane = volume + <usize>(max(iz, 0) * h * w) * pixelBytes;
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh - padTop + ky * dh;
              const rowInside = planeInside && iy >= 0 && iy < h;
              if (rowInside && rowContiguous) {
                copyFloats(out, plane + <usize>(iy * w + ix0) * pixelBytes, kw * c);
                out += <usize>kw * pixelBytes;
                continue;
              }
              for (let kx = 0; kx < kw; kx++) {
                const ix = ix0 + kx * dw;
                if (rowInside && ix >= 0 && ix < w) copyFloats(out, plane + <usize>(iy * w + ix) * pixelBytes, grouped ? run : c);
                else zeroFloats(out, grouped ? run : c);
                out += runBytes;
              }
            }
          }
          if (grouped) out += <usize>rowGap << 2;
        }
      }
    }
  }
}

/** The adjoint of im2col (same layout, `groups` included): dx = Σ over every row of cols that read a position, overwriting dx. */
export function col2im(
  cols: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  d: i32, kd: i32, sd: i32, dd: i32, padFront: i32, od: i32, groups: i32,
): void {
  memory.fill(dx, 0, <usize>(n * d * h * w * c) << 2);
  if (groups == 1) {
    col2imRuns<Plain>(cols, dx, 0, n, h, w, c, c, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow, d, kd, sd, dd, padFront, od);
    return;
  }
  const cg = c / groups;
  const groupFloats = kd * kh * kw * cg;
  for (let g = 0; g < groups; g++) {
    col2imRuns<Grouped>(cols + (<usize>(g * groupFloats) << 2), dx + (<usize>(g * cg) << 2), (groups - 1) * groupFloats,
      n, h, w, c, cg, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow, d, kd, sd, dd, padFront, od);
  }
}

/** col2im of one group: adds `run` floats per tap into positions `c` floats apart, skipping `rowGap` floats after each row. */
function col2imRuns<G>(
  cols: usize, dx: usize, rowGap: i32, n: i32, h: i32, w: i32, c: i32, run: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  d: i32, kd: i32, sd: i32, dd: i32, padFront: i32, od: i32,
): void {
  const grouped = sizeof<G>() == 2;
  const pixelBytes = <usize>c << 2;
  const runBytes = grouped ? <usize>run << 2 : pixelBytes;
  let src = cols;
  for (let b = 0; b < n; b++) {
    const volume = dx + <usize>(b * d * h * w) * pixelBytes;
    for (let oz = 0; oz < od; oz++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          for (let kz = 0; kz < kd; kz++) {
            const iz = oz * sd - padFront + kz * dd;
            const planeInside = iz >= 0 && iz < d;
            const plane = volume + <usize>(max(iz, 0) * h * w) * pixelBytes;
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh - padTop + ky * dh;
              const rowInside = planeInside && iy >= 0 && iy < h;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw - padLeft + kx * dw;
                if (rowInside && ix >= 0 && ix < w) addRun(plane + <usize>(iy * w + ix) * pixelBytes, src, grouped ? run : c);
                src += runBytes;
              }
            }
          }
          if (grouped) src += <usize>rowGap << 2;
        }
      }
    }
  }
}
