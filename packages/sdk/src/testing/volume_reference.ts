// Naive float64 NDHWC references for the 3-D layers' tests: direct loops over every output voxel
// and window tap, written from the definitions (no im2col, no shared geometry code).

/** A volume [d, h, w, c], row-major. */
export interface Volume {
  d: number;
  h: number;
  w: number;
  c: number;
  data: number[];
}

type Triple = [number, number, number];

/** A 3-D window: sizes, strides and dilations per axis (depth, height, width), and TensorFlow's padding mode. */
export interface VolumeSpec {
  kernel: Triple;
  strides: Triple;
  dilation: Triple;
  padding: 'valid' | 'same';
}

const idx = (v: { h: number; w: number; c: number }, z: number, y: number, x: number, ch: number) => ((z * v.h + y) * v.w + x) * v.c + ch;

/** Output size and padding before the first window on one axis, as TensorFlow's 'valid'/'same' give them. */
function axis(size: number, k: number, s: number, dil: number, padding: 'valid' | 'same'): { out: number; pad: number } {
  const eff = (k - 1) * dil + 1;
  if (padding === 'valid') return { out: Math.floor((size - eff) / s) + 1, pad: 0 };
  const out = Math.ceil(size / s);
  return { out, pad: Math.floor(Math.max(0, (out - 1) * s + eff - size) / 2) };
}

/** Visits every output voxel with the input positions of its window taps (null outside). */
function windows(x: Volume, spec: VolumeSpec, visit: (out: Triple, taps: (Triple | null)[]) => void): Triple {
  const sizes: Triple = [x.d, x.h, x.w];
  const ax = sizes.map((n, a) => axis(n, spec.kernel[a], spec.strides[a], spec.dilation[a], spec.padding));
  for (let oz = 0; oz < ax[0].out; oz++)
    for (let oy = 0; oy < ax[1].out; oy++)
      for (let ox = 0; ox < ax[2].out; ox++) {
        const taps: (Triple | null)[] = [];
        for (let kz = 0; kz < spec.kernel[0]; kz++)
          for (let ky = 0; ky < spec.kernel[1]; ky++)
            for (let kx = 0; kx < spec.kernel[2]; kx++) {
              const p: Triple = [oz * spec.strides[0] - ax[0].pad + kz * spec.dilation[0], oy * spec.strides[1] - ax[1].pad + ky * spec.dilation[1], ox * spec.strides[2] - ax[2].pad + kx * spec.dilation[2]];
              taps.push(p.every((v, a) => v >= 0 && v < sizes[a]) ? p : null);
            }
        visit([oz, oy, ox], taps);
      }
  return [ax[0].out, ax[1].out, ax[2].out];
}

/** Keras' Conv3D: kernel [kD, kH, kW, in, out] flattened, bias [out]. */
export function conv3d(x: Volume, kernel: number[], bias: number[], spec: VolumeSpec): Volume {
  const filters = bias.length;
  const data: number[] = [];
  const [d, h, w] = windows(x, spec, (_, taps) => {
    for (let f = 0; f < filters; f++) {
      let s = bias[f];
      taps.forEach((p, t) => {
        if (p) for (let ch = 0; ch < x.c; ch++) s += x.data[idx(x, ...p, ch)] * kernel[(t * x.c + ch) * filters + f];
      });
      data.push(s);
    }
  });
  return { d, h, w, c: filters, data };
}

/** Max or average over the inside positions of each window. */
export function pool3d(x: Volume, spec: VolumeSpec, kind: 'max' | 'avg'): Volume {
  const data: number[] = [];
  const [d, h, w] = windows(x, spec, (_, taps) => {
    const inside = taps.filter((p): p is Triple => p !== null);
    for (let ch = 0; ch < x.c; ch++) {
      const values = inside.map((p) => x.data[idx(x, ...p, ch)]);
      data.push(kind === 'max' ? Math.max(...values) : values.reduce((a, b) => a + b, 0) / values.length);
    }
  });
  return { d, h, w, c: x.c, data };
}

/** Max or mean of each channel over the whole volume. */
export function globalPool3d(x: Volume, kind: 'max' | 'avg'): number[] {
  return pool3d(x, { kernel: [x.d, x.h, x.w], strides: [1, 1, 1], dilation: [1, 1, 1], padding: 'valid' }, kind).data;
}

/** Zeros (or, with negative counts, cropping) at each side: [[front, back], [top, bottom], [left, right]]. */
export function padVolume(x: Volume, sides: [[number, number], [number, number], [number, number]]): Volume {
  const [d, h, w] = [x.d, x.h, x.w].map((n, a) => n + sides[a][0] + sides[a][1]);
  const out: Volume = { d, h, w, c: x.c, data: new Array(d * h * w * x.c).fill(0) };
  for (let z = 0; z < d; z++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++) {
        const [iz, iy, ix] = [z - sides[0][0], y - sides[1][0], xx - sides[2][0]];
        if (iz < 0 || iz >= x.d || iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
        for (let ch = 0; ch < x.c; ch++) out.data[idx(out, z, y, xx, ch)] = x.data[idx(x, iz, iy, ix, ch)];
      }
  return out;
}

/** Nearest-neighbour upsampling by `size` per axis. */
export function upSample3d(x: Volume, size: Triple): Volume {
  const [d, h, w] = [x.d * size[0], x.h * size[1], x.w * size[2]];
  const out: Volume = { d, h, w, c: x.c, data: [] };
  for (let z = 0; z < d; z++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++)
        for (let ch = 0; ch < x.c; ch++) out.data.push(x.data[idx(x, Math.floor(z / size[0]), Math.floor(y / size[1]), Math.floor(xx / size[2]), ch)]);
  return out;
}

/** A transposed 3-D window: a VolumeSpec and Keras' output padding per axis (null: the default output size). */
export interface TransposeSpec extends VolumeSpec {
  outputPadding: Triple | null;
}

/** The zeros Keras' JAX backend pads the spread-out input with on one axis: [before, after]. */
function transposePads(k: number, s: number, dil: number, padding: 'valid' | 'same', outputPadding: number | null): [number, number] {
  const eff = (k - 1) * dil + 1;
  if (padding === 'valid') return [eff - 1, eff - 1 + (outputPadding ?? Math.max(eff, s) - eff)];
  const total = outputPadding === null ? s + eff - 2 : eff + (eff % 2) - 2 + outputPadding;
  const before = Math.min(Math.ceil(total / 2), eff - 1);
  return [before, total - before];
}

/**
 * Keras' Conv3DTranspose as its JAX backend computes it, a formulation unlike kerasm's scatter: the
 * input spread out by the strides (stride − 1 zeros between positions), padded per axis, then a
 * 'valid' correlation with the kernel flipped and dilated. Kernel [kD, kH, kW, filters, in]
 * flattened, bias [filters]. 1-D and 2-D transposed convolutions are volumes of depth (and height) 1.
 */
export function conv3dTranspose(x: Volume, kernel: number[], bias: number[], spec: TransposeSpec): Volume {
  const filters = bias.length;
  const sizes: Triple = [x.d, x.h, x.w];
  const pads = sizes.map((_, a) => transposePads(spec.kernel[a], spec.strides[a], spec.dilation[a], spec.padding, spec.outputPadding?.[a] ?? null));
  const [d, h, w] = sizes.map((n, a) => (n - 1) * spec.strides[a] + 1 + pads[a][0] + pads[a][1] - (spec.kernel[a] - 1) * spec.dilation[a]);
  // The input position a spread-out, padded position holds, or -1 for a zero.
  const source = (a: number, p: number): number => {
    const q = p - pads[a][0];
    return q >= 0 && q % spec.strides[a] === 0 && q / spec.strides[a] < sizes[a] ? q / spec.strides[a] : -1;
  };
  const [kd, kh, kw] = spec.kernel;
  const out: Volume = { d, h, w, c: filters, data: [] };
  for (let oz = 0; oz < d; oz++)
    for (let oy = 0; oy < h; oy++)
      for (let ox = 0; ox < w; ox++)
        for (let f = 0; f < filters; f++) {
          let sum = bias[f];
          for (let kz = 0; kz < kd; kz++)
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const [iz, iy, ix] = [source(0, oz + kz * spec.dilation[0]), source(1, oy + ky * spec.dilation[1]), source(2, ox + kx * spec.dilation[2])];
                if (iz < 0 || iy < 0 || ix < 0) continue;
                const tap = ((kd - 1 - kz) * kh + (kh - 1 - ky)) * kw + (kw - 1 - kx);
                for (let ch = 0; ch < x.c; ch++) sum += x.data[idx(x, iz, iy, ix, ch)] * kernel[(tap * filters + f) * x.c + ch];
              }
          out.data.push(sum);
        }
  return out;
}
