import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { refMelSpectrogram, refStftRows, refStftRowsWithKernels, type RefStftOptions } from '../testing/spectrogram_reference.js';
import { Random } from '../utils/random.js';

// STFTSpectrogram (every mode, forward and a trainable step) and MelSpectrogram on every backend
// here, against the float64 references: the transposes, views, log, atan2 and max-pooling they run
// on each backend's kernels.
beforeAll(() => km.ready());

const random = new Random(29);
const uniform = (n: number) => Array.from({ length: n }, () => random.uniform(-1, 1));
const MODES = ['log', 'magnitude', 'psd', 'real', 'imag', 'angle', 'stft'] as const;

describe.each(BACKENDS_HERE)('spectrogram layers on %s', (backendName) => {
  beforeAll(() => useBackend(backendName));
  afterAll(() => useBackend('wasm'));

  it.each(MODES)('STFTSpectrogram mode %s, two channels, padding same: predictions and the kernels\' gradients', async (mode) => {
    const [batch, time, channels, out] = [2, 14, 2, 2];
    const c: RefStftOptions = { mode, frameLength: 6, frameStep: 4, fftLength: 8, window: 'hann', periodic: false, scaling: 'density', padding: 'same' };
    km.utils.setRandomSeed(3);
    const layer = km.layers.stftSpectrogram({ ...c, mode, inputShape: [time, channels] });
    const model = km.sequential([layer, km.layers.flatten(), km.layers.dense({ units: out })]);
    const x = uniform(batch * time * channels);
    const signal = (s: number, ch: number) => Array.from({ length: time }, (_, t) => x[(s * time + t) * channels + ch]);
    const expected = Array.from({ length: batch }, (_, s) => {
      const rows = Array.from({ length: channels }, (_, ch) => refStftRows(signal(s, ch), c));
      return rows[0].flatMap((_, f) => rows.flatMap((channel) => channel[f]));
    }).flat();
    const predicted = await (layer.apply(km.tensor(x, [batch, time, channels])) as km.Tensor).data();
    expected.forEach((v, i) => {
      // A phase on atan2's cut may come out as π or −π.
      const error = mode === 'angle' ? Math.abs(Math.sin((predicted[i] - v) / 2)) : Math.abs(predicted[i] - v);
      expect(error, `entry ${i}: ${predicted[i]} against ${v}`).toBeLessThan(1e-4 + 1e-4 * Math.abs(v));
    });

    const weights = await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
    const kernels = mode === 'real' ? [weights[0], null] : mode === 'imag' ? [null, weights[0]] : [weights[0], weights[1]];
    const [w2, b2] = weights.slice(-2);
    const y = uniform(batch * out);
    let phases: number[] | null = null;
    const loss = () => {
      let flat = Array.from({ length: batch }, (_, s) => {
        const rows = Array.from({ length: channels }, (_, ch) => refStftRowsWithKernels(signal(s, ch), kernels, 5, c));
        return rows[0].flatMap((_, f) => rows.flatMap((channel) => channel[f]));
      }).flat();
      // Phases unwrapped around the unperturbed ones, so the differences stay on one branch of atan2.
      if (mode === 'angle') flat = flat.map((v, i) => (phases ??= flat)[i] + Math.atan2(Math.sin(v - phases[i]), Math.cos(v - phases[i])));
      const width = flat.length / batch;
      let total = 0;
      for (let s = 0; s < batch; s++)
        for (let o = 0; o < out; o++) total += (flat.slice(s * width, (s + 1) * width).reduce((a, v, i) => a + v * w2[i * out + o], b2[o]) - y[s * out + o]) ** 2 / out;
      return total / batch;
    };
    loss();
    const names = [...(kernels[0] ? ['real_kernel'] : []), ...(kernels[1] ? ['imag_kernel'] : []), 'kernel', 'bias'];
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', km.tensor(x, [batch, time, channels]), km.tensor(y, [batch, out])), finiteDifferences(weights, loss), names, 5e-3);
  });

  it('MelSpectrogram in decibels with a topDb floor over the batch', async () => {
    const [batch, samples] = [2, 120];
    const x = uniform(batch * samples).map((v, i) => (i >= samples ? v * 1e-3 : v));
    const c = { fftLength: 32, sequenceStride: 8, numMelBins: 6, samplingRate: 16000, topDb: 30 };
    const y = km.layers.melSpectrogram(c).apply(km.tensor(x, [batch, samples])) as km.Tensor;
    const predicted = await y.data();
    const expected = refMelSpectrogram([x.slice(0, samples), x.slice(samples)], c).flat(2);
    expect(y.shape).toEqual([batch, 6, 1 + samples / 8]);
    expected.forEach((v, i) => expect(Math.abs(predicted[i] - v), `entry ${i}`).toBeLessThan(2e-3));
  });
});
