// Saved initializer, regularizer and constraint configs: every key tfjs 4.22 and Keras 3 write is
// read, and a key the class does not take is refused (Keras raises on it) instead of ignored.
import '@tensorflow/tfjs-backend-cpu';
// tfjs' Orthogonal initializer calls chained ops (rMat.flatten()) when it builds a layer.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { CONFIG_KEYS as CONSTRAINT_KEYS } from '../constraints/constraints.js';
import { CONFIG_KEYS as INITIALIZER_KEYS } from '../initializers/initializers.js';
import { CONFIG_KEYS as REGULARIZER_KEYS } from '../regularizers/regularizers.js';

beforeAll(() => km.ready());

type Saved = { className: string; config: Record<string, unknown> };
const tfjsSaved = (object: { getClassName(): string; getConfig(): object }): Saved => ({ className: object.getClassName(), config: object.getConfig() as Record<string, unknown> });

/** tfjs 4.22's initializer of each class it saves under that class's name. */
const TFJS_INITIALIZERS = {
  Zeros: tfl.initializers.zeros(),
  Ones: tfl.initializers.ones(),
  Constant: tfl.initializers.constant({ value: 0.5 }),
  RandomUniform: tfl.initializers.randomUniform({ minval: -2, maxval: 3, seed: 7 }),
  RandomNormal: tfl.initializers.randomNormal({ mean: 1, stddev: 2, seed: 7 }),
  TruncatedNormal: tfl.initializers.truncatedNormal({ mean: 1, stddev: 2, seed: 7 }),
  Orthogonal: tfl.initializers.orthogonal({ gain: 2, seed: 7 }),
  Identity: tfl.initializers.identity({ gain: 3 }),
  VarianceScaling: tfl.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'uniform', seed: 7 }),
};

/** Each initializer class as tfjs 4.22 serializes it, or, for the classes tfjs saves as VarianceScaling, as Keras 3 (and TF 1.x, with a dtype) does. */
const INITIALIZERS: Record<string, Saved[]> = {
  ...Object.fromEntries(Object.entries(TFJS_INITIALIZERS).map(([className, initializer]) => [className, [tfjsSaved(initializer)]])),
  Zeros: [tfjsSaved(TFJS_INITIALIZERS.Zeros), { className: 'Zeros', config: { dtype: 'float32' } }],
  VarianceScaling: [
    tfjsSaved(TFJS_INITIALIZERS.VarianceScaling),
    { className: 'VarianceScaling', config: { scale: 2, mode: 'fan_avg', distribution: 'untruncated_normal', seed: 7 } },
    { className: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null, dtype: 'float32' } },
  ],
  ...Object.fromEntries(['GlorotUniform', 'GlorotNormal', 'HeUniform', 'HeNormal', 'LecunUniform', 'LecunNormal', 'LeCunUniform', 'LeCunNormal'].map((c) => [c, [{ className: c, config: { seed: 7 } }, { className: c, config: { seed: null, dtype: 'float32' } }]])),
};

const REGULARIZERS: Record<string, Saved[]> = {
  L1L2: [tfjsSaved(tfl.regularizers.l1l2({ l1: 0.1, l2: 0.2 }))],
  // tfjs saves its l1 and l2 as L1L2; Keras 3 writes these classes.
  L1: [{ className: 'L1', config: { l1: 0.1 } }],
  L2: [{ className: 'L2', config: { l2: 0.2 } }],
};

const CONSTRAINTS: Record<string, Saved[]> = {
  MaxNorm: [tfjsSaved(tfl.constraints.maxNorm({ maxValue: 3, axis: 1 })), { className: 'MaxNorm', config: { max_value: 3, axis: 1 } }],
  NonNeg: [tfjsSaved(tfl.constraints.nonNeg())],
  UnitNorm: [tfjsSaved(tfl.constraints.unitNorm({ axis: 1 }))],
  MinMaxNorm: [tfjsSaved(tfl.constraints.minMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.5, axis: 1 })), { className: 'MinMaxNorm', config: { min_value: 0.5, max_value: 2, rate: 0.5, axis: 1 } }],
};

const denseConfig = (args: Partial<km.layers.DenseArgs>) => km.layers.dense({ units: 3, ...args }).getConfig() as Record<string, Saved | null>;
/** A 40×50 Dense kernel drawn with `kernelInitializer`. */
const kernel = (kernelInitializer: Saved) => Array.from(km.sequential([km.layers.dense({ units: 50, inputShape: [40], kernelInitializer: kernelInitializer as km.initializers.InitializerConfig })]).getWeights()[0].dataSync());
const meanAndStd = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return [mean, Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length)];
};

describe('saved initializer configs', () => {
  it('cover every class kerasm has', () => expect(Object.keys(INITIALIZERS).sort()).toEqual(Object.keys(INITIALIZER_KEYS).sort()));

  it("are read with every key tfjs 4.22 and Keras 3 write, and the layer's getConfig() round-trips", () => {
    for (const [className, saved] of Object.entries(INITIALIZERS)) {
      for (const spec of saved) {
        const first = denseConfig({ kernelInitializer: spec as km.initializers.InitializerConfig }).kernelInitializer!;
        expect(first.className, className).toBe(className);
        expect(denseConfig({ kernelInitializer: first as km.initializers.InitializerConfig }).kernelInitializer, className).toEqual(first);
      }
      // The first form of each class (tfjs' config where tfjs saves that class) is given back as it is.
      if (saved[0].className === className && !Object.hasOwn(saved[0].config, 'dtype')) {
        expect(denseConfig({ kernelInitializer: saved[0] as km.initializers.InitializerConfig }).kernelInitializer, className).toEqual(saved[0]);
      }
    }
  });

  it("draw with the values tfjs' config holds (2000 draws: mean and spread within 0.1 of the config's)", () => {
    const [mean, std] = meanAndStd(kernel(INITIALIZERS.RandomNormal[0]));
    expect(Math.abs(mean - 1)).toBeLessThan(0.1);
    expect(Math.abs(std - 2)).toBeLessThan(0.1);
    const uniform = kernel(INITIALIZERS.RandomUniform[0]);
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(-2);
    expect(Math.min(...uniform)).toBeLessThan(-1.9);
    expect(Math.max(...uniform)).toBeGreaterThan(2.9);
  });

  it("refuse a misspelt key, naming the class, the key, the one meant and the fix, where Keras raises (this one used to draw at the default stddev)", () => {
    const make = () => km.layers.dense({ name: 'd', units: 3, kernelInitializer: { className: 'RandomNormal', config: { stdev: 100 } } });
    expect(make).toThrow(
      "Dense layer 'd' kernelInitializer: the RandomNormal initializer's config has no key 'stdev'; did you mean 'stddev'? RandomNormal takes: mean, stddev, seed. Rename 'stdev' to 'stddev': { className: 'RandomNormal', config: {\"stddev\":100} }.",
    );
  });

  it('refuse an unknown key of every class, with the did-you-mean of a near spelling', () => {
    for (const [className, keys] of Object.entries(INITIALIZER_KEYS)) {
      expect(() => km.layers.dense({ units: 3, kernelInitializer: { className, config: { bogusKey: 1 } } }), className).toThrow(`the ${className} initializer's config has no key 'bogusKey'. `);
      for (const key of keys) {
        const typo = `${key}x`;
        expect(() => km.layers.dense({ units: 3, kernelInitializer: { className, config: { [typo]: 1 } } }), typo).toThrow(`did you mean '${key}'?`);
      }
    }
    expect(() => km.layers.dense({ units: 3, biasInitializer: { className: 'Zeros', config: { value: 1 } } })).toThrow("the Zeros initializer's config has no key 'value'. Zeros takes no config keys. Remove 'value': { className: 'Zeros', config: {} }.");
  });

  it('are checked in every layer that takes an initializer, naming the layer and option', () => {
    const bad = { className: 'Orthogonal', config: { gian: 2 } };
    expect(() => km.layers.lstm({ name: 'l', units: 2, recurrentInitializer: bad })).toThrow("LSTM layer 'l' recurrentInitializer: the Orthogonal initializer's config has no key 'gian'; did you mean 'gain'?");
    expect(() => km.layers.batchNormalization({ name: 'bn', gammaInitializer: { className: 'Constant', config: { val: 2 } } })).toThrow("BatchNormalization layer 'bn' gammaInitializer: the Constant initializer's config has no key 'val'; did you mean 'value'?");
    expect(() => km.layers.embedding({ name: 'e', inputDim: 3, outputDim: 2, embeddingsInitializer: { className: 'RandomUniform', config: { min_val: 0 } } })).toThrow("Embedding layer 'e' embeddingsInitializer: the RandomUniform initializer's config has no key 'min_val'; did you mean 'minval'?");
  });
});

describe('saved regularizer and constraint configs', () => {
  it('cover every class kerasm has', () => {
    expect(Object.keys(REGULARIZERS).sort()).toEqual(Object.keys(REGULARIZER_KEYS).sort());
    expect(Object.keys(CONSTRAINTS).sort()).toEqual(Object.keys(CONSTRAINT_KEYS).sort());
  });

  it("are read as tfjs 4.22 and Keras 3 write them, giving tfjs' getConfig(), which round-trips", () => {
    for (const [className, saved] of Object.entries(REGULARIZERS)) {
      for (const spec of saved) {
        const ours = denseConfig({ kernelRegularizer: spec }).kernelRegularizer!;
        const { l1 = 0, l2 = 0 } = spec.config as { l1?: number; l2?: number };
        expect(ours, className).toEqual(tfjsSaved(tfl.regularizers.l1l2({ l1, l2 })));
        expect(denseConfig({ kernelRegularizer: ours }).kernelRegularizer, className).toEqual(ours);
      }
    }
    for (const [className, saved] of Object.entries(CONSTRAINTS)) {
      for (const spec of saved) {
        const ours = denseConfig({ kernelConstraint: spec as km.constraints.Constraint }).kernelConstraint!;
        expect(ours, className).toEqual(saved[0]);
        expect(denseConfig({ kernelConstraint: ours as km.constraints.Constraint }).kernelConstraint, className).toEqual(ours);
      }
    }
  });

  it('refuse a misspelt key, naming the layer option, the class, the key, the one meant and the fix', () => {
    expect(() => km.layers.dense({ name: 'd', units: 3, kernelRegularizer: { className: 'L1L2', config: { l1: 0.1, l3: 0.2 } } })).toThrow(
      "Dense layer 'd' kernelRegularizer: the L1L2 regularizer's config has no key 'l3'; did you mean 'l1'? L1L2 takes: l1, l2. Rename 'l3' to 'l1': { className: 'L1L2', config: {\"l1\":0.2} }.",
    );
    expect(() => km.layers.dense({ name: 'd', units: 3, kernelConstraint: { className: 'MaxNorm', config: { max_valu: 3 } } })).toThrow(
      "Dense layer 'd' kernelConstraint: the MaxNorm constraint's config has no key 'max_valu'; did you mean 'maxValue'? MaxNorm takes: maxValue, axis. Rename 'max_valu' to 'maxValue': { className: 'MaxNorm', config: {\"maxValue\":3} }.",
    );
    expect(() => km.layers.dense({ units: 3, biasConstraint: { className: 'NonNeg', config: { axis: 0 } } })).toThrow("the NonNeg constraint's config has no key 'axis'. NonNeg takes no config keys. Remove 'axis'");
    for (const [className, keys] of Object.entries({ ...REGULARIZER_KEYS, ...CONSTRAINT_KEYS })) {
      const option = className in REGULARIZER_KEYS ? 'kernelRegularizer' : 'kernelConstraint';
      for (const key of keys) expect(() => km.layers.dense({ units: 3, [option]: { className, config: { [`${key}x`]: 1 } } }), `${className}.${key}`).toThrow(`did you mean '${key}'?`);
    }
  });
});

describe('a config given to a tfjs layer first', () => {
  it("is read with the customObjects tfjs 4.22 writes into it, which getConfig() leaves out", () => {
    const specs = { kernelInitializer: { className: 'RandomNormal', config: { stddev: 2, seed: 1 } }, kernelRegularizer: { className: 'L1L2', config: { l1: 0.1 } }, kernelConstraint: { className: 'MaxNorm', config: { maxValue: 2 } } };
    tfl.layers.dense({ units: 3, ...specs } as never);
    expect(specs.kernelConstraint.config).toHaveProperty('customObjects');
    const config = denseConfig(specs as never);
    expect([config.kernelInitializer, config.kernelRegularizer, config.kernelConstraint]).toEqual([
      { className: 'RandomNormal', config: { stddev: 2, seed: 1 } },
      { className: 'L1L2', config: { l1: 0.1, l2: 0 } },
      { className: 'MaxNorm', config: { maxValue: 2, axis: 0 } },
    ]);
  });
});

describe('loading a model.json', () => {
  /** tfjs 4.22's model of Dense layers with each of its initializers, regularizers and constraints. */
  function tfjsModel(): tfl.Sequential {
    const layers = Object.values(TFJS_INITIALIZERS).map((kernelInitializer, i) => tfl.layers.dense({ units: 4, kernelInitializer, ...(i === 0 ? { inputShape: [4] } : {}) }));
    const constraints = [tfl.constraints.maxNorm({ maxValue: 3, axis: 1 }), tfl.constraints.nonNeg(), tfl.constraints.unitNorm({ axis: 1 }), tfl.constraints.minMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.5, axis: 1 })];
    for (const kernelConstraint of constraints) layers.push(tfl.layers.dense({ units: 4, kernelConstraint, kernelRegularizer: tfl.regularizers.l1l2({ l1: 0.1, l2: 0.2 }), biasRegularizer: tfl.regularizers.l2({ l2: 0.3 }) }));
    return tfl.sequential({ layers });
  }

  it("reads every initializer, regularizer and constraint config tfjs 4.22 writes, and gives tfjs' getConfig() back", () => {
    const theirs = tfjsModel();
    const ours = km.models.modelFromJSON(theirs.toJSON() as string).layers;
    expect(ours.length).toBe(theirs.layers.length);
    ours.forEach((layer, i) => {
      const [mine, tfjs] = [layer.getConfig() as Record<string, unknown>, theirs.layers[i].getConfig()];
      for (const key of ['kernelInitializer', 'biasInitializer', 'kernelConstraint', 'kernelRegularizer', 'biasRegularizer']) expect(mine[key] ?? null, `${i} ${key}`).toEqual(tfjs[key] ?? null);
    });
  });

  it('refuses a misspelt key, naming the layer, the weight option and the fix', () => {
    const json = tfjsModel().toJSON() as string;
    expect(() => km.models.modelFromJSON(json.replace('"stddev"', '"stdev"'))).toThrow(/layer 4 '\w+' \(Dense\): Dense layer '\w+' kernelInitializer: the RandomNormal initializer's config has no key 'stdev'; did you mean 'stddev'\? .* Rename 'stdev' to 'stddev'/);
    expect(() => km.models.modelFromJSON(json.replace('"max_value"', '"max_val"'))).toThrow(/layer 9 '\w+' \(Dense\): Dense layer '\w+' kernelConstraint: the MaxNorm constraint's config has no key 'maxVal'; did you mean 'maxValue'\?/);
  });
});
