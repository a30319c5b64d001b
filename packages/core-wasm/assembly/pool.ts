// 2-D and 3-D pooling over NHWC / NDHWC batches, SIMD across channels. Geometry arguments as in
// conv.ts (no dilation), the depth axis last: d, kd, sd, padFront, od (1, 1, 1, 0, 1 for images).
// Windows only count positions inside the input, as TensorFlow's 'same' padding does.

/** y[b, oz, oy, ox, ch] = max over the window; an all-outside window (impossible for valid shapes) gives -inf. */
export function maxPool(
  x: usize, y: usize, n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  d: i32, kd: i32, sd: i32, padFront: i32, od: i32,
): void {
  const pixelBytes = <usize>c << 2, rowBytes = <usize>(w * c) << 2, planeBytes = <usize>(h * w * c) << 2;
  let out = y;
  for (let b = 0; b < n; b++) {
    const volume = x + (<usize>(b * d * h * w * c) << 2);
    for (let oz = 0; oz < od; oz++) {
      const z0 = max(0, oz * sd - padFront), z1 = min(d, oz * sd - padFront + kd);
      for (let oy = 0; oy < oh; oy++) {
        const y0 = max(0, oy * sh - padTop), y1 = min(h, oy * sh - padTop + kh);
        for (let ox = 0; ox < ow; ox++) {
          const x0 = max(0, ox * sw - padLeft), x1 = min(w, ox * sw - padLeft + kw);
          const corner = volume + <usize>z0 * planeBytes + <usize>y0 * rowBytes + <usize>x0 * pixelBytes;
          const nz = z1 - z0, ny = y1 - y0, nx = x1 - x0;
          let ch = 0;
          // 16 channels per walk over the window: the walk, not the max, is most of a small window's cost.
          for (; ch + 16 <= c; ch += 16) {
            let m0 = f32x4.splat(-Infinity), m1 = m0, m2 = m0, m3 = m0;
            let plane = corner + (<usize>ch << 2);
            for (let iz = 0; iz < nz; iz++, plane += planeBytes) {
              let row = plane;
              for (let iy = 0; iy < ny; iy++, row += rowBytes) {
                let p = row;
                for (let ix = 0; ix < nx; ix++, p += pixelBytes) {
                  m0 = f32x4.max(m0, v128.load(p));
                  m1 = f32x4.max(m1, v128.load(p, 16));
                  m2 = f32x4.max(m2, v128.load(p, 32));
                  m3 = f32x4.max(m3, v128.load(p, 48));
                }
              }
            }
            const at = out + (<usize>ch << 2);
            v128.store(at, m0);
            v128.store(at, m1, 16);
            v128.store(at, m2, 32);
            v128.store(at, m3, 48);
          }
          for (; ch + 4 <= c; ch += 4) {
            let m = f32x4.splat(-Infinity);
            let plane = corner + (<usize>ch << 2);
            for (let iz = 0; iz < nz; iz++, plane += planeBytes) {
              let row = plane;
              for (let iy = 0; iy < ny; iy++, row += rowBytes) {
                let p = row;
                for (let ix = 0; ix < nx; ix++, p += pixelBytes) m = f32x4.max(m, v128.load(p));
              }
            }
            v128.store(out + (<usize>ch << 2), m);
          }
          for (; ch < c; ch++) {
            let m: f32 = -Infinity;
            let plane = corner + (<usize>ch << 2);
            for (let iz = 0; iz < nz; iz++, plane += planeBytes) {
              let row = plane;
              for (let iy = 0; iy < ny; iy++, row += rowBytes) {
                let p = row;
                for (let ix = 0; ix < nx; ix++, p += pixelBytes) m = max(m, load<f32>(p));
              }
            }
            store<f32>(out + (<usize>ch << 2), m);
          }
          out += pixelBytes;
        }
      }
    }
  }
}

/**
 * dx = the output gradient routed to the first position of each window that holds its maximum
 * (TensorFlow's rule), summed where windows overlap; overwrites dx. SIMD across channels: a lane
 * mask marks the channels whose maximum is still unclaimed.
 */
export function maxPoolGrad(
  x: usize, y: usize, dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  d: i32, kd: i32, sd: i32, padFront: i32, od: i32,
): void {
  memory.fill(dx, 0, <usize>(n * d * h * w * c) << 2);
  let o: usize = 0;
  for (let b = 0; b < n; b++) {
    const base = <usize>(b * d * h * w * c);
    for (let oz = 0; oz < od; oz++) {
      const z0 = max(0, oz * sd - padFront), z1 = min(d, oz * sd - padFront + kd);
      for (let oy = 0; oy < oh; oy++) {
        const y0 = max(0, oy * sh - padTop), y1 = min(h, oy * sh - padTop + kh);
        for (let ox = 0; ox < ow; ox++) {
          const x0 = max(0, ox * sw - padLeft), x1 = min(w, ox * sw - padLeft + kw);
          let ch = 0;
          for (; ch + 4 <= c; ch += 4) {
            const m = v128.load(y + ((o + <usize>ch) << 2));
            const g = v128.load(dy + ((o + <usize>ch) << 2));
            let open = i32x4.splat(-1);
            for (let iz = z0; iz < z1; iz++) {
              for (let iy = y0; iy < y1; iy++) {
                for (let ix = x0; ix < x1; ix++) {
                  const at = (base + <usize>((((iz * h) + iy) * w + ix) * c + ch)) << 2;
                  const hit = v128.and(f32x4.eq(v128.load(x + at), m), open);
                  v128.store(dx + at, f32x4.add(v128.load(dx + at), v128.and(g, hit)));
                  open = v128.andnot(open, hit);
                }
              }
            }
          }
          for (; ch < c; ch++) {
            const m = load<f32>(y + ((o + <usize>ch) << 2));
            let found = false;
            for (let iz = z0; iz < z1 && !found; iz++) {
              for (let iy = y0; iy < y1 && !found; iy++) {
                for (let ix = x0; ix < x1; ix++) {
                  const at = (base + <usize>((((iz * h) + iy) * w + ix) * c + ch)) << 2;
                  if (load<f32>(x + at) == m) {
                    store<f32>(dx + at, load<f32>(dx + at) + load<f32>(dy + ((o + <usize>ch) << 2)));
                    found = true;
                    break;
                  }
                }
              }
            }
          }
          o += <usize>c;
        }
      }
    }
  }
}

/** y = mean of the window's positions inside the input. */
export function avgPool(
  x: usize, y: usize, n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  d: i32, kd: i32, sd: i32, padFront: i32, od: i32,
): void {
  let out = y;
  for (let b = 0; b < n; b++) {
    const volume = x + (<usize>(b * d * h * w * c) << 2);
    for (let oz = 0; oz < od; oz++) {
      const z0 = max(0, oz * sd - padFront), z1 = min(d, oz * sd - padFront + kd);
      for (let oy = 0; oy < oh; oy++) {
        const y0 = max(0, oy * sh - padTop), y1 = min(h, oy * sh - padTop + kh);
        for (let ox = 0; ox < ow; ox++) {
          const x0 = max(0, ox * sw - padLeft), x1 = min(w, ox * sw - padLeft + kw);
          const scale = <f32>1 / <f32>((z1 - z0) * (y1 - y0) * (x1 - x0));
          let ch = 0;
          for (; ch + 4 <= c; ch += 4) {
            let s = f32x4.splat(0);
            for (let iz = z0; iz < z1; iz++) {
              for (let iy = y0; iy < y1; iy++) {
                for (let ix = x0; ix < x1; ix++) s = f32x4.add(s, v128.load(volume + (<usize>((((iz * h) + iy) * w + ix) * c + ch) << 2)));
              }
            }
            v128.store(out + (<usize>ch << 2), f32x4.mul(s, f32x4.splat(scale)));
          }
          for (; ch < c; ch++) {
            let s: f32 = 0;
            for (let iz = z0; iz < z1; iz++) {
              for (let iy = y0; iy < y1; iy++) {
                for (let ix = x0; ix < x1; ix++) s += load<f32>(volume + (<usize>((((iz * h) + iy) * w + ix) * c + ch) << 2));
              }
            }
            store<f32>(out + (<usize>ch << 2), s * scale);
          }
          out += <usize>c << 2;
        }
      }
    }
  }
}

/** The adjoint of avgPool: each window spreads dy/count over its inside positions; overwrites dx. */
export function avgPoolGrad(
  dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  d: i32, kd: i32, sd: i32, padFront: i32, od: i32,
): void {
  memory.fill(dx, 0, <usize>(n * d * h * w * c) << 2);
  let g = dy;
  for (let b = 0; b < n; b++) {
    const volume = dx + (<usize>(b * d * h * w * c) << 2);
    for (let oz = 0; oz < od; oz++) {
      const z0 = max(0, oz * sd - padFront), z1 = min(d, oz * sd - padFront + kd);
      for (let oy = 0; oy < oh; oy++) {
        const y0 = max(0, oy * sh - padTop), y1 = min(h, oy * sh - padTop + kh);
        for (let ox = 0; ox < ow; ox++) {
          const x0 = max(0, ox * sw - padLeft), x1 = min(w, ox * sw - padLeft + kw);
          const scale = <f32>1 / <f32>((z1 - z0) * (y1 - y0) * (x1 - x0));
          for (let iz = z0; iz < z1; iz++) {
            for (let iy = y0; iy < y1; iy++) {
              for (let ix = x0; ix < x1; ix++) {
                const at = volume + (<usize>((((iz * h) + iy) * w + ix) * c) << 2);
                for (let ch = 0; ch < c; ch++) {
                  const off = <usize>ch << 2;
                  store<f32>(at + off, load<f32>(at + off) + load<f32>(g + off) * scale);
                }
              }
            }
          }
          g += <usize>c << 2;
        }
      }
    }
  }
}
