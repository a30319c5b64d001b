/**
 * Naive float64 image ops (one sample, HWC, flat arrays) and a generic finite-difference gradient,
 * written independently of the kernels, for checking convolutional and functional models.
 */
export interface Image {
  h: number;
  w: number;
  c: number;
  data: number[];
}

export interface WindowSpec {
  kernel: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padding: 'valid' | 'same';
}

/** TensorFlow's output size and leading padding for one axis. */
function axis(size: number, k: number, stride: number, dilation: number, padding: 'valid' | 'same'): [number, number] {
  const eff = (k - 1) * dilation + 1;
  const out = padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - eff) / stride) + 1;
  const pad = padding === 'same' ? Math.floor(Math.max(0, (out - 1) * stride + eff - size) / 2) : 0;
  return [out, pad];
}

/** Calls visit(iy, ix) for each window tap inside the image, with the tap index. */
function windowTaps(x: Image, spec: WindowSpec, visit: (oy: number, ox: number, taps: [number, number, number][]) => void): [number, number] {
  const [oh, pt] = axis(x.h, spec.kernel[0], spec.strides[0], spec.dilation[0], spec.padding);
  const [ow, pl] = axis(x.w, spec.kernel[1], spec.strides[1], spec.dilation[1], spec.padding);
  for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
    const taps: [number, number, number][] = [];
    for (let ky = 0; ky < spec.kernel[0]; ky++) for (let kx = 0; kx < spec.kernel[1]; kx++) {
      const iy = oy * spec.strides[0] - pt + ky * spec.dilation[0];
      const ix = ox * spec.strides[1] - pl + kx * spec.dilation[1];
      if (iy >= 0 && iy < x.h && ix >= 0 && ix < x.w) taps.push([iy, ix, ky * spec.kernel[1] + kx]);
    }
    visit(oy, ox, taps);
  }
  return [oh, ow];
}

/** Conv2D with a [kh, kw, inC, outC] kernel (flat) and a bias. */
export function conv2d(x: Image, kernel: number[], bias: number[], spec: WindowSpec): Image {
  const outC = bias.length;
  const out: number[] = [];
  const [h, w] = windowTaps(x, spec, (_oy, _ox, taps) => {
    for (let o = 0; o < outC; o++) {
      let s = bias[o];
      for (const [iy, ix, t] of taps) for (let c = 0; c < x.c; c++) s += x.data[(iy * x.w + ix) * x.c + c] * kernel[(t * x.c + c) * outC + o];
      out.push(s);
    }
  });
  return { h, w, c: outC, data: out };
}

export function pool(x: Image, spec: WindowSpec, kind: 'max' | 'avg'): Image {
  const out: number[] = [];
  const [h, w] = windowTaps(x, spec, (_oy, _ox, taps) => {
    for (let c = 0; c < x.c; c++) {
      const v = taps.map(([iy, ix]) => x.data[(iy * x.w + ix) * x.c + c]);
      out.push(kind === 'max' ? Math.max(...v) : v.reduce((a, b) => a + b, 0) / v.length);
    }
  });
  return { h, w, c: x.c, data: out };
}

export function map(x: Image, f: (v: number) => number): Image {
  return { ...x, data: x.data.map(f) };
}

export function zip(a: Image, b: Image, f: (u: number, v: number) => number): Image {
  return { ...a, data: a.data.map((v, i) => f(v, b.data[i])) };
}

export function concat(a: Image, b: Image): Image {
  const data: number[] = [];
  for (let p = 0; p < a.h * a.w; p++) data.push(...a.data.slice(p * a.c, (p + 1) * a.c), ...b.data.slice(p * b.c, (p + 1) * b.c));
  return { h: a.h, w: a.w, c: a.c + b.c, data };
}

/** Dense on a flat vector, kernel [in, units] flat. */
export function dense(x: number[], kernel: number[], bias: number[]): number[] {
  return bias.map((b, j) => x.reduce((s, v, i) => s + v * kernel[i * bias.length + j], b));
}

/** The mean over a sample's outputs of the squared error. */
export function meanSquaredError(prediction: number[], target: number[]): number {
  return prediction.reduce((s, v, o) => s + (v - target[o]) ** 2, 0) / prediction.length;
}

/** Central differences of `loss()` with respect to every entry of every weight array. */
export function finiteDifferences(weights: number[][], loss: () => number, step = 1e-6): number[][] {
  return weights.map((w) =>
    w.map((v, i) => {
      w[i] = v + step;
      const up = loss();
      w[i] = v - step;
      const down = loss();
      w[i] = v;
      return (up - down) / (2 * step);
    }),
  );
}

/** Zeros around the image: [[top, bottom], [left, right]]. */
export function zeroPad(x: Image, [[top, bottom], [left, right]]: [[number, number], [number, number]]): Image {
  const h = x.h + top + bottom;
  const w = x.w + left + right;
  const data = new Array<number>(h * w * x.c).fill(0);
  for (let y = 0; y < x.h; y++) for (let z = 0; z < x.w; z++) for (let c = 0; c < x.c; c++) data[((y + top) * w + z + left) * x.c + c] = x.data[(y * x.w + z) * x.c + c];
  return { h, w, c: x.c, data };
}

/** Nearest-neighbour upsampling: output pixel (y, z) is input pixel (⌊y/sh⌋, ⌊z/sw⌋). */
export function upSample(x: Image, [sh, sw]: [number, number]): Image {
  const h = x.h * sh;
  const w = x.w * sw;
  const data: number[] = [];
  for (let y = 0; y < h; y++) for (let z = 0; z < w; z++) for (let c = 0; c < x.c; c++) data.push(x.data[(Math.floor(y / sh) * x.w + Math.floor(z / sw)) * x.c + c]);
  return { h, w, c: x.c, data };
}

/** Mean or max of each channel over the whole image. */
export function globalPool(x: Image, kind: 'max' | 'avg'): number[] {
  return Array.from({ length: x.c }, (_, c) => {
    const v = Array.from({ length: x.h * x.w }, (_, p) => x.data[p * x.c + c]);
    return kind === 'max' ? Math.max(...v) : v.reduce((a, b) => a + b, 0) / v.length;
  });
}

/** DepthwiseConv2D with a [kh, kw, inC, multiplier] kernel (flat) and a bias of inC·multiplier. */
export function depthwiseConv2d(x: Image, kernel: number[], bias: number[], spec: WindowSpec): Image {
  const m = bias.length / x.c;
  const out: number[] = [];
  const [h, w] = windowTaps(x, spec, (_oy, _ox, taps) => {
    for (let c = 0; c < x.c; c++) for (let j = 0; j < m; j++) {
      let s = bias[c * m + j];
      for (const [iy, ix, t] of taps) s += x.data[(iy * x.w + ix) * x.c + c] * kernel[(t * x.c + c) * m + j];
      out.push(s);
    }
  });
  return { h, w, c: x.c * m, data: out };
}

/**
 * Transposed convolution as TensorFlow defines it, by scattering: input pixel (iy, ix) adds
 * x·kernel[ky, kx, f, c] into output (iy·stride − pad + ky, ix·stride − pad + kx). The kernel is
 * [kh, kw, outC, inC] (flat); the output size is Keras' deconv_output_length, no dilation.
 */
export function conv2dTranspose(x: Image, kernel: number[], bias: number[], spec: WindowSpec): Image {
  const outC = bias.length;
  const [kh, kw] = spec.kernel;
  const [sh, sw] = spec.strides;
  const size = (n: number, k: number, s: number) => (spec.padding === 'same' ? n * s : n * s + Math.max(k - s, 0));
  const [h, w] = [size(x.h, kh, sh), size(x.w, kw, sw)];
  const lead = (n: number, out: number, k: number, s: number) => (spec.padding === 'same' ? Math.floor(Math.max(0, (n - 1) * s + k - out) / 2) : 0);
  const [pt, pl] = [lead(x.h, h, kh, sh), lead(x.w, w, kw, sw)];
  const data = Array.from({ length: h * w * outC }, (_, i) => bias[i % outC]);
  for (let iy = 0; iy < x.h; iy++) for (let ix = 0; ix < x.w; ix++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
    const [oy, ox] = [iy * sh - pt + ky, ix * sw - pl + kx];
    if (oy < 0 || oy >= h || ox < 0 || ox >= w) continue;
    for (let f = 0; f < outC; f++) for (let c = 0; c < x.c; c++) data[(oy * w + ox) * outC + f] += x.data[(iy * x.w + ix) * x.c + c] * kernel[((ky * kw + kx) * outC + f) * x.c + c];
  }
  return { h, w, c: outC, data };
}
