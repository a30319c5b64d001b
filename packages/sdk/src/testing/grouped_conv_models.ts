import * as km from '../index.js';
import type { GroupedConvSpec } from './grouped_conv_reference.js';

/** A grouped convolution's spec with its filter count. */
export interface GroupedLayerSpec extends GroupedConvSpec {
  filters: number;
}

/** km.layers.conv1d, conv2d or conv3d by the spec's rank, with the spec's window, groups and filters. */
export function groupedConvLayer(spec: GroupedLayerSpec, extra: Record<string, unknown> = {}): km.layers.Layer {
  const args = { filters: spec.filters, kernelSize: spec.kernel, strides: spec.strides, dilationRate: spec.dilation, padding: spec.padding, groups: spec.groups, ...extra };
  const make = [km.layers.conv1d, km.layers.conv2d, km.layers.conv3d][spec.kernel.length - 1] as unknown as (a: typeof args) => km.layers.Layer;
  return make(args);
}

/** A spec of the given rank: window, strides, dilation, padding, groups, filters. */
export const spec = (kernel: number[], strides: number[], padding: 'valid' | 'same', groups: number, filters: number, dilation = kernel.map(() => 1)): GroupedLayerSpec => ({ kernel, strides, dilation, padding, groups, filters });
