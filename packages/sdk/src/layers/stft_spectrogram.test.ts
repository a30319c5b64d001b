import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { expectClose } from '../testing/expect_close.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { refStftRows, refStftRowsWithKernels, type RefStftOptions } from '../testing/spectrogram_reference.js';
import { Random } from '../utils/random.js';

// STFTSpectrogram against a float64 DFT loop of Keras 3's definition (scipy's windows, density or
// spectrum scaling, TensorFlow's 'same' padding, each mode's formula) and against tf.signal.stft;
// its kernels' and input's gradients against finite differences; shapes, configs, saving, errors.
beforeAll(() => km.ready());

function randomValues(n: number, seed: number): number[] {
  const random = new Random(seed);
  return Array.from({ length: n }, () => random.uniform(-1, 1));
}

/** The spectra of each channel of one sample `[time, channels]`: [channel][frame] → the mode's row. */
function referenceRows(x: readonly number[], time: number, channels: number, c: RefStftOptions): number[][][] {
  return Array.from({ length: channels }, (_, ch) => refStftRows(Array.from({ length: time }, (_, t) => x[t * channels + ch]), c));
}

const BASE: RefStftOptions = { mode: 'log', frameLength: 8, frameStep: 3, fftLength: 16, window: 'hann', periodic: false, scaling: 'density', padding: 'valid' };

describe('STFTSpectrogram', () => {
  it.each([
    { ...BASE },
    { ...BASE, mode: 'magnitude', window: 'hamming' as const, periodic: true },
    { ...BASE, mode: 'psd', scaling: 'spectrum' as const, padding: 'same' as const },
    { ...BASE, mode: 'real', window: null, frameLength: 6, fftLength: 6, frameStep: 6 },
    { ...BASE, mode: 'imag', scaling: null, padding: 'same' as const, frameStep: 4 },
    { ...BASE, mode: 'angle', fftLength: 8 },
    { ...BASE, mode: 'stft', frameLength: 5, fftLength: 9, periodic: true },
  ])('mode $mode, window $window (periodic $periodic), scaling $scaling, padding $padding, fft $fftLength: a float64 DFT loop', (c) => {
    const [batch, time, channels] = [2, 23, 3];
    const x = randomValues(batch * time * channels, 7);
    const layer = km.layers.stftSpectrogram({ ...c, mode: c.mode as km.layers.SpectrogramMode });
    const y = layer.apply(km.tensor(x, [batch, time, channels]));
    const expected = Array.from({ length: batch }, (_, s) => referenceRows(x.slice(s * time * channels, (s + 1) * time * channels), time, channels, c));
    const [frames, width] = [expected[0][0].length, expected[0][0][0].length];
    expect(y.shape).toEqual([batch, frames, channels * width]);
    // channelsLast: each frame's row holds the channels one after another.
    const flat = expected.flatMap((sample) => Array.from({ length: frames }, (_, f) => sample.flatMap((channel) => channel[f])).flat());
    const actual = y.dataSync();
    // A phase on the negative real axis is π or −π depending on the sign of a zero imaginary part (the DC and Nyquist bins): compare angles modulo 2π.
    if (c.mode === 'angle') flat.forEach((v, i) => (flat[i] = v + 2 * Math.PI * Math.round((actual[i] - v) / (2 * Math.PI))));
    expectClose(actual, flat, 2e-5);
  });

  it('expandDims and channelsFirst lay the same spectra out as Keras does', () => {
    const [batch, time, channels] = [2, 20, 2];
    const x = randomValues(batch * time * channels, 3);
    const c = { ...BASE, mode: 'psd' };
    const rows = Array.from({ length: batch }, (_, s) => referenceRows(x.slice(s * time * channels, (s + 1) * time * channels), time, channels, c));
    const [frames, width] = [rows[0][0].length, rows[0][0][0].length];
    const options = { mode: 'psd' as const, frameLength: 8, frameStep: 3, fftLength: 16 };
    const channelsFirstX = km.tensor(Array.from({ length: batch * channels * time }, (_, i) => {
      const [s, ch, t] = [Math.floor(i / (channels * time)), Math.floor(i / time) % channels, i % time];
      return x[(s * time + t) * channels + ch];
    }), [batch, channels, time]);
    const cases: [km.layers.STFTSpectrogramArgs, km.Tensor, number[], (s: number, ch: number, f: number, j: number) => number][] = [
      [{ expandDims: true }, km.tensor(x, [batch, time, channels]), [frames, width, channels], (s, ch, f, j) => ((s * frames + f) * width + j) * channels + ch],
      [{ dataFormat: 'channelsFirst' }, channelsFirstX, [channels * width, frames], (s, ch, f, j) => (s * channels * width + ch * width + j) * frames + f],
      [{ dataFormat: 'channelsFirst', expandDims: true }, channelsFirstX, [channels, frames, width], (s, ch, f, j) => ((s * channels + ch) * frames + f) * width + j],
    ];
    for (const [extra, input, shape, at] of cases) {
      const y = km.layers.stftSpectrogram({ ...options, ...extra }).apply(input);
      expect(y.shape).toEqual([batch, ...shape]);
      const expected = new Array<number>(y.size);
      rows.forEach((sample, s) => sample.forEach((channel, ch) => channel.forEach((row, f) => row.forEach((v, j) => (expected[at(s, ch, f, j)] = v)))));
      expectClose(y.dataSync(), expected, 2e-5);
    }
  });

  it('magnitude equals |tf.signal.stft| (hann, periodic, no scaling) on tfjs-cpu', async () => {
    await tf.setBackend('cpu');
    const [time, frameLength, frameStep, fftLength] = [200, 32, 12, 64];
    const x = randomValues(time, 11);
    const y = km.layers.stftSpectrogram({ mode: 'magnitude', frameLength, frameStep, fftLength, periodic: true, scaling: null }).apply(km.tensor(x, [1, time, 1]));
    // tfjs' hannWindow is periodic for even lengths; the frames are zero-padded to fftLength at the end, as the shorter kernel reads them.
    const expected = tf.tidy(() => tf.abs(tf.signal.stft(tf.tensor1d(x), frameLength, frameStep, fftLength, tf.signal.hannWindow)).dataSync());
    expect(y.shape).toEqual([1, Math.floor((time - frameLength) / frameStep) + 1, fftLength / 2 + 1]);
    expectClose(y.dataSync(), expected, 1e-4);
  });

  it.each(['magnitude', 'log', 'real', 'imag', 'psd', 'angle', 'stft'])('trainable (Keras\' default), mode %s: kernel and input gradients match float64 finite differences', async (mode) => {
    const [batch, time, inputs, channels, frameLength, frameStep, fftLength, out] = [3, 10, 2, 2, 4, 3, 6, 2];
    km.utils.setRandomSeed(5);
    const model = km.sequential([
      km.layers.dense({ units: channels, inputShape: [time, inputs] }),
      km.layers.stftSpectrogram({ mode: mode as km.layers.SpectrogramMode, frameLength, frameStep, fftLength, padding: 'same' }),
      km.layers.flatten(),
      km.layers.dense({ units: out }),
    ]);
    expect(model.layers[1].trainableWeights.map((w) => w.name.split('/').pop())).toEqual(mode === 'real' ? ['real_kernel'] : mode === 'imag' ? ['imag_kernel'] : ['real_kernel', 'imag_kernel']);
    const xs = randomValues(batch * time * inputs, 21);
    const ys = randomValues(batch * out, 22);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const bins = fftLength / 2 + 1;
    const kernels = mode === 'real' ? [weights[2], null] : mode === 'imag' ? [null, weights[2]] : [weights[2], weights[3]];
    const [w2, b2] = weights.slice(-2);
    // The DC bin's phase sits on atan2's cut (its imaginary part is 0): each phase is unwrapped around
    // its value at the unperturbed weights, so the differences see the smooth branch the gradient is of.
    let phases: number[] | null = null;
    const unwrapped = (flat: number[]): number[] => {
      if (mode !== 'angle') return flat;
      phases ??= flat;
      return flat.map((v, i) => phases![i] + Math.atan2(Math.sin(v - phases![i]), Math.cos(v - phases![i])));
    };
    const loss = () => {
      let total = 0;
      const outputs: number[][] = [];
      for (let s = 0; s < batch; s++) {
        const flat: number[] = [];
        const h = Array.from({ length: time * channels }, (_, i) => {
          const [t, u] = [Math.floor(i / channels), i % channels];
          return Array.from({ length: inputs }, (_, k) => xs[(s * time + t) * inputs + k] * weights[0][k * channels + u]).reduce((a, v) => a + v, weights[1][u]);
        });
        const options = { ...BASE, mode, frameLength, frameStep, fftLength, padding: 'same' as const };
        const perChannel = Array.from({ length: channels }, (_, ch) => refStftRowsWithKernels(Array.from({ length: time }, (_, t) => h[t * channels + ch]), kernels, bins, options));
        perChannel[0].forEach((_, f) => perChannel.forEach((rows) => flat.push(...rows[f])));
        outputs.push(flat);
      }
      const all = unwrapped(outputs.flat());
      for (let s = 0; s < batch; s++) {
        const flat = all.slice((s * all.length) / batch, ((s + 1) * all.length) / batch);
        for (let o = 0; o < out; o++) total += (flat.reduce((a, v, i) => a + v * w2[i * out + o], b2[o]) - ys[s * out + o]) ** 2 / out;
      }
      return total / batch;
    };
    loss();
    const names = ['dense kernel', 'dense bias', ...(kernels[0] ? ['real_kernel'] : []), ...(kernels[1] ? ['imag_kernel'] : []), 'kernel 2', 'bias 2'];
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', km.tensor(xs, [batch, time, inputs]), km.tensor(ys, [batch, out])), finiteDifferences(weights, loss), names);
  });

  it('trainable: false keeps the kernels out of training, which leaves them unchanged', async () => {
    const layer = km.layers.stftSpectrogram({ mode: 'magnitude', frameLength: 4, frameStep: 2, trainable: false });
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [12, 1] }), layer, km.layers.flatten(), km.layers.dense({ units: 1 })]);
    expect([layer.trainableWeights.length, layer.nonTrainableWeights.map((w) => w.name.split('/').pop())]).toEqual([0, ['real_kernel', 'imag_kernel']]);
    const before = layer.getWeights().map((w) => Array.from(w.dataSync()));
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await model.fit(km.tensor(randomValues(24, 1), [2, 12, 1]), km.tensor([0.5, -0.5], [2, 1]), { epochs: 2, verbose: 0 });
    expect(layer.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });

  it.each([
    // Keras' docstring and tests: [args, input shape with batch, output shape with batch].
    [{ frameLength: 256, frameStep: 128, fftLength: 512 }, [3, 160000, 1], [3, 1249, 257]],
    [{ frameLength: 256, frameStep: 128, fftLength: 512, window: 'hamming', padding: 'same' }, [3, 160000, 2], [3, 1250, 514]],
    [{ frameLength: 256, frameStep: 128, fftLength: 512, padding: 'same', expandDims: true }, [3, 160000, 3], [3, 1250, 257, 3]],
    [{ frameLength: 150, frameStep: 10, fftLength: 512, padding: 'same', expandDims: true, dataFormat: 'channelsFirst' }, [2, 3, 160000], [2, 3, 16000, 257]],
    [{ frameLength: 500, frameStep: 25, fftLength: 1024, mode: 'stft' }, [2, 16000, 1], [2, 15500 / 25 + 1, 1026]],
    [{ frameLength: 150, frameStep: 43, fftLength: 512, mode: 'imag', padding: 'same' }, [2, 160000, 1], [2, Math.floor(160000 / 43) + 1, 257]],
    [{ frameLength: 256, frameStep: 128, fftLength: 715, padding: 'same', scaling: null }, [2, 16000, 1], [2, 125, 358]],
    [{}, [1, 1000, 1], [1, 6, 129]],
  ] as [km.layers.STFTSpectrogramArgs, number[], number[]][])('output shape of %j on %j is Keras\' %j', (args, input, output) => {
    expect(km.layers.stftSpectrogram(args).computeOutputShape([input.slice(1)])).toEqual(output.slice(1));
  });

  it('an input of unknown length (Keras\' Input(shape=(None, 1))) takes signals of any length, with the same kernels', () => {
    const model = km.sequential([km.layers.stftSpectrogram({ inputShape: [null, 1], mode: 'magnitude', frameLength: 8, frameStep: 4 })]);
    const c = { ...BASE, mode: 'magnitude', frameStep: 4, fftLength: 8 };
    for (const time of [20, 33]) {
      const x = randomValues(time, time);
      const y = model.predict(km.tensor(x, [1, time, 1]));
      expect(y.shape).toEqual([1, Math.floor((time - 8) / 4) + 1, 5]);
      expectClose(y.dataSync(), refStftRows(x, c).flat(), 2e-5);
    }
  });

  it('reads a Keras 3 config (snake_case, frame_step and fft_length null), round-trips getConfig, and saves and loads in a model', async () => {
    const keras = {
      name: 'spec', trainable: false, dtype: 'float32', mode: 'psd', frame_length: 8, frame_step: null, fft_length: null, window: 'hamming',
      periodic: true, scaling: 'spectrum', padding: 'same', data_format: 'channels_last', expand_dims: true,
    };
    const layer = km.layers.layerFromConfig('STFTSpectrogram', keras) as km.layers.STFTSpectrogram;
    expect([layer.mode, layer.frameLength, layer.frameStep, layer.fftLength, layer.window, layer.periodic, layer.scaling, layer.padding, layer.expandDims, layer.dataFormat, layer.trainable])
      .toEqual(['psd', 8, null, null, 'hamming', true, 'spectrum', 'same', true, 'channelsLast', false]);
    expect(layer.computeOutputShape([[40, 2]])).toEqual([10, 5, 2]);
    const again = km.layers.layerFromConfig('STFTSpectrogram', layer.getConfig());
    expect(again.getConfig()).toEqual(layer.getConfig());

    const model = km.sequential([km.layers.stftSpectrogram({ inputShape: [40, 2], frameLength: 8, window: [1, 2, 3, 4, 4, 3, 2, 1], mode: 'log' }), km.layers.flatten(), km.layers.dense({ units: 3 })]);
    const artifacts = await kerasmArtifacts(model);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers.find((l) => l.class_name === 'STFTSpectrogram')!.config;
    expect(saved).toMatchObject({ mode: 'log', frame_length: 8, frame_step: null, fft_length: null, window: [1, 2, 3, 4, 4, 3, 2, 1], scaling: 'density', padding: 'valid', expand_dims: false });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    const x = km.tensor(randomValues(2 * 40 * 2, 4), [2, 40, 2]);
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });

  describe('bad input', () => {
    it.each([
      [{ mode: 'spectrogram' }, "mode must be one of 'log', 'magnitude', 'psd', 'real', 'imag', 'angle', 'stft'. Received: mode=\"spectrogram\"."],
      [{ frameLength: 256, fftLength: 128 }, 'fftLength must be at least frameLength (and at least 2). Received: fftLength=128, frameLength=256. Use fftLength ≥ 256, e.g. 256.'],
      [{ frameLength: 256, frameStep: 1024 }, 'frameStep must be a positive integer not greater than frameLength. Received: frameStep=1024, frameLength=256. Use a frameStep of at most 256.'],
      [{ frameStep: 0 }, 'frameStep must be a positive integer. Received: frameStep=0.'],
      [{ window: 'blackman' }, "window must be 'hann', 'hamming', null (no window) or a list of 256 finite numbers. Received: window=\"blackman\""],
      [{ frameLength: 4, window: [1, 2, 3] }, 'Received: window=[1,2,3] (a list of 3 values)'],
      [{ scaling: 'l2' }, "scaling must be 'density', 'spectrum' or null. Received: scaling=\"l2\"."],
      [{ padding: 'causal' }, "padding must be 'valid' or 'same'. Received: padding=\"causal\"."],
      [{ framelength: 4 }, 'frameLength'],
    ])('%j', (args, message) => {
      expect(() => km.layers.stftSpectrogram(args as km.layers.STFTSpectrogramArgs)).toThrow(message);
    });

    it('an input of the wrong rank names the layout and the fix', () => {
      expect(() => km.sequential([km.layers.stftSpectrogram({ inputShape: [1000] })])).toThrow(/expects samples of shape \[time, channels\] \(inputs of rank 3 with the batch\), but received \(None, 1000\)\. Add a channels axis, e\.g\. km\.layers\.reshape\(\{ targetShape: \[1000, 1\] \}\)/);
      expect(() => km.sequential([km.layers.stftSpectrogram({ inputShape: [100, 1], frameLength: 256 })])).toThrow(/fewer than its window of 256 with 'valid' padding/);
    });
  });
});
