import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Keras 3 saves Orthogonal and Identity under their classes' own names, OrthogonalInitializer and IdentityInitializer.

beforeAll(() => km.ready());

/** The kernel a Dense layer of 3 inputs draws with `kernelInitializer`. */
function denseKernel(kernelInitializer: km.initializers.InitializerSpec, units = 4): Float32Array {
  const model = km.sequential([km.layers.dense({ units, inputShape: [3], kernelInitializer })]);
  return model.getWeights()[0].dataSync() as Float32Array;
}

describe("Keras 3's initializer class names", () => {
  it('OrthogonalInitializer draws what Orthogonal draws for the same seed and gain', () => {
    const keras3 = denseKernel({ className: 'OrthogonalInitializer', config: { gain: 1.5, seed: 7 } });
    expect(Array.from(keras3)).toEqual(Array.from(denseKernel({ className: 'Orthogonal', config: { gain: 1.5, seed: 7 } })));
    // Another seed draws otherwise, so the equality above is the seed's, not a constant's.
    expect(Array.from(keras3)).not.toEqual(Array.from(denseKernel({ className: 'OrthogonalInitializer', config: { gain: 1.5, seed: 8 } })));
    // 3 rows of 4: the rows are orthogonal, of norm gain (kernel·kernelᵀ = gain²·I).
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let dot = 0;
        for (let k = 0; k < 4; k++) dot += keras3[i * 4 + k] * keras3[j * 4 + k];
        expect(dot).toBeCloseTo(i === j ? 2.25 : 0, 5);
      }
    }
  });

  it('IdentityInitializer is gain times the identity, as Identity is', () => {
    const keras3 = denseKernel({ className: 'IdentityInitializer', config: { gain: 2 } }, 3);
    expect(Array.from(keras3)).toEqual(Array.from(denseKernel({ className: 'Identity', config: { gain: 2 } }, 3)));
    expect(Array.from(keras3)).toEqual([2, 0, 0, 0, 2, 0, 0, 0, 2]);
  });

  it("are names too, and save under tfjs' class names, which tfjs and Keras 2 read", () => {
    expect(Array.from(denseKernel('OrthogonalInitializer'))).toHaveLength(12);
    const dense = km.layers.dense({ units: 2, kernelInitializer: { className: 'OrthogonalInitializer', config: { gain: 1, seed: 3 } }, biasInitializer: { className: 'IdentityInitializer', config: { gain: 1 } } });
    expect(dense.getConfig().kernelInitializer).toEqual({ className: 'Orthogonal', config: { gain: 1, seed: 3 } });
    expect(dense.getConfig().biasInitializer).toEqual({ className: 'Identity', config: { gain: 1 } });
  });

  it('refuse a key their class does not take, as Orthogonal does', () => {
    expect(() => denseKernel({ className: 'OrthogonalInitializer', config: { gian: 1 } })).toThrow("the OrthogonalInitializer initializer's config has no key 'gian'; did you mean 'gain'?");
  });
});

describe('an LSTM saved by Keras 3, its recurrent initializer an OrthogonalInitializer', () => {
  const orthogonal = (className: string) => ({ module: 'keras.initializers', class_name: className, config: { gain: 1.0, seed: 11 }, registered_name: null });
  const lstm = (className: string) => ({
    name: 'lstm', trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
    units: 2, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, unit_forget_bias: true,
    kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: 5 }, registered_name: null },
    recurrent_initializer: orthogonal(className), bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
    kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, recurrent_constraint: null, bias_constraint: null,
    dropout: 0.0, recurrent_dropout: 0.0, seed: null, return_sequences: false, return_state: false, go_backwards: false, stateful: false, unroll: false, zero_output_for_mask: false,
  });
  const weightsOf = (model: km.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

  it('loads through km.layers.layerFromConfig, drawing the recurrent kernel Orthogonal draws', () => {
    const fromKeras3 = km.sequential([km.layers.layerFromConfig('LSTM', { ...lstm('OrthogonalInitializer'), batch_input_shape: [null, 4, 3] })]);
    const fromTfjsName = km.sequential([km.layers.layerFromConfig('LSTM', { ...lstm('Orthogonal'), batch_input_shape: [null, 4, 3] })]);
    expect(weightsOf(fromKeras3)).toEqual(weightsOf(fromTfjsName));
  });

  it('loads from a model.json, without a warning', () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => void warnings.push(message);
    try {
      const topology = (className: string) => ({
        module: 'keras', class_name: 'Sequential', registered_name: null,
        config: {
          name: 'sequential', layers: [
            { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4, 3], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null },
            { module: 'keras.layers', class_name: 'LSTM', config: lstm(className), registered_name: null, build_config: { input_shape: [null, 4, 3] } },
          ],
        },
      });
      const model = km.models.modelFromJSON(topology('OrthogonalInitializer'));
      expect(weightsOf(model)).toEqual(weightsOf(km.models.modelFromJSON(topology('Orthogonal'))));
      expect(model.predict(km.zeros([1, 4, 3])).shape).toEqual([1, 2]);
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([]);
  });
});
