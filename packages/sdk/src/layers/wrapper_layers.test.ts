import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { layerFromConfig } from './registry.js';

beforeAll(() => km.ready());

describe('Bidirectional: lifecycle', () => {
  it('owns a forward and a backward copy of the layer, each with its own weights named as tfjs names them', () => {
    const wrapped = km.layers.lstm({ name: 'words', units: 3 });
    const layer = km.layers.bidirectional({ name: 'both_ways', layer: wrapped });
    km.sequential([km.layers.embedding({ inputDim: 5, outputDim: 2, inputShape: [4] }), layer]);
    expect(layer.forwardLayer.goBackwards).toBe(false);
    expect(layer.backwardLayer.goBackwards).toBe(true);
    expect(layer.weightSpecs.map((w) => `${w.name} [${w.shape.join(',')}]`)).toEqual([
      'both_ways/forward_words/kernel [2,12]', 'both_ways/forward_words/recurrent_kernel [3,12]', 'both_ways/forward_words/bias [12]',
      'both_ways/backward_words/kernel [2,12]', 'both_ways/backward_words/recurrent_kernel [3,12]', 'both_ways/backward_words/bias [12]',
    ]);
    expect(layer.countParams()).toBe(2 * (2 * 12 + 3 * 12 + 12));
    const config = layer.getConfig();
    expect(config.mergeMode).toBe('concat');
    expect(config.layer).toEqual({ className: 'LSTM', config: wrapped.getConfig() });
  });

  it('summary() shows one row for the wrapper with both directions\' parameters and the merged shape', () => {
    const model = km.sequential([km.layers.bidirectional({ name: 'bi', layer: km.layers.gru({ units: 4, returnSequences: true }), inputShape: [6, 2] })]);
    const lines: string[] = [];
    model.summary(undefined, undefined, (line) => lines.push(line));
    const row = lines.find((l) => l.includes('bi (Bidirectional)'))!;
    expect(row).toMatch(/\(None, 6, 8\)\s+168$/);
  });

  it('mergeMode sum, mul and ave keep the direction\'s width; concat doubles it', () => {
    for (const [mergeMode, width] of [['concat', 8], ['sum', 4], ['mul', 4], ['ave', 4]] as const) {
      const model = km.sequential([km.layers.bidirectional({ layer: km.layers.simpleRNN({ units: 4 }), mergeMode, inputShape: [3, 2] })]);
      expect(model.outputs[0].shape).toEqual([width]);
    }
  });

  it('a given backwardLayer runs backwards under its own name, and computes what the default copy computes with the same weights', () => {
    const x = km.tensor(Float32Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.sin(i)), [2, 5, 3]);
    const byDefault = km.sequential([km.layers.bidirectional({ layer: km.layers.lstm({ units: 2 }), inputShape: [5, 3] })]);
    const given = km.layers.bidirectional({ layer: km.layers.lstm({ units: 2 }), backwardLayer: km.layers.lstm({ name: 'reader', units: 2, goBackwards: true }), inputShape: [5, 3] });
    const explicit = km.sequential([given]);
    expect(given.weightSpecs[3].name).toBe(`${given.name}/reader/kernel`);
    expect((given.getConfig().backwardLayer as { className: string }).className).toBe('LSTM');
    explicit.setWeights(byDefault.getWeights());
    expect(Array.from(explicit.predict(x).dataSync())).toEqual(Array.from(byDefault.predict(x).dataSync()));
  });

  it('apply on data computes with the weights the model holds, in the functional API too', () => {
    const layer = km.layers.bidirectional({ layer: km.layers.gru({ units: 3, returnSequences: true }), mergeMode: 'sum' });
    const input = km.input({ shape: [4, 2] });
    const model = km.model({ inputs: input, outputs: layer.apply(input) as km.SymbolicTensor });
    const x = km.tensor(Float32Array.from({ length: 3 * 4 * 2 }, (_, i) => Math.sin(i * 0.7)), [3, 4, 2]);
    expect(Array.from(layer.apply(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });

  it('trainable false on the wrapper freezes both directions', () => {
    const layer = km.layers.bidirectional({ layer: km.layers.lstm({ units: 2 }), inputShape: [3, 1] });
    const model = km.sequential([layer]);
    layer.trainable = false;
    expect(layer.weightSpecs.every((w) => !w.trainable)).toBe(true);
    expect(model.getWeights()).toHaveLength(6);
  });
});

describe('TimeDistributed: lifecycle', () => {
  it('plans the inner layer for batch·steps rows and names its weights time_distributed/<weight>', () => {
    const layer = km.layers.timeDistributed({ name: 'per_frame', layer: km.layers.conv2d({ filters: 2, kernelSize: 3 }), inputShape: [4, 5, 5, 1] });
    const model = km.sequential([layer]);
    expect(model.outputs[0].shape).toEqual([4, 3, 3, 2]);
    expect(layer.weightSpecs.map((w) => w.name)).toEqual(['per_frame/kernel', 'per_frame/bias']);
    expect(layer.workspaceSize(3)).toBe(layer.layer.workspaceSize(12));
    expect(layer.workspaceSize(3)).toBeGreaterThan(0);
  });

  it('applies the same Dense to every step (checked against the Dense on the steps one by one)', () => {
    const dense = km.layers.dense({ units: 3, activation: 'relu' });
    const model = km.sequential([km.layers.timeDistributed({ layer: dense, inputShape: [4, 2] })]);
    const values = Float32Array.from({ length: 2 * 4 * 2 }, (_, i) => Math.cos(i) * 2);
    const out = model.predict(km.tensor(values, [2, 4, 2])).dataSync();
    const [kernel, bias] = model.getWeights().map((w) => w.dataSync());
    for (let row = 0; row < 8; row++) {
      for (let j = 0; j < 3; j++) {
        const z = bias[j] + values[row * 2] * kernel[j] + values[row * 2 + 1] * kernel[3 + j];
        expect(out[row * 3 + j]).toBeCloseTo(Math.max(z, 0), 5);
      }
    }
  });
});

describe('wrappers: bad input', () => {
  it('Bidirectional around a layer that is not recurrent names it and points to timeDistributed', () => {
    expect(() => km.layers.bidirectional({ name: 'bi_dense', layer: km.layers.dense({ name: 'd', units: 2 }) })).toThrow(
      "Bidirectional layer 'bi_dense': layer must be a recurrent layer (km.layers.lstm, gru, simpleRNN or rnn), which can run backwards over the steps. Received: layer=Dense layer 'd'. To apply a Dense to every step of a sequence, use km.layers.timeDistributed({ layer }).",
    );
  });

  it('a wrapper without a layer says what it needs', () => {
    expect(() => km.layers.timeDistributed({ name: 'td_none' } as km.layers.TimeDistributedArgs)).toThrow("TimeDistributed layer 'td_none': layer must be a kerasm layer such as km.layers.lstm({ units: 32 }). Received: layer=undefined.");
    expect(() => km.layers.bidirectional({ name: 'bi_obj', layer: { units: 3 } } as unknown as km.layers.BidirectionalArgs)).toThrow('Received: layer={"units":3}.');
  });

  it('unknown merge modes are refused with the choices, null among them', () => {
    const lstm = () => km.layers.lstm({ units: 2 });
    expect(() => km.layers.bidirectional({ name: 'bi_max', layer: lstm(), mergeMode: 'max' as 'sum' })).toThrow(
      "Bidirectional layer 'bi_max': mergeMode must be one of 'concat', 'sum', 'mul', 'ave', or null for both directions as two outputs. Received: mergeMode=\"max\".",
    );
  });

  it('refuses initial states that are not both directions\' states, and a backwardLayer whose returnState differs', () => {
    const bi = km.layers.bidirectional({ name: 'bi_states', layer: km.layers.lstm({ units: 2, returnState: true }) });
    const h = km.input({ shape: [2] });
    expect(() => bi.apply(km.input({ shape: [3, 4] }), { initialState: [h, h] })).toThrow(
      "Bidirectional layer 'bi_states' takes the initial states of both directions, 4 in all (the forward layer's 2, then the backward layer's 2), but received 2.",
    );
    expect(() => km.layers.bidirectional({ layer: km.layers.gru({ units: 2, returnState: true }), backwardLayer: km.layers.gru({ units: 2, goBackwards: true }) })).toThrow(
      /returnState is false on it and true on layer; they must agree/,
    );
  });

  it('refuses returnState on a layer that is not recurrent', () => {
    expect(() => km.layers.bidirectional({ name: 'bi_dense', layer: km.layers.dense({ units: 2 }) })).toThrow(/bi_dense': layer must be a recurrent layer \(km\.layers\.lstm, gru, simpleRNN or rnn\)/);
  });

  it('a backwardLayer that does not mirror the layer is refused, saying which property differs', () => {
    const make = (backwardLayer: km.layers.Layer) => () => km.layers.bidirectional({ name: 'bi_pair', layer: km.layers.lstm({ units: 2 }), backwardLayer });
    expect(make(km.layers.lstm({ name: 'same_way', units: 2 }))).toThrow("backwardLayer 'same_way' does not match layer 'lstm");
    expect(make(km.layers.lstm({ name: 'same_way2', units: 2 }))).toThrow('both have goBackwards: false; backwardLayer needs goBackwards: true');
    // Keras 3 checks stateful too; another class is allowed (bidirectional_backward_class.test.ts).
    expect(make(km.layers.lstm({ name: 'kept', units: 2, goBackwards: true, stateful: true }))).toThrow('stateful is true on it and false on layer; they must agree');
    expect(make(km.layers.lstm({ name: 'all_steps', units: 2, goBackwards: true, returnSequences: true }))).toThrow('returnSequences is true on it and false on layer; they must agree');
  });

  it('an activity regularizer on the wrapped recurrent layer is refused', () => {
    expect(() => km.layers.bidirectional({ name: 'bi_act', layer: km.layers.lstm({ name: 'act', units: 2, activityRegularizer: km.regularizers.l2({ l2: 0.1 }) }) })).toThrow(
      "Bidirectional layer 'bi_act': the wrapped layer's activityRegularizer is not supported",
    );
  });

  it('TimeDistributed over samples without a step dimension says what shape it needs', () => {
    expect(() => km.sequential([km.layers.timeDistributed({ name: 'td_flat', layer: km.layers.dense({ units: 2 }), inputShape: [5] })])).toThrow(
      "TimeDistributed layer 'td_flat' applies its layer to each step of [steps, ...] inputs, so each sample needs at least 2 dimensions, but received inputs of shape (None, 5).",
    );
  });

  it('a misspelt factory option is named', () => {
    expect(() => km.layers.bidirectional({ layer: km.layers.lstm({ units: 2 }), merge_mode: 'sum' } as unknown as km.layers.BidirectionalArgs)).toThrow("km.layers.bidirectional has no option 'merge_mode'; did you mean 'mergeMode'?");
  });

  it('a saved wrapper config without its nested layer is refused, naming the wrapper', () => {
    expect(() => layerFromConfig('TimeDistributed', { name: 'td_saved', layer: 'Dense' })).toThrow(
      "TimeDistributed layer 'td_saved': the config's layer must be { class_name, config } naming the wrapped layer. Received: layer=\"Dense\".",
    );
  });
});
