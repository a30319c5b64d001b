// Naive float64 1-D convolution loops, the references of the 1-D convolution layers' tests.

/** A sequence as rows of channels, `[steps][channels]`. */
export type Sequence = number[][];
/** A 1-D window as Keras' convolutions take it. */
export interface Window1D { kernel: number; stride: number; dilation: number; padding: 'valid' | 'same' }

/** Output positions of a 1-D window, and the left padding TensorFlow puts for 'same'. */
export function span(steps: number, w: Window1D): { out: number; left: number } {
  const reach = (w.kernel - 1) * w.dilation + 1;
  if (w.padding === 'valid') return { out: Math.floor((steps - reach) / w.stride) + 1, left: 0 };
  const out = Math.ceil(steps / w.stride);
  return { out, left: Math.floor(Math.max(0, (out - 1) * w.stride + reach - steps) / 2) };
}

/** out[t][o] = Σ over taps k and input channels c of x[t·stride − left + k·dilation][c]·weight(k, c, o), zeros outside. */
export function slide(x: Sequence, w: Window1D, outChannels: number, weight: (k: number, c: number, o: number) => number): Sequence {
  const { out, left } = span(x.length, w);
  return Array.from({ length: out }, (_, t) => Array.from({ length: outChannels }, (_, o) => {
    let sum = 0;
    for (let k = 0; k < w.kernel; k++) {
      const i = t * w.stride - left + k * w.dilation;
      if (i >= 0 && i < x.length) x[i].forEach((v, c) => (sum += v * weight(k, c, o)));
    }
    return sum;
  }));
}

/** Keras' depthwise 1-D convolution (kernel `[k, C, M]`, flat): output channel c·M + j is filter j of input channel c. */
export function depthwiseSlide(x: Sequence, w: Window1D, depthwise: readonly number[], multiplier: number): Sequence {
  const channels = x[0].length;
  return slide(x, w, channels * multiplier, (k, c, o) => (Math.floor(o / multiplier) === c ? depthwise[(k * channels + c) * multiplier + (o % multiplier)] : 0));
}
