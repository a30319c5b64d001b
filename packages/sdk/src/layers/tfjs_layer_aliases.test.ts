import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

// tf.layers names kerasm has no layer for.
const NO_TARGET: string[] = [];

describe("tfjs' layer factory names", () => {
  it('every tf.layers factory name exists in km.layers, except those without a kerasm layer', () => {
    const missing = Object.keys(tfl.layers).filter((name) => !(name in km.layers));
    expect(missing).toEqual(NO_TARGET);
  });

  it('the pooling aliases are the same functions as their targets, as in tfjs', () => {
    const pairs: [string, string][] = [
      ['maxPool1d', 'maxPooling1d'], ['maxPool2d', 'maxPooling2d'], ['avgPool1d', 'averagePooling1d'], ['avgPooling1d', 'averagePooling1d'],
      ['avgPool2d', 'averagePooling2d'], ['avgPooling2d', 'averagePooling2d'], ['avgPool3d', 'averagePooling3d'], ['avgPooling3d', 'averagePooling3d'],
      ['globalMaxPool1d', 'globalMaxPooling1d'], ['globalMaxPool2d', 'globalMaxPooling2d'],
    ];
    const ours = km.layers as unknown as Record<string, unknown>;
    const theirs = tfl.layers as unknown as Record<string, (args: object) => tfl.layers.Layer>;
    for (const [alias, target] of pairs) {
      // tfjs' aliases are wrappers: they make the target's layer class.
      expect(theirs[alias]({ poolSize: 2 }).getClassName()).toBe(theirs[target]({ poolSize: 2 }).getClassName());
      expect(ours[alias]).toBe(ours[target]);
    }
    expect(km.layers.input).toBe(km.input);
  });

  it('a model written with the tfjs names builds', () => {
    const model = km.sequential([km.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [8, 8, 1] }), km.layers.maxPool2d({ poolSize: 2 }), km.layers.globalMaxPool2d()]);
    expect(model.outputShape).toEqual([2]);
  });
});
