import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

function kernelOf(layer: km.layers.Layer): number[] {
  return Array.from(layer.getWeights()[0].dataSync());
}

function denseKernel(kernelInitializer: km.layers.InitializerSpec, inputs = 5, units = 3): number[] {
  const layer = km.layers.dense({ units, kernelInitializer });
  layer.apply(km.input({ shape: [inputs] }));
  return kernelOf(layer);
}

/** A config without its null seed, as tfjs' getConfig() leaves an unset seed out. */
function withoutNullSeed({ className, config }: km.initializers.InitializerConfig) {
  return { className, config: Object.fromEntries(Object.entries(config).filter(([key, value]) => !(key === 'seed' && value === null))) };
}

describe('km.initializers, the factories tfjs programs call', () => {
  it('give the class and config that tfjs gives for the same call', () => {
    const pairs: [km.initializers.InitializerConfig, { getClassName(): string; getConfig(): object }][] = [
      [km.initializers.zeros(), tfl.initializers.zeros()],
      [km.initializers.ones(), tfl.initializers.ones()],
      [km.initializers.constant({ value: 0.25 }), tfl.initializers.constant({ value: 0.25 })],
      [km.initializers.randomUniform({ minval: -1, seed: 3 }), tfl.initializers.randomUniform({ minval: -1, seed: 3 })],
      [km.initializers.randomNormal({ stddev: 2 }), tfl.initializers.randomNormal({ stddev: 2 })],
      [km.initializers.truncatedNormal({ mean: 1 }), tfl.initializers.truncatedNormal({ mean: 1 })],
      [km.initializers.identity({ gain: 2 }), tfl.initializers.identity({ gain: 2 })],
      [km.initializers.orthogonal({ gain: 3, seed: 5 }), tfl.initializers.orthogonal({ gain: 3, seed: 5 })],
      [km.initializers.varianceScaling({ scale: 3, mode: 'fanOut', distribution: 'uniform', seed: 9 }), tfl.initializers.varianceScaling({ scale: 3, mode: 'fanOut', distribution: 'uniform', seed: 9 })],
      [km.initializers.varianceScaling(), tfl.initializers.varianceScaling({})],
      [km.initializers.glorotUniform({ seed: 1 }), tfl.initializers.glorotUniform({ seed: 1 })],
      [km.initializers.glorotNormal(), tfl.initializers.glorotNormal({})],
      [km.initializers.heUniform(), tfl.initializers.heUniform({})],
      [km.initializers.heNormal(), tfl.initializers.heNormal({})],
      [km.initializers.leCunUniform(), tfl.initializers.leCunUniform({})],
      [km.initializers.leCunNormal(), tfl.initializers.leCunNormal({})],
    ];
    for (const [ours, theirs] of pairs) {
      expect(withoutNullSeed(ours)).toEqual({ className: theirs.getClassName(), config: theirs.getConfig() });
    }
  });

  it('draw what the same initializer given by name draws', () => {
    km.utils.setRandomSeed(4);
    const byName = denseKernel('heNormal');
    km.utils.setRandomSeed(4);
    expect(denseKernel(km.initializers.heNormal())).toEqual(byName);
  });

  it('take Keras snake_case mode and distribution values and give them in camelCase', () => {
    const config = km.initializers.varianceScaling({ mode: 'fan_avg', distribution: 'truncated_normal' }).config;
    expect([config.mode, config.distribution]).toEqual(['fanAvg', 'truncatedNormal']);
  });
});

describe("initializer class names and tfjs' varianceScaling given as names, as tfjs takes them", () => {
  it("draw what the camelCase name draws, and give the config tfjs' layer gives", () => {
    for (const [className, name] of [['GlorotNormal', 'glorotNormal'], ['HeNormal', 'heNormal'], ['LeCunUniform', 'leCunUniform'], ['Zeros', 'zeros'], ['VarianceScaling', 'lecunNormal'], ['varianceScaling', 'lecunNormal'], ['TruncatedNormal', 'truncatedNormal']] as const) {
      km.utils.setRandomSeed(3);
      const byName = denseKernel(name);
      km.utils.setRandomSeed(3);
      expect(denseKernel(className)).toEqual(byName);
      const ours = km.layers.dense({ units: 2, kernelInitializer: className }).getConfig().kernelInitializer as km.initializers.InitializerConfig;
      const theirs = tfl.layers.dense({ units: 2, kernelInitializer: className }).getConfig().kernelInitializer as unknown as { className: string; config: object };
      expect(withoutNullSeed(ours)).toEqual(withoutNullSeed(theirs as km.initializers.InitializerConfig));
    }
  });
});

describe('a seeded initializer', () => {
  it('fills every weight it is given with the same values, whatever the global seed', () => {
    km.utils.setRandomSeed(1);
    const first = denseKernel(km.initializers.glorotUniform({ seed: 7 }));
    km.utils.setRandomSeed(2);
    const again = denseKernel(km.initializers.glorotUniform({ seed: 7 }));
    const other = denseKernel(km.initializers.glorotUniform({ seed: 8 }));
    const unseeded = [denseKernel('glorotUniform'), denseKernel('glorotUniform')];
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(unseeded[1]).not.toEqual(unseeded[0]);
    const limit = Math.sqrt(6 / (5 + 3));
    expect(first.every((v) => Math.abs(v) <= limit)).toBe(true);
  });

  it('keeps its seed in the layer config, so a layer made from the config draws the same weights', () => {
    const layer = km.layers.dense({ units: 3, kernelInitializer: km.initializers.randomNormal({ stddev: 1, seed: 11 }) });
    layer.apply(km.input({ shape: [4] }));
    const config = layer.getConfig();
    expect(config.kernelInitializer).toEqual({ className: 'RandomNormal', config: { mean: 0, stddev: 1, seed: 11 } });
    const copy = km.layers.layerFromConfig('Dense', { ...config, name: 'copy' });
    copy.apply(km.input({ shape: [4] }));
    expect(kernelOf(copy)).toEqual(kernelOf(layer));
  });

  it('refuses a seed that is not an integer, when it is made', () => {
    expect(() => km.initializers.heUniform({ seed: 1.5 })).toThrow("Initializer VarianceScaling's seed must be an integer or null. Received: seed=1.5.");
    expect(() => denseKernel({ className: 'RandomUniform', config: { seed: 'abc' } })).toThrow("Initializer RandomUniform's seed must be an integer or null. Received: seed=\"abc\".");
  });
});

describe('the Identity initializer', () => {
  it('gives gain times the identity, for square and rectangular kernels', () => {
    for (const [rows, cols] of [[3, 3], [4, 2], [2, 5]]) {
      const expected = Array.from({ length: rows * cols }, (_, i) => (Math.floor(i / cols) === i % cols ? 2.5 : 0));
      expect(denseKernel(km.initializers.identity({ gain: 2.5 }), rows, cols)).toEqual(expected);
    }
    expect(denseKernel('identity', 2, 2)).toEqual([1, 0, 0, 1]);
  });

  it('names the problem when given a weight that is not 2-D', () => {
    const conv = km.layers.conv2d({ filters: 2, kernelSize: 3, kernelInitializer: km.initializers.identity() });
    expect(() => conv.apply(km.input({ shape: [8, 8, 1] }))).toThrow('The Identity initializer needs a 2-D weight. Received: shape=[3, 3, 1, 2]. Use it for a Dense kernel or a recurrent kernel, not for a convolution kernel.');
  });
});

describe('km.initializers refuses bad arguments when called', () => {
  it('names an unknown option, a missing constant and a bad mode', () => {
    expect(() => km.initializers.glorotUniform({ sead: 1 } as km.initializers.SeedArgs)).toThrow("km.initializers.glorotUniform has no option 'sead'; did you mean 'seed'? Its options are: seed.");
    expect(() => km.initializers.constant(undefined as unknown as { value: number })).toThrow('km.initializers.constant needs the value to fill with, e.g. km.initializers.constant({ value: 0.1 }).');
    expect(() => km.initializers.varianceScaling({ mode: 'fanMid' as 'fanIn' })).toThrow(/VarianceScaling mode must be 'fanIn', 'fanOut' or 'fanAvg'.*Received: mode="fanMid"\./);
  });
});
