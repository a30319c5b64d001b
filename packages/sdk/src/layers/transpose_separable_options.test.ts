import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

describe('Conv2DTranspose options: each bad one is an error naming what was received and the fix', () => {
  it.each([
    [{ filters: 0, kernelSize: 3 }, /Conv2DTranspose layer 't': filters must be a positive integer\. Received: filters=0\./],
    [{ filters: 2, kernelSize: [3, 0] }, /Layer 't': kernelSize must be a positive integer or a pair of them\. Received: kernelSize=\[3,0\]\./],
    [{ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }, /Conv2DTranspose layer 't': strides above 1 cannot be combined with dilationRate above 1 \(as in Keras\)\. Received: strides=\[2,2\], dilationRate=\[2,2\]\./],
    [{ filters: 2, kernelSize: 3, outputPadding: [1, 1] }, /Conv2DTranspose layer 't': each outputPadding must be smaller than its stride \(as in Keras\)\. Received: outputPadding=\[1,1\], strides=\[1,1\]\. Lower outputPadding below the stride, or raise strides\./],
    [{ filters: 2, kernelSize: 3, strides: 2, outputPadding: [1, -1] }, /Conv2DTranspose layer 't': outputPadding must be null, a non-negative integer or a list of 2 of them\. Received: outputPadding=\[1,-1\]\./],
    [{ filters: 2, kernelSize: 3, strides: 2, outputPadding: [1] }, /outputPadding must be null, a non-negative integer or a list of 2 of them\. Received: outputPadding=\[1\]\./],
    [{ filters: 2, kernelSize: 3, padding: 'causal' }, /Layer 't': padding must be 'valid' or 'same'\. Received: padding="causal"\./],
    [{ filters: 2, kernelSize: 3, dataFormat: 'NCHW' }, /dataFormat must be 'channelsLast' .* or 'channelsFirst' .*\. Received: dataFormat="NCHW"/],
    [{ filters: 2, kernelSize: 3, activation: 'glu' }, /Activation 'glu' in layer 't' halves the last axis, which this layer's output shape does not follow/],
    [{ filters: 2, kernelSize: 3, kernel_size: 3 }, /km\.layers\.conv2dTranspose has no option 'kernel_size'; did you mean 'kernelSize'\?/],
    [{ filters: 2, kernelSize: 3, output_padding: 1 }, /km\.layers\.conv2dTranspose has no option 'output_padding'; did you mean 'outputPadding'\?/],
  ])('%j', (args, message) => {
    expect(() => km.layers.conv2dTranspose({ name: 't', ...(args as km.layers.Conv2DTransposeArgs) })).toThrow(message);
  });

  it('accepts outputPadding null (what Keras writes) and dilationRate 1', () => {
    expect(km.layers.conv2dTranspose({ filters: 2, kernelSize: 3, outputPadding: null, dilationRate: [1, 1] }).getConfig()).not.toHaveProperty('dilationRate');
  });

  it('rejects an input without a channels axis, naming the fix', () => {
    expect(() => km.sequential([km.layers.conv2dTranspose({ filters: 2, kernelSize: 3, inputShape: [8, 8], name: 't' })]).summary({ lineLength: 80, printFn: () => {} }))
      .toThrow(/Conv2DTranspose layer 't' expects inputs of shape \(None, height, width, channels\), but received \(None, 8, 8\)\. Add a channels axis/);
  });
});

describe('SeparableConv2D options: each bad one is an error naming what was received and the fix', () => {
  it.each([
    [{ kernelSize: 3 }, /SeparableConv2D layer 's': filters must be a positive integer\. Received: filters=undefined\./],
    [{ filters: 2, kernelSize: 3, depthMultiplier: 1.5 }, /SeparableConv2D layer 's': depthMultiplier must be a positive integer\. Received: depthMultiplier=1\.5\./],
    [{ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }, /SeparableConv2D layer 's': strides above 1 cannot be combined with dilationRate above 1/],
    [{ filters: 2, kernelSize: 3, kernelInitializer: 'ones' }, /km\.layers\.separableConv2d has no option 'kernelInitializer': a separable convolution has two kernels: pass depthwiseInitializer and pointwiseInitializer/],
    [{ filters: 2, kernelSize: 3, pointwiseRegularizer: 'l3' }, /SeparableConv2D layer 's' pointwiseRegularizer/],
    [{ filters: 2, kernelSize: 3, pointwiseConstraint: 'tight' }, /SeparableConv2D layer 's' pointwiseConstraint/],
    [{ filters: 2, kernelSize: 3, pointwiseInitializer: 'nonsense' }, /nonsense/],
  ])('%j', (args, message) => {
    expect(() => km.layers.separableConv2d({ name: 's', ...(args as km.layers.SeparableConv2DArgs) })).toThrow(message);
  });
});

describe('summary', () => {
  it('lists both layers with their output shapes and parameter counts', () => {
    const model = km.sequential([
      km.layers.separableConv2d({ filters: 8, kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', inputShape: [28, 28, 1], name: 'sep' }),
      km.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', name: 'up' }),
      km.layers.conv2dTranspose({ filters: 2, kernelSize: [3, 2], strides: [1, 3], name: 'valid_up' }),
    ]);
    const lines: string[] = [];
    model.summary(undefined, undefined, (line) => lines.push(line));
    // depthwise 3·3·1·2 + pointwise 1·1·2·8 + bias 8; kernel 3·3·1·8 + bias 1; kernel 3·2·2·1 + bias 2.
    expect(lines.find((l) => l.includes('sep (SeparableConv2D)'))).toMatch(/\(None, 14, 14, 8\)\s+42$/);
    expect(lines.find((l) => l.includes('up (Conv2DTranspose)'))).toMatch(/\(None, 28, 28, 1\)\s+73$/);
    // 'valid': 28·1 + max(3 − 1, 0) = 30 rows, 28·3 + max(2 − 3, 0) = 84 columns.
    expect(lines.find((l) => l.includes('valid_up (Conv2DTranspose)'))).toMatch(/\(None, 30, 84, 2\)\s+14$/);
    expect(lines).toContain('Total params: 129');
  });
});
