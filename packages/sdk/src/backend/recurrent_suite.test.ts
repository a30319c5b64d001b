import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from './registry.js';
import type { Backend, FusableActivation } from './backend.js';
import { ACTIVATION_REF } from '../testing/recurrent_reference.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, deviceIO, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectWasmTrajectory } from '../testing/wasm_trajectory.js';

// The recurrent layers' kernels on every backend that runs here (Node, or Chromium in browser
// mode), against a float64 loop written from Keras' LSTM equations; then small LSTM, GRU and SimpleRNN models
// trained on each backend against the wasm backend's loss trajectory.
const random = new Random(41);

const DERIVATIVE: Record<string, (v: number) => number> = {
  tanh: (v) => 1 - Math.tanh(v) ** 2,
  sigmoid: (v) => ACTIVATION_REF.sigmoid(v) * (1 - ACTIVATION_REF.sigmoid(v)),
  hardSigmoid: (v) => (v > -2.5 && v < 2.5 ? 0.2 : 0),
  relu: (v) => (v > 0 ? 1 : 0),
};

/** One LSTM step and its backward pass in float64: gates [i | f | c̃ | o] per row. */
function lstmCellReference(z: Float32Array, cPrev: Float32Array | null, dh: Float32Array, dc: Float32Array, rows: number, units: number, act: string, rec: string) {
  const out = { gates: [] as number[], c: [] as number[], ac: [] as number[], h: [] as number[], dz: new Array<number>(rows * 4 * units), dcPrev: [] as number[] };
  for (let r = 0; r < rows; r++) {
    const pre = (k: number, j: number) => z[r * 4 * units + k * units + j];
    const fn = (k: number) => (k === 2 ? ACTIVATION_REF[act] : ACTIVATION_REF[rec]);
    const slope = (k: number) => (k === 2 ? DERIVATIVE[act] : DERIVATIVE[rec]);
    for (let k = 0; k < 4; k++) for (let j = 0; j < units; j++) out.gates.push(fn(k)(pre(k, j)));
    for (let j = 0; j < units; j++) {
      const q = r * units + j;
      const g = (k: number) => fn(k)(pre(k, j));
      const cp = cPrev ? cPrev[q] : 0;
      const c = g(1) * cp + g(0) * g(2);
      out.c.push(c);
      out.ac.push(ACTIVATION_REF[act](c));
      out.h.push(g(3) * ACTIVATION_REF[act](c));
      const dcTotal = dc[q] + dh[q] * g(3) * DERIVATIVE[act](c);
      out.dz[r * 4 * units + j] = dcTotal * g(2) * slope(0)(pre(0, j));
      out.dz[r * 4 * units + units + j] = dcTotal * cp * slope(1)(pre(1, j));
      out.dz[r * 4 * units + 2 * units + j] = dcTotal * g(0) * slope(2)(pre(2, j));
      out.dz[r * 4 * units + 3 * units + j] = dh[q] * ACTIVATION_REF[act](c) * slope(3)(pre(3, j));
      out.dcPrev.push(dcTotal * g(1));
    }
  }
  return out;
}

const draw = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => random.uniform(lo, hi));

describe.each(BACKENDS_HERE)('recurrent kernels and models on backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);

  runsOn(name, (current) => (b = current));

  it.each<[number, number, FusableActivation, FusableActivation, boolean]>([
    [3, 5, 'tanh', 'hardSigmoid', true],
    [2, 4, 'relu', 'sigmoid', false],
  ])('lstmCellForward and lstmCellBackward: rows %i, units %i, %s / %s, previous state %s', async (rows, units, act, rec, withState) => {
    const n = rows * units;
    const [z, cPrev, dh, dc] = [draw(4 * n, -3, 3), draw(n, -2, 2), draw(n, -1, 1), draw(n, -1, 1)];
    const ref = lstmCellReference(z, withState ? cPrev : null, dh, dc, rows, units, act, rec);
    const [zId, cId, acId, hId, dcId] = [upload(z), b.alloc(n, 'float32'), b.alloc(n, 'float32'), b.alloc(n, 'float32'), upload(dc)];
    const cPrevId = withState ? upload(cPrev) : 0;
    b.lstmCellForward(zId, cPrevId, cId, acId, hId, rows, units, act, rec);
    expectClose(await download(zId, 4 * n), ref.gates);
    expectClose(await download(cId, n), ref.c);
    expectClose(await download(acId, n), ref.ac);
    expectClose(await download(hId, n), ref.h);
    b.lstmCellBackward(zId, cPrevId, acId, upload(dh), dcId, rows, units, act, rec);
    expectClose(await download(zId, 4 * n), ref.dz, 1e-4);
    expectClose(await download(dcId, n), ref.dcPrev, 1e-4);
  });

  const sequences = km.tensor(draw(8 * 6 * 2, -1, 1), [8, 6, 2]);
  const tokens = km.tensor(Int32Array.from({ length: 8 * 6 }, (_, i) => (i * 5) % 9), [8, 6], 'int32');
  const labels = km.tensor(Int32Array.from({ length: 8 }, (_, i) => i % 3), [8], 'int32');
  const tags = km.tensor(Int32Array.from({ length: 8 * 6 }, (_, i) => (i * 3) % 4), [8, 6], 'int32');
  // Sample k padded with (k mod 4) zero steps at the end.
  const padded = km.tensor(draw(8 * 6 * 2, 0.1, 1).map((v, i) => (Math.floor(i / 2) % 6 >= 6 - (Math.floor(i / 12) % 4) ? 0 : v)), [8, 6, 2]);

  it('the masking kernels: a mask from values, masked rows selected and their gradient routed, the mean over unmasked steps (naive loops)', async () => {
    const [rows, width] = [6, 3];
    const x = draw(rows * width, -1, 1);
    x.fill(0.25, 0, width);
    x.fill(0.25, 3 * width, 4 * width);
    const mask = upload(new Float32Array(rows));
    b.maskFromValues(upload(x), mask, rows, width, 0.25);
    const expectedMask = [0, 1, 1, 0, 1, 1];
    expectClose(await download(mask, rows), expectedMask);
    const [h, prev, dh, dPrev] = [1, 2, 3, 4].map(() => draw(rows * width, -1, 1));
    const [hId, dhId, dPrevId] = [upload(h), upload(dh), upload(dPrev)];
    b.maskSelectRows(mask, hId, upload(prev), rows, width);
    b.maskSelectRowsGrad(mask, dhId, dPrevId, rows, width);
    const kept = (i: number) => expectedMask[Math.floor(i / width)] === 1;
    expectClose(await download(hId, rows * width), Array.from(h, (v, i) => (kept(i) ? v : prev[i])));
    expectClose(await download(dhId, rows * width), Array.from(dh, (v, i) => (kept(i) ? v : 0)));
    expectClose(await download(dPrevId, rows * width), Array.from(dPrev, (v, i) => (kept(i) ? v : v + dh[i])));
    // Two sequences of 3 steps, each [drop, keep, keep]: the mean of their last two steps.
    const out = upload(new Float32Array(2 * width));
    b.maskedMeanSteps(upload(x), mask, out, 2, 3, width);
    expectClose(await download(out, 2 * width), Array.from({ length: 2 * width }, (_, i) => {
      const [n, c] = [Math.floor(i / width), i % width];
      return (x[(3 * n + 1) * width + c] + x[(3 * n + 2) * width + c]) / 2;
    }));
    const dy = draw(2 * width, -1, 1);
    const dx = upload(new Float32Array(rows * width));
    b.maskedMeanStepsGrad(upload(dy), mask, dx, 2, 3, width);
    expectClose(await download(dx, rows * width), Array.from({ length: rows * width }, (_, i) => (kept(i) ? dy[Math.floor(i / (3 * width)) * width + (i % width)] / 2 : 0)));
  });
  const frames = km.tensor(draw(8 * 3 * 5 * 4 * 1, 0, 1), [8, 3, 5, 4, 1]);
  const models = {
    'ConvLSTM2D(returnSequences, same) → ConvLSTM2D(goBackwards, strides 2) → Flatten → Dense(softmax)': () => ({
      model: km.sequential([
        km.layers.convLstm2d({ filters: 3, kernelSize: 3, padding: 'same', returnSequences: true, inputShape: [3, 5, 4, 1] }),
        km.layers.convLstm2d({ filters: 2, kernelSize: 2, strides: 2, goBackwards: true, recurrentActivation: 'sigmoid' }),
        km.layers.flatten(),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ]),
      x: frames, y: labels,
    }),
    'Masking → Bidirectional(ConvLSTM2D(returnSequences)) → Flatten → Dense(softmax), whole frames padded': () => {
      // Sample i's last (i mod 3) frames are zeros, which Masking marks and both directions carry their states over.
      const padded = frames.dataSync().slice();
      for (let i = 0; i < 8; i++) padded.fill(0, (i * 3 + 3 - (i % 3)) * 20, (i + 1) * 3 * 20);
      return {
        model: km.sequential([
          km.layers.masking({ inputShape: [3, 5, 4, 1] }),
          km.layers.bidirectional({ layer: km.layers.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same', returnSequences: true }) }),
          km.layers.flatten(),
          km.layers.dense({ units: 3, activation: 'softmax' }),
        ]),
        x: km.tensor(padded, [8, 3, 5, 4, 1]), y: labels,
      };
    },
    'LSTM(goBackwards) → Dense(softmax)': () => ({
      model: km.sequential([km.layers.lstm({ units: 5, goBackwards: true, inputShape: [6, 2] }), km.layers.dense({ units: 3, activation: 'softmax' })]), x: sequences, y: labels,
    }),
    'Embedding → LSTM(returnSequences) → Dense(softmax) per step': () => ({
      model: km.sequential([km.layers.embedding({ inputDim: 9, outputDim: 3, inputShape: [6] }), km.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' }), km.layers.dense({ units: 4, activation: 'softmax' })]),
      x: tokens, y: tags,
    }),
    'Embedding → GRU(returnSequences) → GRU(goBackwards) → Dense(softmax)': () => ({
      model: km.sequential([km.layers.embedding({ inputDim: 9, outputDim: 3, inputShape: [6] }), km.layers.gru({ units: 4, returnSequences: true }), km.layers.gru({ units: 3, goBackwards: true, recurrentActivation: 'sigmoid' }), km.layers.dense({ units: 3, activation: 'softmax' })]),
      x: tokens, y: labels,
    }),
    'GRU(resetAfter, returnSequences) → GRU(resetAfter, goBackwards, no bias) → Dense(softmax)': () => ({
      model: km.sequential([km.layers.gru({ units: 4, returnSequences: true, resetAfter: true, recurrentActivation: 'sigmoid', biasInitializer: 'glorotUniform', inputShape: [6, 2] }), km.layers.gru({ units: 3, goBackwards: true, resetAfter: true, useBias: false }), km.layers.dense({ units: 3, activation: 'softmax' })]),
      x: sequences, y: labels,
    }),
    'SimpleRNN(returnSequences) → SimpleRNN → Dense(softmax)': () => ({
      model: km.sequential([km.layers.simpleRNN({ units: 4, returnSequences: true, inputShape: [6, 2] }), km.layers.simpleRNN({ units: 3, goBackwards: true }), km.layers.dense({ units: 3, activation: 'softmax' })]),
      x: sequences, y: labels,
    }),
    // One wrapper model, to keep the browser run short: the time reversal, the product merge and TimeDistributed.
    'Embedding → Bidirectional(LSTM, returnSequences, mergeMode mul) → TimeDistributed(Dense(softmax))': () => ({
      model: km.sequential([
        km.layers.embedding({ inputDim: 9, outputDim: 3, inputShape: [6] }),
        km.layers.bidirectional({ layer: km.layers.lstm({ units: 3, returnSequences: true }), mergeMode: 'mul' }),
        km.layers.timeDistributed({ layer: km.layers.dense({ units: 4, activation: 'softmax' }) }),
      ]),
      x: tokens, y: tags,
    }),
    'Embedding(maskZero) → LSTM(returnSequences) → GRU(goBackwards) → Dense(softmax), 0s masked': () => ({
      model: km.sequential([km.layers.embedding({ inputDim: 9, outputDim: 3, inputShape: [6], maskZero: true }), km.layers.lstm({ units: 4, returnSequences: true }), km.layers.gru({ units: 3, goBackwards: true }), km.layers.dense({ units: 3, activation: 'softmax' })]),
      x: tokens, y: labels,
    }),
    'Masking → SimpleRNN(returnSequences) → GlobalAveragePooling1D → Dense(softmax), padded at the end': () => ({
      model: km.sequential([km.layers.masking({ inputShape: [6, 2] }), km.layers.simpleRNN({ units: 4, returnSequences: true }), km.layers.globalAveragePooling1d(), km.layers.dense({ units: 3, activation: 'softmax' })]),
      x: padded, y: labels,
    }),
    // Encoder states into two decoders (h read twice, so its gradients add up), over padded sequences.
    'seq2seq: Masking → LSTM(returnState, goBackwards) → [LSTM(initialState [h, c]), GRU(resetAfter, initialState [h])] → Dense(softmax)': () => {
      const [encIn, decIn] = [km.input({ shape: [6, 2] }), km.input({ shape: [6, 2] })];
      const [, h, c] = km.layers.lstm({ units: 4, returnState: true, goBackwards: true }).apply(km.layers.masking().apply(encIn));
      const lstmOut = km.layers.lstm({ units: 4 }).apply(decIn, { initialState: [h, c] });
      const gruOut = km.layers.gru({ units: 4, resetAfter: true, recurrentActivation: 'sigmoid' }).apply(decIn, { initialState: [h] });
      const y = km.layers.dense({ units: 3, activation: 'softmax' }).apply(km.layers.concatenate().apply([lstmOut, gruOut]));
      return { model: km.model({ inputs: [encIn, decIn], outputs: y }), x: [padded, sequences], y: labels };
    },
    // Both directions' sequences as two outputs and their states into a second Bidirectional, half each.
    'Bidirectional(GRU, mergeMode null, returnState) → Bidirectional(GRU, initialState [hF, hB]) → Dense(softmax)': () => {
      const x = km.input({ shape: [6, 2] });
      const [forward, backward, hF, hB] = km.layers.bidirectional({ layer: km.layers.gru({ units: 3, returnSequences: true, returnState: true }), mergeMode: null }).apply(x) as unknown as km.SymbolicTensor[];
      const decoded = km.layers.bidirectional({ layer: km.layers.gru({ units: 3 }) }).apply(x, { initialState: [hF, hB] });
      const pooled = [forward, backward].map((t) => km.layers.globalAveragePooling1d().apply(t));
      const y = km.layers.dense({ units: 3, activation: 'softmax' }).apply(km.layers.concatenate().apply([...pooled, decoded]));
      return { model: km.model({ inputs: x, outputs: y }), x: sequences, y: labels };
    },
    // The masks come from the seeded generator and every backend draws core-wasm's, so the runs agree.
    'Bidirectional(LSTM(dropout, recurrentDropout, returnSequences)) → GRU(resetAfter, dropout, recurrentDropout) → Dense(softmax)': () => ({
      model: km.sequential([
        km.layers.bidirectional({ layer: km.layers.lstm({ units: 3, returnSequences: true, dropout: 0.3, recurrentDropout: 0.3 }), inputShape: [6, 2] }),
        km.layers.gru({ units: 3, resetAfter: true, recurrentActivation: 'sigmoid', dropout: 0.2, recurrentDropout: 0.4 }),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ]),
      x: sequences, y: labels,
    }),
    'Masking → RNN([LSTMCell, GRUCell], goBackwards, returnSequences) → GlobalAveragePooling1D → Dense(softmax): stacked cells over padded sequences': () => ({
      model: km.sequential([
        km.layers.masking({ inputShape: [6, 2] }),
        km.layers.rnn({ cell: [km.layers.lstmCell({ units: 4 }), km.layers.gruCell({ units: 3 })], goBackwards: true, returnSequences: true }),
        km.layers.globalAveragePooling1d(),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ]),
      x: padded, y: labels,
    }),
  };

  it('a stateful RNN([LSTMCell, GRUCell]) fed a sequence in two chunks gives the unchunked outputs, its states kept on this backend', async () => {
    km.utils.setRandomSeed(9);
    const [batch, half, features] = [2, 3, 2];
    const cells = () => [km.layers.lstmCell({ units: 3 }), km.layers.gruCell({ units: 2 })];
    const stateful = km.sequential([km.layers.rnn({ cell: cells(), stateful: true, returnSequences: true, batchInputShape: [batch, half, features] })]);
    const whole = km.sequential([km.layers.rnn({ cell: cells(), returnSequences: true, inputShape: [2 * half, features] })]);
    whole.setWeights(stateful.getWeights());
    const values = Float32Array.from({ length: batch * 2 * half * features }, (_, i) => Math.cos(0.7 * i));
    const chunk = (c: number) => Float32Array.from({ length: batch * half * features }, (_, i) => {
      const [b, rest] = [Math.floor(i / (half * features)), i % (half * features)];
      return values[b * 2 * half * features + c * half * features + rest];
    });
    const expected = await whole.predict(km.tensor(values, [batch, 2 * half, features])).data();
    for (let c = 0; c < 2; c++) {
      const got = await stateful.predict(km.tensor(chunk(c), [batch, half, features]), { batchSize: batch }).data();
      got.forEach((v, i) => {
        const [b, rest] = [Math.floor(i / (half * 2)), i % (half * 2)];
        expect(Math.abs(v - expected[b * 2 * half * 2 + c * half * 2 + rest])).toBeLessThan(1e-5);
      });
    }
  });

  it.each(Object.entries(models))('%s follows the wasm loss trajectory', async (_label, build) => {
    await expectWasmTrajectory(name, build, 'sparseCategoricalCrossentropy', 4);
    b = backend();
  });
});
