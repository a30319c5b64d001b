import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());


describe('3-D layers: output shapes', () => {
  it.each([
    ['conv3d valid', () => km.layers.conv3d({ filters: 4, kernelSize: [3, 2, 1] }), [5, 6, 7, 2], [3, 5, 7, 4]],
    ['conv3d same stride 2', () => km.layers.conv3d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), [5, 6, 7, 2], [3, 3, 4, 3]],
    ['conv3d dilation', () => km.layers.conv3d({ filters: 1, kernelSize: 2, dilationRate: [2, 1, 3] }), [5, 6, 7, 2], [3, 5, 4, 1]],
    ['maxPooling3d default', () => km.layers.maxPooling3d(), [5, 6, 7, 2], [2, 3, 3, 2]],
    ['averagePooling3d same', () => km.layers.averagePooling3d({ poolSize: 3, strides: [1, 2, 3], padding: 'same' }), [5, 6, 7, 2], [5, 3, 3, 2]],
    ['globalMaxPooling3d', () => km.layers.globalMaxPooling3d(), [5, 6, 7, 2], [2]],
    ['globalAveragePooling3d', () => km.layers.globalAveragePooling3d(), [5, 6, 7, 2], [2]],
    ['zeroPadding3d default', () => km.layers.zeroPadding3d(), [5, 6, 7, 2], [7, 8, 9, 2]],
    ['cropping3D per axis', () => km.layers.cropping3D({ cropping: [1, 0, 2] }), [5, 6, 7, 2], [3, 6, 3, 2]],
    ['upSampling3d', () => km.layers.upSampling3d({ size: [1, 2, 3] }), [5, 6, 7, 2], [5, 12, 21, 2]],
  ] as const)('%s', (_, make, input, expected) => {
    const model = km.sequential([km.layers.reshape({ targetShape: [...input], inputShape: [input.reduce((a, b) => a * b, 1)] }), make() as km.layers.Layer]);
    expect(model.outputs[0].shape).toEqual(expected);
  });
});

describe('3-D layers: bad input gets a clear error', () => {
  it('option errors name what was received and what is expected', () => {
    expect(() => km.layers.conv3d({ name: 'c', filters: 2, kernelSize: [3, 3] as unknown as number })).toThrow("Conv3D layer 'c': kernelSize must be a positive integer or a list of three (depth, height, width). Received: kernelSize=[3,3].");
    expect(() => km.layers.conv3d({ name: 'c', filters: 0, kernelSize: 3 })).toThrow("Conv3D layer 'c': filters must be a positive integer. Received: filters=0.");
    expect(() => km.layers.conv3d({ name: 'c', filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow("Conv3D layer 'c': strides above 1 cannot be combined with dilationRate above 1 (as in Keras). Received: strides=[2,2,2], dilationRate=[2,2,2].");
    expect(() => km.layers.conv3d({ name: 'c', filters: 2, kernelSize: 3, padding: 'causal' as 'same' })).toThrow("Layer 'c': padding must be 'valid' or 'same'. Received: padding=\"causal\".");
    expect(() => km.layers.conv3d({ name: 'c', filters: 2, kernelSize: 3, dataFormat: 'NCDHW' as 'channelsLast' })).toThrow("Layer 'c': dataFormat must be 'channelsLast' ([n, ..., channels]) or 'channelsFirst' ([n, channels, ...]). Received: dataFormat=\"NCDHW\".");
    expect(() => km.layers.maxPooling3d({ name: 'p', poolSize: -1 })).toThrow("MaxPooling3D layer 'p': poolSize must be a positive integer or a list of three (depth, height, width). Received: poolSize=-1.");
    expect(() => km.layers.averagePooling3d({ name: 'p', strides: [1, 2] as unknown as number })).toThrow("AveragePooling3D layer 'p': strides must be a positive integer or a list of three (depth, height, width). Received: strides=[1,2].");
    expect(() => km.layers.globalAveragePooling3d({ name: 'g', dataFormat: 'channels_middle' as 'channelsLast' })).toThrow("dataFormat must be 'channelsLast' ([n, ..., channels]) or 'channelsFirst'");
    expect(() => km.layers.zeroPadding3d({ name: 'z', padding: [1, 2] as unknown as number })).toThrow("ZeroPadding3D layer 'z': padding must be a non-negative integer, [depth, rows, cols], or [[front, back], [top, bottom], [left, right]]. Received: padding=[1,2].");
    expect(() => km.layers.cropping3D({ name: 'k', cropping: -1 })).toThrow("Cropping3D layer 'k': cropping must be a non-negative integer");
    expect(() => km.layers.upSampling3d({ name: 'u', size: 0 })).toThrow("UpSampling3D layer 'u': size must be a positive integer or a list of three (depth, height, width). Received: size=0.");
    expect(() => km.layers.conv3d({ filters: 2, kernelSize: 3, kernalSize: 3 } as unknown as km.layers.Conv3DArgs)).toThrow("km.layers.conv3d has no option 'kernalSize'");
  });

  it('shape errors: a missing depth or channels axis, a window bigger than the volume, cropping everything', () => {
    expect(() => km.sequential([km.layers.conv3d({ name: 'c', filters: 2, kernelSize: 3, inputShape: [8, 8, 8] })])).toThrow("Conv3D layer 'c' expects inputs of shape (None, depth, height, width, channels), but received (None, 8, 8, 8). Add a channels axis, e.g. km.layers.reshape({ targetShape: [8, 8, 8, 1] }).");
    expect(() => km.sequential([km.layers.maxPooling3d({ name: 'p', inputShape: [8, 8] })])).toThrow("MaxPooling3D layer 'p' expects inputs of shape (None, depth, height, width, channels), but received (None, 8, 8). Give each sample as [depth (frames), height, width, channels].");
    expect(() => km.sequential([km.layers.conv3d({ name: 'c', filters: 2, kernelSize: [5, 3, 3], inputShape: [4, 8, 8, 1] })])).toThrow("Layer 'c': the input (None, 4, 8, 8, 1) is smaller than its 5x3x3 window with 'valid' padding, so the output would be empty. Use padding: 'same', a smaller kernel or pool size, or a larger input.");
    expect(() => km.sequential([km.layers.averagePooling3d({ name: 'p', poolSize: [1, 9, 1], inputShape: [4, 8, 8, 1] })])).toThrow("smaller than its 1x9x1 window");
    expect(() => km.sequential([km.layers.cropping3D({ name: 'k', cropping: [2, 0, 0], inputShape: [4, 8, 8, 1] })])).toThrow("Cropping3D layer 'k' crops [[2,2],[0,0],[0,0]] from (None, 4, 8, 8, 1), which leaves 0x8x8 voxels. Crop less than the input: at most 3 planes, 7 rows and 7 columns in all.");
    for (const layer of [km.layers.globalMaxPooling3d({ name: 'g' }), km.layers.zeroPadding3d({ name: 'g' }), km.layers.upSampling3d({ name: 'g' })]) {
      expect(() => km.sequential([km.layers.reshape({ targetShape: [4, 4, 4], inputShape: [64] }), layer])).toThrow(`layer 'g' expects inputs of shape (None, depth, height, width, channels)`);
    }
  });
});
