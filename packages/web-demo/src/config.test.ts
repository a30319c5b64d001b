import { describe, expect, it } from 'vitest';
import { DEFAULTS, readTrainConfig } from './config.js';

const reader = (values: Partial<Record<keyof typeof DEFAULTS, string>>) => (name: keyof typeof DEFAULTS) => values[name] ?? DEFAULTS[name];

describe('readTrainConfig', () => {
  it('reads the defaults and given values', () => {
    expect(readTrainConfig(reader({}), 'http://x/mnist/')).toEqual({ model: 'mlp', backend: 'wasm', epochs: 1, batchSize: 32, trainSamples: 10000, seed: undefined, dataUrl: 'http://x/mnist/' });
    expect(readTrainConfig(reader({ epochs: ' 3 ', 'batch-size': '64', 'train-samples': '60000', backend: 'tfjs-webgl', seed: ' 7 ' }), 'u')).toMatchObject({ backend: 'tfjs-webgl', epochs: 3, batchSize: 64, trainSamples: 60000, seed: 7 });
    expect(readTrainConfig(reader({ seed: '0' }), 'u').seed).toBe(0);
  });

  it('names the bad attribute, what it received and the valid range', () => {
    expect(() => readTrainConfig(reader({ epochs: 'two' }), 'u')).toThrow(/epochs must be a whole number from 1 to 100\. Received: epochs="two"/);
    expect(() => readTrainConfig(reader({ 'batch-size': '0' }), 'u')).toThrow(/batch-size must be a whole number from 1 to 4096\. Received: batch-size="0"/);
    expect(() => readTrainConfig(reader({ 'train-samples': '70000' }), 'u')).toThrow(/train-samples .* Received: train-samples="70000"/);
    expect(() => readTrainConfig(reader({ model: 'rnn' }), 'u')).toThrow(/model must be one of "mlp", "cnn"\. Received: model="rnn"/);
    expect(() => readTrainConfig(reader({ seed: '-1' }), 'u')).toThrow(/seed must be empty \(a different run each time\) or a whole number from 0 to 4294967295\. Received: seed="-1"/);
    expect(() => readTrainConfig(reader({ seed: '1.5' }), 'u')).toThrow(/Received: seed="1\.5"/);
    expect(() => readTrainConfig(reader({ seed: '4294967296' }), 'u')).toThrow(/Received: seed="4294967296"/);
    expect(() => readTrainConfig(reader({ backend: 'webgl' }), 'u')).toThrow(/backend must be one of "wasm", "tfjs-webgl", "tfjs-webgpu"\. Received: backend="webgl"/);
  });
});
