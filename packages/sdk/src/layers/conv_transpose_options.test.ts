import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

describe('Conv3DTranspose options: each bad one is an error naming what was received and the fix', () => {
  it.each([
    [{ filters: 0, kernelSize: 3 }, /Conv3DTranspose layer 't': filters must be a positive integer\. Received: filters=0\./],
    [{ filters: 2, kernelSize: [3, 3] }, /Conv3DTranspose layer 't': kernelSize must be a positive integer or a list of three \(depth, height, width\)\. Received: kernelSize=\[3,3\]\./],
    [{ filters: 2, kernelSize: 3, strides: [2, 2, 1], outputPadding: [1, 0, 1] }, /Conv3DTranspose layer 't': each outputPadding must be smaller than its stride \(as in Keras\)\. Received: outputPadding=\[1,0,1\], strides=\[2,2,1\]\. Lower outputPadding below the stride, or raise strides\./],
    [{ filters: 2, kernelSize: 3, strides: 2, outputPadding: [1, 1] }, /Conv3DTranspose layer 't': outputPadding must be null, a non-negative integer or a list of 3 of them\. Received: outputPadding=\[1,1\]\./],
    [{ filters: 2, kernelSize: 3, strides: 2, outputPadding: 0.5 }, /outputPadding must be null, a non-negative integer or a list of 3 of them\. Received: outputPadding=0\.5\./],
    [{ filters: 2, kernelSize: 3, strides: [1, 2, 1], dilationRate: 2 }, /Conv3DTranspose layer 't': strides above 1 cannot be combined with dilationRate above 1 \(as in Keras\)\. Received: strides=\[1,2,1\], dilationRate=\[2,2,2\]\./],
    [{ filters: 2, kernelSize: 3, padding: 'causal' }, /Layer 't': padding must be 'valid' or 'same'\. Received: padding="causal"\./],
    [{ filters: 2, kernelSize: 3, dataFormat: 'NCDHW' }, /dataFormat must be 'channelsLast' .* or 'channelsFirst' .*\. Received: dataFormat="NCDHW"/],
    [{ filters: 2, kernelSize: 3, output_padding: 1 }, /km\.layers\.conv3dTranspose has no option 'output_padding'; did you mean 'outputPadding'\?/],
  ])('%j', (args, message) => {
    expect(() => km.layers.conv3dTranspose({ name: 't', ...(args as km.layers.Conv3DTransposeArgs) })).toThrow(message);
  });

  it('rejects an input without a channels axis, naming the fix', () => {
    expect(() => km.sequential([km.layers.conv3dTranspose({ filters: 2, kernelSize: 3, inputShape: [4, 8, 8], name: 't' })]))
      .toThrow(/Conv3DTranspose layer 't' expects inputs of shape \(None, depth, height, width, channels\), but received \(None, 4, 8, 8\)\. Add a channels axis, e\.g\. km\.layers\.reshape\(\{ targetShape: \[4, 8, 8, 1\] \}\)/);
  });

  it('accepts what Keras writes: outputPadding null, dilationRate 1, channels_last', () => {
    const layer = km.layers.conv3dTranspose({ filters: 2, kernelSize: 3, outputPadding: null, dilationRate: [1, 1, 1], dataFormat: 'channels_last' as 'channelsLast' });
    expect(layer.getConfig()).not.toHaveProperty('dilationRate');
    expect(layer.getConfig()).not.toHaveProperty('outputPadding');
  });
});

describe('Conv1DTranspose options: each bad one is an error naming what was received and the fix', () => {
  it.each([
    [{ filters: 2, kernelSize: [3, 3] }, /Conv1DTranspose layer 't': kernelSize must be a positive integer or a list of one\. Received: kernelSize=\[3,3\]\./],
    [{ filters: 2, kernelSize: 3, padding: 'causal' }, /Conv1DTranspose layer 't': padding must be 'valid' or 'same'\. Received: padding="causal"\./],
    [{ filters: 2, kernelSize: 3, strides: 2, outputPadding: 2 }, /Conv1DTranspose layer 't': each outputPadding must be smaller than its stride \(as in Keras\)\. Received: outputPadding=2, strides=\[2\]\./],
    [{ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }, /Conv1DTranspose layer 't': strides above 1 cannot be combined with dilationRate above 1 \(as in Keras\)\. Received: strides=\[2\], dilationRate=\[2\]\./],
    [{ filters: 2, kernelSize: 3, dataFormat: 'NCW' }, /dataFormat must be 'channelsLast' .* or 'channelsFirst' .*\. Received: dataFormat="NCW"/],
    [{ filters: 2, kernelSize: 3, kernel_size: 3 }, /km\.layers\.conv1dTranspose has no option 'kernel_size'; did you mean 'kernelSize'\?/],
  ])('%j', (args, message) => {
    expect(() => km.layers.conv1dTranspose({ name: 't', ...(args as km.layers.Conv1DTransposeArgs) })).toThrow(message);
  });

  it('rejects a sequence without a channels axis, naming the fix', () => {
    expect(() => km.sequential([km.layers.conv1dTranspose({ filters: 2, kernelSize: 3, inputShape: [16], name: 't' })]))
      .toThrow(/Conv1DTranspose layer 't' expects inputs of shape \(None, steps, channels\), but received \(None, 16\)\. Add a channels axis, e\.g\. km\.layers\.reshape\(\{ targetShape: \[16, 1\] \}\)/);
  });
});

describe('summary', () => {
  it('lists Conv1DTranspose and Conv3DTranspose with their output shapes and parameter counts', () => {
    const volumes = km.sequential([km.layers.conv3dTranspose({ filters: 4, kernelSize: [3, 3, 2], strides: [1, 2, 2], padding: 'same', inputShape: [4, 8, 8, 2], name: 'up3' })]);
    const sequences = km.sequential([km.layers.conv1dTranspose({ filters: 3, kernelSize: 5, strides: 2, inputShape: [10, 4], name: 'up1' })]);
    const lines: string[] = [];
    volumes.summary(undefined, undefined, (line) => lines.push(line));
    sequences.summary(undefined, undefined, (line) => lines.push(line));
    // Kernel 3·3·2·4·2 + bias 4 = 148; kernel 5·3·4 + bias 3 = 63, 'valid': 10·2 + max(5 − 2, 0) = 23 steps.
    expect(lines.find((l) => l.includes('up3 (Conv3DTranspose)'))).toMatch(/\(None, 4, 16, 16, 4\)\s+148$/);
    expect(lines.find((l) => l.includes('up1 (Conv1DTranspose)'))).toMatch(/\(None, 23, 3\)\s+63$/);
  });
});
