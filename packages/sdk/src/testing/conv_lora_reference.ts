import * as km from '../index.js';
import { groupedConv } from './grouped_conv_reference.js';
import { effective } from './lora_reference.js';
import { REF_ELEMENTWISE } from './reference.js';

// LoRA-adapted convolutions (Keras 3's lora_rank on Conv1D, Conv2D, Conv3D) in float64: the naive
// grouped convolution of grouped_conv_reference.ts over kernel + s·A·B, the kernel read as the
// matrix [prod(kernel.shape[:-1]), filters]; channels-first samples transposed around it, and
// Conv1D's causal padding as zeros on the left.

/** One convolution with LoRA: its layer's options as the test gives them, and its input. */
export interface ConvLoraCase {
  readonly factory: 'conv1d' | 'conv2d' | 'conv3d';
  /** Spatial sizes of a sample, and its channels. */
  readonly sizes: number[];
  readonly channels: number;
  readonly filters: number;
  readonly kernel: number[];
  readonly strides: number[];
  readonly dilation: number[];
  readonly padding: 'valid' | 'same' | 'causal';
  readonly groups: number;
  readonly channelsFirst: boolean;
  readonly useBias: boolean;
  readonly activation: keyof typeof REF_ELEMENTWISE;
  readonly rank: number;
  /** Keras' lora_alpha; undefined: the rank (a scale of 1). */
  readonly alpha?: number;
}

const conv = (c: Partial<ConvLoraCase> & Pick<ConvLoraCase, 'factory' | 'sizes' | 'channels' | 'filters' | 'kernel'>): ConvLoraCase => {
  const ones = c.kernel.map(() => 1);
  return { strides: ones, dilation: ones, padding: 'valid', groups: 1, channelsFirst: false, useBias: true, activation: 'linear', rank: 2, ...c };
};

/**
 * Every path of the layers: each rank, strides, dilation, groups, 'same', Conv1D's 'causal',
 * channels-first, a pointwise kernel (no im2col), no bias, and an activation that keeps its input (gelu).
 */
export const CONV_LORA_CASES: readonly ConvLoraCase[] = [
  conv({ factory: 'conv2d', sizes: [5, 5], channels: 3, filters: 4, kernel: [3, 3], padding: 'same', activation: 'gelu', rank: 2, alpha: 3 }),
  conv({ factory: 'conv2d', sizes: [7, 6], channels: 4, filters: 6, kernel: [3, 2], strides: [2, 1], groups: 2, channelsFirst: true, useBias: false, rank: 3 }),
  conv({ factory: 'conv2d', sizes: [3, 3], channels: 4, filters: 2, kernel: [1, 1], activation: 'tanh', rank: 2, alpha: 1 }),
  conv({ factory: 'conv1d', sizes: [9], channels: 2, filters: 3, kernel: [3], dilation: [2], padding: 'causal', activation: 'tanh', rank: 1, alpha: 2 }),
  conv({ factory: 'conv1d', sizes: [8], channels: 3, filters: 6, kernel: [2], strides: [2], groups: 3, channelsFirst: true, useBias: false, rank: 2, alpha: 5 }),
  conv({ factory: 'conv3d', sizes: [3, 4, 4], channels: 2, filters: 3, kernel: [2, 3, 2], strides: [1, 2, 1], padding: 'same', channelsFirst: true, activation: 'sigmoid', rank: 2, alpha: 4 }),
];

/** The case's layer, with LoRA from the options (or without, for `enableLora` to adapt). */
export function convLoraLayer(c: ConvLoraCase, name?: string, lora = true): km.layers.Conv2D | km.layers.Conv3D {
  const single = c.factory === 'conv1d';
  const options = {
    filters: c.filters, kernelSize: single ? c.kernel[0] : c.kernel, strides: single ? c.strides[0] : c.strides, dilationRate: single ? c.dilation[0] : c.dilation,
    padding: c.padding, groups: c.groups, dataFormat: c.channelsFirst ? 'channelsFirst' : 'channelsLast', useBias: c.useBias, activation: c.activation,
    ...(lora ? { loraRank: c.rank, loraAlpha: c.alpha } : {}), name,
  };
  return (km.layers[c.factory] as (args: typeof options) => km.layers.Conv2D | km.layers.Conv3D)(options);
}

/** A sample's shape in the case's data format. */
export const sampleShape = (c: ConvLoraCase): number[] => (c.channelsFirst ? [c.channels, ...c.sizes] : [...c.sizes, c.channels]);

/** The case's kernel shape, `[k…, channels / groups, filters]`, and its rows as a matrix. */
export function kernelShape(c: ConvLoraCase): { shape: number[]; rows: number } {
  const shape = [...c.kernel, c.channels / c.groups, c.filters];
  return { shape, rows: shape.slice(0, -1).reduce((a, b) => a * b, 1) };
}

/** [a, b] row-major as [b, a]. */
function transposed(values: readonly number[], a: number, b: number): number[] {
  return Array.from({ length: a * b }, (_, k) => values[(k % a) * b + Math.floor(k / a)]);
}

/**
 * The layer's output for `x` (a batch in the case's data format, flat) in float64, from its weights
 * by short name (kernel, bias, lora_kernel_a, lora_kernel_b).
 */
export function convLoraReference(c: ConvLoraCase, p: Record<string, number[]>, x: readonly number[]): number[] {
  const { rows } = kernelShape(c);
  const kernel = effective(p.kernel, p.lora_kernel_a, p.lora_kernel_b, rows, c.filters, c.rank, (c.alpha ?? c.rank) / c.rank);
  const bias = p.bias ?? new Array(c.filters).fill(0);
  const positions = c.sizes.reduce((a, b) => a * b, 1);
  const perSample = positions * c.channels;
  const out: number[] = [];
  for (let n = 0; n < x.length / perSample; n++) {
    const sample = x.slice(n * perSample, (n + 1) * perSample);
    let data = c.channelsFirst ? transposed(sample, c.channels, positions) : sample;
    let sizes = c.sizes;
    if (c.padding === 'causal') {
      const left = (c.kernel[0] - 1) * c.dilation[0];
      data = [...new Array(left * c.channels).fill(0), ...data];
      sizes = [c.sizes[0] + left];
    }
    const padding = c.padding === 'same' ? 'same' : 'valid';
    const y = groupedConv({ sizes, channels: c.channels, data }, kernel, bias, { kernel: c.kernel, strides: c.strides, dilation: c.dilation, padding, groups: c.groups });
    const activated = y.data.map(REF_ELEMENTWISE[c.activation]);
    const outPositions = y.sizes.reduce((a, b) => a * b, 1);
    out.push(...(c.channelsFirst ? transposed(activated, outPositions, c.filters) : activated));
  }
  return out;
}
