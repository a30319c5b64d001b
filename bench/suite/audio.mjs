// The audio front-ends on one-second 16 kHz clips, batches of 8 and of 32: Keras 3's MelSpectrogram
// with its defaults (fft 2048, stride 512, 128 bands, decibels floored 80 dB below the batch's
// peak) and STFTSpectrogram 'magnitude' (frames of 512 every 256, periodic Hann, unscaled: what
// tf.abs(tf.signal.stft) gives), kerasm's layer.apply against TensorFlow.js 4.22 computing the same
// the tfjs way: per clip (tf.signal.stft is 1-D) mirrorPad by fft / 2 for the centred frames,
// tf.signal.stft, tf.abs, then for mel a square, a matMul with the same mel matrix and power to dB.
// tfjs-backend-wasm has no Complex or FFT kernel, so its row prints why it is not available. Each
// tfjs result is checked against kerasm's (max |difference|). Then a training step of a tiny model
// whose first layer is a trainable STFTSpectrogram, kerasm only: tfjs has no gradient through its FFT.
import { interleave, median, secondsPerCall } from './stats.mjs';
import { CORES, km, tf, useKerasm, useTfjs } from './setup.mjs';
import { melWeightMatrix } from '../../packages/sdk/dist/layers/mel_weights.js';

const [RATE, SAMPLES, BATCHES] = [16000, 16000, [8, 32]];
const MEL = { fftLength: 2048, sequenceStride: 512, numMelBins: 128, topDb: 80 };
const STFT = { mode: 'magnitude', frameLength: 512, frameStep: 256, fftLength: 512, periodic: true, scaling: null };
const THREADS = [...new Set([1, CORES])];

/** `n` clips of noisy tones, the same for every contender. */
function clips(n, seed = 7) {
  let s = seed;
  const noise = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  return Float32Array.from({ length: n * SAMPLES }, (_, i) => 0.5 * Math.sin((2 * Math.PI * (220 + 40 * Math.floor(i / SAMPLES)) * (i % SAMPLES)) / RATE) + 0.05 * noise());
}

/** Keras' MelSpectrogram the tfjs way: [batch, numMelBins, frames]. */
function tfjsMel(x, mel) {
  const half = MEL.fftLength / 2;
  const power = tf.stack(tf.unstack(x).map((clip) =>
    tf.square(tf.abs(tf.signal.stft(tf.mirrorPad(clip, [[half, half]], 'reflect'), MEL.fftLength, MEL.sequenceStride, MEL.fftLength, tf.signal.hannWindow)))));
  const db = tf.mul(tf.log(tf.maximum(tf.matMul(power, tf.broadcastTo(mel, [x.shape[0], ...mel.shape])), 1e-10)), 10 / Math.LN10);
  return tf.transpose(tf.maximum(db, tf.sub(tf.max(db), MEL.topDb)), [0, 2, 1]);
}

/** STFTSpectrogram 'magnitude' the tfjs way: [batch, frames, bins]. */
function tfjsStft(x) {
  return tf.stack(tf.unstack(x).map((clip) => tf.abs(tf.signal.stft(clip, STFT.frameLength, STFT.frameStep, STFT.fftLength, tf.signal.hannWindow))));
}

/** Largest |a − b| over two flat arrays. */
const maxDifference = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/**
 * Milliseconds of one tfjs call on `backend` (its tensors disposed), or the reason it cannot run
 * there. One timed call per repetition: tfjs-cpu takes seconds per batch; the first repetition's
 * check of the result against kerasm's warms it up.
 */
function tfjsContender(backend, f, expected, checks, name) {
  const call = () => tf.tidy(() => f().dataSync());
  return async () => {
    await useTfjs(backend);
    try {
      checks[name] ??= maxDifference(call(), expected);
      const t0 = performance.now();
      call();
      return performance.now() - t0;
    } catch (e) {
      return `not available: ${e.message}`;
    }
  };
}

/** Milliseconds per trainOnBatch of STFTSpectrogram (trainable) → GlobalAveragePooling1D → Dense 10 softmax, Adam. */
function trainingStep(values, batch) {
  km.utils.setRandomSeed(1);
  const model = km.sequential([
    km.layers.stftSpectrogram({ ...STFT, inputShape: [SAMPLES, 1] }),
    km.layers.globalAveragePooling1d(),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const x = km.tensor(values, [batch, SAMPLES, 1]);
  const y = km.tensor(Int32Array.from({ length: batch }, (_, i) => i % 10), [batch], 'int32');
  return async () => {
    for (let i = 0; i < 2; i++) await model.trainOnBatch(x, y);
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await model.trainOnBatch(x, y);
    return (performance.now() - t0) / 5;
  };
}

export async function audioSpeed({ repetitions, log }) {
  await useKerasm(1);
  await useTfjs('cpu');
  const melLayer = km.layers.melSpectrogram({ ...MEL, samplingRate: RATE });
  const stftLayer = km.layers.stftSpectrogram(STFT);
  const melMatrix = tf.tensor2d(melWeightMatrix(MEL.numMelBins, MEL.fftLength / 2 + 1, RATE, 20, RATE / 2), [MEL.fftLength / 2 + 1, MEL.numMelBins]);
  const contenders = {};
  const checks = {};
  for (const batch of BATCHES) {
    const values = clips(batch);
    const [kmX, kmX3, tfX] = [km.tensor(values, [batch, SAMPLES]), km.tensor(values, [batch, SAMPLES, 1]), tf.tensor2d(values, [batch, SAMPLES])];
    const ours = { mel: melLayer.apply(kmX).dataSync(), stft: stftLayer.apply(kmX3).dataSync() };
    for (const t of THREADS) {
      contenders[`kerasm ${t} thread(s) mel batch ${batch} (ms)`] = async () => { await useKerasm(t); return 1000 * secondsPerCall(() => melLayer.apply(kmX).dataSync(), { trials: 3 }); };
      contenders[`kerasm ${t} thread(s) stft batch ${batch} (ms)`] = async () => { await useKerasm(t); return 1000 * secondsPerCall(() => stftLayer.apply(kmX3).dataSync(), { trials: 3 }); };
    }
    for (const backend of ['cpu', 'wasm']) {
      contenders[`tfjs-${backend} mel batch ${batch} (ms)`] = tfjsContender(backend, () => tfjsMel(tfX, melMatrix), ours.mel, checks, `tfjs-${backend} mel batch ${batch} (max |dB difference|)`);
      contenders[`tfjs-${backend} stft batch ${batch} (ms)`] = tfjsContender(backend, () => tfjsStft(tfX), ours.stft, checks, `tfjs-${backend} stft batch ${batch} (max |difference|)`);
    }
  }
  const steps = 32;
  const trainValues = clips(steps, 11);
  for (const t of THREADS) {
    const step = trainingStep(trainValues, steps);
    contenders[`kerasm ${t} thread(s) stft training step batch ${steps} (ms)`] = async () => { await useKerasm(t); return step(); };
  }
  const runs = await interleave(contenders, repetitions, (r) => log(`  rep ${r + 1} done`));
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, typeof v[0] === 'string' ? NaN : median(v)]));
  for (const [k, v] of Object.entries(runs)) if (typeof v[0] === 'string') log(`  ${k}: ${v[0]}`);
  for (const [k, v] of Object.entries(checks)) log(`  check ${k}: ${v.toExponential(2)}`);
  const ratios = {};
  for (const batch of BATCHES)
    for (const kind of ['mel', 'stft'])
      for (const t of THREADS)
        for (const backend of ['cpu', 'wasm']) {
          const theirs = medians[`tfjs-${backend} ${kind} batch ${batch} (ms)`];
          if (!Number.isNaN(theirs)) ratios[`kerasm ${t} thread(s) / tfjs-${backend} ${kind} batch ${batch}`] = medians[`kerasm ${t} thread(s) ${kind} batch ${batch} (ms)`] / theirs;
        }
  return {
    title: `Audio front-ends on ${SAMPLES}-sample clips at ${RATE} Hz: MelSpectrogram (Keras defaults: fft ${MEL.fftLength}, stride ${MEL.sequenceStride}, ${MEL.numMelBins} bands, dB) and STFTSpectrogram magnitude (${STFT.frameLength}/${STFT.frameStep}) by layer.apply, against tfjs' stft → abs (→ mel matMul → dB); ms per call, ratios kerasm / tfjs (below 1: kerasm faster)`,
    unit: 'ms', lowerIsBetter: true, runs, medians, ratios, checks,
  };
}
