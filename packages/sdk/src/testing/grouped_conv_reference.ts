// A naive float64 grouped convolution over one channels-last sample of any rank (1-D, 2-D, 3-D),
// written from Keras' definition with direct loops over output positions, filters and taps.

/** A grouped convolution's window: one size, stride and dilation per spatial axis. */
export interface GroupedConvSpec {
  kernel: number[];
  strides: number[];
  dilation: number[];
  padding: 'valid' | 'same';
  groups: number;
}

/** A channels-last sample: spatial sizes, channels, values row-major. */
export interface Sample {
  sizes: number[];
  channels: number;
  data: number[];
}

/** Every multi-index of `sizes`, last axis fastest. */
function positions(sizes: number[]): number[][] {
  return sizes.reduce<number[][]>((acc, n) => acc.flatMap((p) => Array.from({ length: n }, (_, i) => [...p, i])), [[]]);
}

/**
 * Output = bias + Σ over taps and the filter's group's channels of x · kernel, with the kernel
 * `[k…, channels / groups, filters]` flattened; filter f belongs to group ⌊f / (filters / groups)⌋.
 */
export function groupedConv(x: Sample, kernel: number[], bias: number[], spec: GroupedConvSpec): Sample {
  const filters = bias.length;
  const [inPerGroup, outPerGroup] = [x.channels / spec.groups, filters / spec.groups];
  const eff = spec.kernel.map((k, a) => (k - 1) * spec.dilation[a] + 1);
  const out = x.sizes.map((n, a) => (spec.padding === 'same' ? Math.ceil(n / spec.strides[a]) : Math.floor((n - eff[a]) / spec.strides[a]) + 1));
  const pad = x.sizes.map((n, a) => (spec.padding === 'same' ? Math.floor(Math.max(0, (out[a] - 1) * spec.strides[a] + eff[a] - n) / 2) : 0));
  const taps = positions(spec.kernel);
  const data: number[] = [];
  for (const o of positions(out)) {
    for (let f = 0; f < filters; f++) {
      const group = Math.floor(f / outPerGroup);
      let sum = bias[f];
      taps.forEach((k, t) => {
        const at = o.map((v, a) => v * spec.strides[a] - pad[a] + k[a] * spec.dilation[a]);
        if (at.some((v, a) => v < 0 || v >= x.sizes[a])) return;
        const base = at.reduce((flat, v, a) => flat * x.sizes[a] + v, 0) * x.channels;
        for (let c = 0; c < inPerGroup; c++) sum += x.data[base + group * inPerGroup + c] * kernel[(t * inPerGroup + c) * filters + f];
      });
      data.push(sum);
    }
  }
  return { sizes: out, channels: filters, data };
}
