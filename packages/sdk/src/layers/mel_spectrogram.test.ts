import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { expectClose } from '../testing/expect_close.js';
import { refMelMatrix, refMelSpectrogram } from '../testing/spectrogram_reference.js';
import { Random } from '../utils/random.js';

// MelSpectrogram against a float64 loop of Keras 3's definition (its centred stft: reflect padding
// and a periodic window centred in each frame; |X|^magExp; the HTK mel filterbank; decibels floored
// topDb below the batch's maximum) and, for the power spectrum, against tf.signal.stft.
beforeAll(() => km.ready());

function randomSignals(n: number, seed: number): number[] {
  const random = new Random(seed);
  return Array.from({ length: n }, (_, i) => 0.8 * Math.sin(i * 0.37) * random.uniform(0.2, 1) + 0.1 * random.uniform(-1, 1));
}

describe('MelSpectrogram', () => {
  it.each([
    { fftLength: 64, sequenceStride: 16, samplingRate: 8000, numMelBins: 10 },
    { fftLength: 64, sequenceStride: 20, sequenceLength: 40, window: 'hamming' as const, samplingRate: 16000, numMelBins: 12, minFreq: 100, maxFreq: 6000, magExp: 1 },
    { fftLength: 50, sequenceStride: 7, window: null, samplingRate: 16000, numMelBins: 8, powerToDb: false },
    { fftLength: 32, sequenceStride: 8, samplingRate: 22050, numMelBins: 16, topDb: 20, refPower: 2, minPower: 1e-4 },
    { fftLength: 32, sequenceStride: 8, samplingRate: 22050, numMelBins: 6, topDb: null, magExp: 1.5 },
  ])('%j matches a float64 loop of Keras\' definition', (c) => {
    const [batch, samples] = [3, 203];
    const x = randomSignals(batch * samples, c.fftLength);
    // One quiet sample, so that topDb's floor (the batch's maximum − topDb) clips some values.
    for (let i = 2 * samples; i < 3 * samples; i++) x[i] *= 1e-3;
    const y = km.layers.melSpectrogram(c).apply(km.tensor(x, [batch, samples]));
    const expected = refMelSpectrogram(Array.from({ length: batch }, (_, s) => x.slice(s * samples, (s + 1) * samples)), c);
    expect(y.shape).toEqual([batch, c.numMelBins, expected[0][0].length]);
    const flat = expected.flat(2);
    if (c.powerToDb ?? true) {
      // Decibels: an absolute 1e-3 dB (a relative 2e-4 of the power).
      const actual = y.dataSync();
      flat.forEach((v, i) => expect(Math.abs(actual[i] - v), `at ${i}`).toBeLessThan(1e-3));
    } else {
      expectClose(y.dataSync(), flat, 2e-4);
    }
  });

  it('the power spectra equal |tf.signal.stft|² of the reflect-padded signal on tfjs-cpu, through the mel filterbank', async () => {
    await tf.setBackend('cpu');
    const [samples, fft, stride, mels, rate] = [300, 64, 24, 9, 16000];
    const x = randomSignals(samples, 5);
    const y = km.layers.melSpectrogram({ fftLength: fft, sequenceStride: stride, numMelBins: mels, samplingRate: rate, powerToDb: false }).apply(km.tensor(x, [1, samples]));
    const power = tf.tidy(() => {
      const padded = tf.mirrorPad(tf.tensor1d(x), [[fft / 2, fft / 2]], 'reflect');
      return tf.square(tf.abs(tf.signal.stft(padded, fft, stride, fft, tf.signal.hannWindow))).arraySync() as number[][];
    });
    const matrix = refMelMatrix(mels, fft / 2 + 1, rate, 20, rate / 2);
    const expected = Array.from({ length: mels }, (_, m) => power.map((row) => row.reduce((s, v, k) => s + v * matrix[k][m], 0)));
    expect(y.shape).toEqual([1, mels, 1 + Math.floor(samples / stride)]);
    expectClose(y.dataSync(), expected.flat(), 1e-4);
  });

  it('takes one signal without a batch axis, as Keras does: [samples] gives [numMelBins, frames], the batch of one\'s result', () => {
    const [samples, c] = [203, { fftLength: 32, sequenceStride: 8, samplingRate: 16000, numMelBins: 10, topDb: 30 }];
    const x = randomSignals(samples, 3);
    // A quiet stretch, so that topDb's floor (below this signal's own peak) clips some values.
    for (let i = 100; i < 160; i++) x[i] *= 1e-3;
    const layer = km.layers.melSpectrogram(c);
    const single = layer.apply(km.tensor(x, [samples]));
    const batched = layer.apply(km.tensor(x, [1, samples]));
    const expected = refMelSpectrogram([x], c)[0];
    expect(single.shape).toEqual([c.numMelBins, expected[0].length]);
    expect(Array.from(single.dataSync())).toEqual(Array.from(batched.dataSync()));
    const actual = single.dataSync();
    expected.flat().forEach((v, i) => expect(Math.abs(actual[i] - v), `at ${i}`).toBeLessThan(1e-3));
    // The floor held somewhere: several values sit at the signal's peak − topDb.
    const [lowest, highest] = [Math.min(...actual), Math.max(...actual)];
    expect(lowest).toBeCloseTo(highest - 30, 3);
    expect(actual.filter((v) => v === lowest).length).toBeGreaterThan(1);
  });

  it.each([
    // Keras' docstring: 16000 samples at 8 kHz, stride 256, fft 2048, 64 bands → (64, 63); stride 128 → 126 frames (its call; the docstring's 125 is a typo).
    [{ numMelBins: 64, samplingRate: 8000, sequenceStride: 256, fftLength: 2048 }, 16000, [64, 63]],
    [{ numMelBins: 80, samplingRate: 8000, sequenceStride: 128, fftLength: 2048 }, 16000, [80, 126]],
    [{}, 16000, [128, 32]],
    [{ fftLength: 51, sequenceStride: 10 }, 100, [128, 10]],
  ] as [km.layers.MelSpectrogramArgs, number, number[]][])('%j on %i samples gives %j', (args, samples, shape) => {
    expect(km.layers.melSpectrogram(args).computeOutputShape([[samples]])).toEqual(shape);
  });

  it('reads a Keras 3 config, round-trips getConfig, and a model with it saves, loads and trains the layers after it', async () => {
    const keras = {
      name: 'mel', trainable: true, dtype: 'float32', fft_length: 64, sequence_stride: 32, sequence_length: 48, window: 'hamming', sampling_rate: 8000,
      num_mel_bins: 12, min_freq: 50.0, max_freq: 3500, power_to_db: true, top_db: 60.0, mag_exp: 1.0, min_power: 1e-8, ref_power: 0.5,
    };
    const layer = km.layers.layerFromConfig('MelSpectrogram', keras) as km.layers.MelSpectrogram;
    expect([layer.fftLength, layer.sequenceStride, layer.sequenceLength, layer.window, layer.samplingRate, layer.numMelBins, layer.minFreq, layer.maxFreq, layer.powerToDb, layer.topDb, layer.magExp, layer.minPower, layer.refPower])
      .toEqual([64, 32, 48, 'hamming', 8000, 12, 50, 3500, true, 60, 1, 1e-8, 0.5]);
    expect(km.layers.layerFromConfig('MelSpectrogram', layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    // Keras writes the defaults it resolved: sequence_length and max_freq.
    expect(km.layers.melSpectrogram({ fftLength: 256, samplingRate: 22050 }).getConfig()).toMatchObject({ sequenceLength: 256, maxFreq: 11025 });

    const model = km.sequential([
      km.layers.melSpectrogram({ inputShape: [400], fftLength: 64, sequenceStride: 32, numMelBins: 12, samplingRate: 8000 }),
      km.layers.flatten(),
      km.layers.dense({ units: 2 }),
    ]);
    const artifacts = await kerasmArtifacts(model);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers.find((l) => l.class_name === 'MelSpectrogram')!.config;
    expect(saved).toMatchObject({ fft_length: 64, sequence_stride: 32, sequence_length: 64, num_mel_bins: 12, sampling_rate: 8000, power_to_db: true, top_db: 80 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    const x = km.tensor(randomSignals(2 * 400, 9), [2, 400]);
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1e-4 }), loss: 'meanSquaredError' });
    const history = await model.fit(x, km.tensor([1, 0, 0, 1], [2, 2]), { epochs: 3, verbose: 0 });
    expect(history.history.loss[2]).toBeLessThan(history.history.loss[0]);
  });

  describe('bad input', () => {
    it.each([
      [{ fftLength: 256, sequenceLength: 512 }, 'fftLength must be at least sequenceLength. Received: sequenceLength=512, fftLength=256.'],
      [{ window: 'blackman' }, "window must be 'hann', 'hamming', null (no window) or a list of 2048 finite numbers. Received: window=\"blackman\""],
      [{ minFreq: 5000, maxFreq: 4000 }, 'the bands need 0 ≤ minFreq < maxFreq'],
      [{ magExp: 0 }, 'magExp must be a positive number. Received: magExp=0.'],
      [{ numMelBins: 0 }, 'numMelBins must be an integer of at least 1. Received: numMelBins=0.'],
      [{ fft_length: 512 }, 'fftLength'],
    ])('%j', (args, message) => {
      expect(() => km.layers.melSpectrogram(args as km.layers.MelSpectrogramArgs)).toThrow(message);
    });

    it('inputs that are not [samples] or too short, and a trained layer before it, are refused with the fix', async () => {
      expect(() => km.sequential([km.layers.melSpectrogram({ inputShape: [100, 1], fftLength: 32 })])).toThrow('expects each sample to be a 1-D signal [samples] (inputs of rank 2 with the batch), but received (None, 100, 1). Reshape the signals to [batch, samples], e.g. km.layers.reshape({ targetShape: [100] })');
      expect(() => km.sequential([km.layers.melSpectrogram({ inputShape: [16] })])).toThrow('a signal of 16 samples is too short to reflect 1024 samples (fftLength / 2) past its ends');
      const model = km.sequential([km.layers.dense({ units: 40, inputShape: [40] }), km.layers.melSpectrogram({ fftLength: 16, sequenceStride: 8, numMelBins: 4 }), km.layers.flatten(), km.layers.dense({ units: 1 })]);
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      await expect(model.fit(km.tensor(randomSignals(80, 1), [2, 40]), km.tensor([0, 1], [2, 1]), { epochs: 1, verbose: 0 })).rejects.toThrow(/passes no gradient to its input, but a layer before it is being trained\. .*make it the model's first layer/);
    });
  });
});
