import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { toCamelCase } from '../io/keras_names.js';
import { KERAS3_LAYERS } from '../testing/keras3_layer_configs.js';
import { LAYER_OPTIONS } from './layer_options.js';

type Json = Record<string, unknown>;

const without = (config: Json, keys: readonly string[]): Json => Object.fromEntries(Object.entries(config).filter(([key]) => !keys.includes(key)));
/** A config as compared: Keras 3's envelope keys and dtype policies left out, as kerasm reads them. */
const made = (className: string, config: Json) => km.layers.layerFromConfig(className, config).getConfig();

describe("km.layers.layerFromConfig reads the configs Keras 3's get_config() writes", () => {
  for (const { entry, notEchoed } of KERAS3_LAYERS) {
    it(`${entry.class_name}: accepts ${notEchoed.length > 0 ? notEchoed.join(', ') : 'its envelope keys and DTypePolicy'}, which change nothing, and still refuses them misspelt`, () => {
      const config = structuredClone(entry.config);
      const kept = made(entry.class_name, config);
      // The keys kerasm does not give back are the ones listed, so each is checked below.
      const echoed = Object.keys(config).filter((key) => toCamelCase(key) in kept || LAYER_OPTIONS.includes(toCamelCase(key)));
      expect(Object.keys(config).filter((key) => !echoed.includes(key))).toEqual(notEchoed);
      // Read as their absence is: kerasm's behaviour is what these values ask for.
      expect(made(entry.class_name, without(config, notEchoed))).toEqual(kept);
      for (const key of notEchoed) {
        const { [key]: value, ...rest } = config;
        expect(() => made(entry.class_name, { ...rest, [`${key}s`]: value }), key).toThrow(`${entry.class_name} has no use for the config key '${key}s'`);
      }
    });
  }

  it('accepts the Keras 3 keys at the values that ask for what kerasm does', () => {
    const accepted: [string, Json, Json][] = [
      ['Dense', { units: 2 }, { lora_rank: null, lora_alpha: null, quantization_config: null }],
      ['Conv2D', { filters: 2, kernel_size: 3 }, { lora_rank: null, lora_alpha: null, dora_rank: null, dora_alpha: null }],
      ['Embedding', { input_dim: 5, output_dim: 2 }, { lora_rank: null, lora_alpha: null }],
      ['BatchNormalization', {}, { synchronized: false }],
      // Synchronized statistics are the batch's own on the one device kerasm trains on.
      ['BatchNormalization', {}, { synchronized: true }],
      ['LayerNormalization', {}, { rms_scaling: false }],
      ['MultiHeadAttention', { num_heads: 2, key_dim: 2 }, { flash_attention: null, seed: null }],
      ['MultiHeadAttention', { num_heads: 2, key_dim: 2 }, { flash_attention: true }],
      ['GroupedQueryAttention', { head_dim: 2, num_query_heads: 2, num_key_value_heads: 1 }, { flash_attention: false, seed: null }],
      ['LSTM', { units: 2 }, { unroll: false, seed: null, zero_output_for_mask: false, use_cudnn: 'auto' }],
      ['GRU', { units: 2 }, { unroll: false, seed: null, zero_output_for_mask: false }],
      ['SimpleRNN', { units: 2 }, { seed: null, zero_output_for_mask: false }],
      ['Dropout', { rate: 0.5 }, { activity_regularizer: null, data_format: 'channels_last' }],
    ];
    for (const [className, own, keras3] of accepted) {
      expect(made(className, { name: 'probe', ...own, ...keras3 }), `${className} ${JSON.stringify(keras3)}`).toEqual(made(className, { name: 'probe', ...own }));
    }
  });

  it('reads a dtype given as a Keras 3 DTypePolicy, on a nested layer and an RNN cell too', () => {
    const dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    expect(made('Dense', { name: 'probe', units: 2, dtype })).toEqual(made('Dense', { name: 'probe', units: 2 }));
    const wrapped = made('TimeDistributed', { name: 'td', layer: { class_name: 'Dense', config: { name: 'inner', units: 2, dtype } } });
    expect(wrapped).toEqual(made('TimeDistributed', { name: 'td', layer: { class_name: 'Dense', config: { name: 'inner', units: 2 } } }));
    const rnn = made('RNN', { name: 'rnn', cell: { class_name: 'GRUCell', config: { name: 'cell', units: 2, dtype } } });
    expect(rnn).toEqual(made('RNN', { name: 'rnn', cell: { class_name: 'GRUCell', config: { name: 'cell', units: 2 } } }));
    // A policy kerasm cannot compute in is still refused.
    expect(() => made('Dense', { units: 2, dtype: { ...dtype, config: { name: 'mixed_float16' } } })).toThrow("kerasm computes in float32 only. Received: dtype=\"mixed_float16\"");
  });
});

describe('km.layers.layerFromConfig refuses a Keras-written value that asks for what kerasm does not implement', () => {
  const refused: [string, Json, string][] = [
    ['Conv2D', { filters: 2, kernel_size: 3, dora_rank: 2 }, "Conv2D's dora_rank=2 asks for DoRA (Keras 3's weight-decomposed low-rank adaptation), which kerasm does not implement"],
    ['Dense', { units: 2, quantization_config: { class_name: 'Int8QuantizationConfig', config: {} } }, "Dense's quantization_config={\"className\":\"Int8QuantizationConfig\",\"config\":{}} asks for Keras 3's quantized weights, which kerasm does not implement: it computes in float32. Set quantization_config to null"],
    ['LayerNormalization', { rms_scaling: true }, "LayerNormalization's rms_scaling=true asks for Keras 3's RMS scaling (dividing by the standard deviation without centring or beta), which kerasm's LayerNormalization does not implement. Set rms_scaling to false"],
    ['BatchNormalization', { renorm: true }, "BatchNormalization's renorm=true asks for batch renormalization (Keras 2's renorm), which kerasm does not implement. Set renorm to false"],
    ['BatchNormalization', { virtual_batch_size: 8 }, "BatchNormalization's virtual_batch_size=8 asks for ghost batch normalization"],
    ['LSTM', { units: 2, zero_output_for_mask: true }, "LSTM's zero_output_for_mask=true asks for zeros as the output at masked steps (Keras' Bidirectional asks it of its layers), which kerasm does not implement: its recurrent layers repeat the previous step's output there, as tfjs' do, so the outputs differ only at the steps the mask marks for the layers after. Set zero_output_for_mask to false."],
    ['GRU', { units: 2, time_major: true }, "GRU's time_major=true asks for time-major input ([steps, batch, features], Keras 2's time_major), which kerasm does not implement. Set time_major to false"],
    ['Attention', { causal: true }, "Attention's causal=true asks for Keras 2's causal mask, which kerasm names useCausalMask. Replace causal: true with use_causal_mask: true."],
    ['CategoryEncoding', { num_tokens: 4, sparse: true }, "CategoryEncoding's sparse=true asks for sparse outputs, which kerasm does not implement: its tensors are dense. Set sparse to false"],
    ['Resizing', { height: 2, width: 2, pad_to_aspect_ratio: true }, "Resizing's pad_to_aspect_ratio=true asks for Keras 3's padding to the aspect ratio, which kerasm does not implement. Set pad_to_aspect_ratio to false, or crop instead with crop_to_aspect_ratio: true."],
    ['Dense', { units: 2, data_format: 'channels_first' }, "Dense's data_format=\"channels_first\" asks for channels-first input, which kerasm does not implement for this layer. Set data_format to 'channels_last'"],
    ['Dropout', { rate: 0.5, activity_regularizer: { class_name: 'L2', config: { l2: 0.1 } } }, "Dropout's activity_regularizer={\"className\":\"L2\",\"config\":{\"l2\":0.1}} asks for an activity regularizer, which kerasm does not take on this layer. Set activity_regularizer to null."],
  ];
  for (const [className, config, message] of refused) {
    it(`${className} ${JSON.stringify(config)}`, () => {
      expect(() => km.layers.layerFromConfig(className, config)).toThrow(`km.layers.layerFromConfig('${className}'): ${message}`);
    });
  }

  it("names the nested layer that holds it: a Bidirectional's LSTM asking for zeros without returning sequences", () => {
    const lstm = { class_name: 'LSTM', config: { units: 2, return_sequences: false, zero_output_for_mask: true } };
    expect(() => km.layers.layerFromConfig('Bidirectional', { layer: lstm })).toThrow("km.layers.layerFromConfig('Bidirectional'): the LSTM in Bidirectional's layer.config.zeroOutputForMask=true asks for zeros as the output at masked steps");
  });

  it("takes Keras 3's Bidirectional of a sequence-returning layer, which sets zero_output_for_mask as kerasm's Bidirectional computes", () => {
    const gru = (goBackwards: boolean) => ({ class_name: 'GRU', config: { units: 2, return_sequences: true, go_backwards: goBackwards, zero_output_for_mask: true } });
    const layer = km.layers.layerFromConfig('Bidirectional', { layer: gru(false), backward_layer: gru(true) }) as km.layers.Bidirectional;
    expect(layer.returnSequences).toBe(true);
    // Its masked steps are zeros in both directions (bidirectional_masked_steps.test.ts checks the values).
    const y = layer.apply(km.tensor([[[1, 2], [0, 0]]]), { mask: km.tensor([[1, 0]]) }).arraySync() as number[][][];
    expect(y[0][1]).toEqual([0, 0, 0, 0]);
    expect(() => km.layers.layerFromConfig('Bidirectional', { layer: { class_name: 'ConvLSTM2D', config: { filters: 2, kernel_size: 3, return_sequences: true, zero_output_for_mask: true } } })).toThrow(
      "the ConvLSTM2D in Bidirectional's layer.config.zeroOutputForMask=true asks for zeros",
    );
  });
});

describe('km.layers.layerFromConfig still refuses what no writer puts in a config', () => {
  it('a misspelt key beside the Keras 3 ones, with the key meant', () => {
    expect(() => km.layers.layerFromConfig('BatchNormalization', { synchronized: false, momentun: 0.9 })).toThrow(
      "km.layers.layerFromConfig('BatchNormalization'): BatchNormalization has no use for the config key 'momentun'; did you mean 'momentum'?",
    );
    expect(() => km.layers.layerFromConfig('Dense', { units: 2, lora_rnak: null })).toThrow("Dense has no use for the config key 'lora_rnak'.");
  });

  it("a Keras key on a class Keras does not write it for (Dense's synchronized), and a misspelt envelope key", () => {
    expect(() => km.layers.layerFromConfig('Dense', { units: 2, synchronized: false })).toThrow("Dense has no use for the config key 'synchronized'.");
    const initializer = { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_nmae: null };
    expect(() => km.layers.layerFromConfig('Dense', { units: 2, kernel_initializer: initializer })).toThrow("Dense has no use for the config key 'kernelInitializer.registeredNmae'. Rather than drop it, kerasm refuses it: fix or remove the key. Its keys there are: className, config.");
  });
});
