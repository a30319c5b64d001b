// `node bench/varlen_text.mjs`: training speed over token sequences of varying length, the case of
// inputs with a dimension of unknown size (inputShape [null]). A text classifier, Embedding(2000, 32,
// maskZero) → LSTM(32) → Dense(1, sigmoid), binary cross-entropy, Adam, over VARLEN_SAMPLES (default
// 1024) synthetic sequences of 10 to 80 tokens, bucketed: sorted by length into batches of 32, each
// padded with zeros to its own longest, the batches in a shuffled order. One epoch of fit(dataset)
// after a warm-up fit on the first batch (32 lengths outnumber the 8 sizes a kerasm model keeps
// plans for, so a warm-up epoch would not spare the timed one any): kerasm on its wasm core
// (km.data) against tfjs-layers 4.22's fitDataset (tf.data) on tfjs-backend-wasm, and on
// tfjs-backend-cpu over its first VARLEN_CPU_BATCHES (default 1) batches beside kerasm on the same
// ones; and kerasm on the same samples all padded to 80 tokens, which is what bucketing saves.
// Interleaved, medians of VARLEN_REPS (default 3; kerasm's bucketed and padded epochs five times as
// many): seconds per epoch and each side's loss over the timed epoch.
import { createRequire } from 'node:module';
import { km, tf, tfl } from './suite/setup.mjs';
import { interleave, median } from './suite/stats.mjs';

// tf.data comes with the SDK's test dependencies, not the workspace root's.
const tfd = createRequire(import.meta.resolve('@kerasm/sdk'))('@tensorflow/tfjs-data');

const reps = Number(process.env.VARLEN_REPS ?? 3);
const samples = Number(process.env.VARLEN_SAMPLES ?? 1024);
const [vocabulary, width, units, batchSize, shortest, longest] = [2000, 32, 32, 32, 10, 80];

// tfjs' default Orthogonal recurrent initializer needs its chained ops, which tfjs-core alone does
// not register (see lstm.mjs); both libraries get Glorot, so that their losses start alike.
const layers = (lib) => [
  lib.layers.embedding({ inputDim: vocabulary, outputDim: width, inputShape: [null], maskZero: true }),
  lib.layers.lstm({ units, recurrentInitializer: 'glorotUniform' }),
  lib.layers.dense({ units: 1, activation: 'sigmoid' }),
];

// Token ids in [1, vocabulary) (0 is padding); the label is whether most tokens are in the upper half.
const hash = (i) => Math.imul(i + 1, 2654435761) >>> 0;
const sequences = Array.from({ length: samples }, (_, s) => {
  const tokens = Array.from({ length: shortest + (hash(7 * s) % (longest - shortest + 1)) }, (_, t) => 1 + (hash(s * longest + t) % (vocabulary - 1)));
  return { tokens, label: 2 * tokens.filter((token) => token >= vocabulary / 2).length > tokens.length ? 1 : 0 };
});

/** The samples sorted by length in batches of 32, each padded to its longest (or to `padTo`), in a fixed shuffled order. */
function bucketedBatches(padTo) {
  const sorted = [...sequences].sort((a, b) => a.tokens.length - b.tokens.length);
  const batches = [];
  for (let start = 0; start < sorted.length; start += batchSize) {
    const batch = sorted.slice(start, start + batchSize);
    const steps = padTo ?? batch.at(-1).tokens.length;
    const xs = new Int32Array(batch.length * steps);
    batch.forEach(({ tokens }, b) => xs.set(tokens, b * steps));
    batches.push({ xs, ys: Float32Array.from(batch, ({ label }) => label), shape: [batch.length, steps] });
  }
  return batches.map((batch, i) => ({ batch, key: hash(i) })).sort((a, b) => a.key - b.key).map(({ batch }) => batch);
}
const bucketed = bucketedBatches();
const padded = bucketedBatches(longest);
const lengths = new Set(bucketed.map(({ shape }) => shape[1]));
const tokensIn = (batches) => batches.reduce((sum, { shape }) => sum + shape[0] * shape[1], 0);

// Both libraries start from kerasm's seed-1 weights, so that the same batches give the same losses.
await km.setBackend('wasm');
km.utils.setRandomSeed(1);
const initialWeights = km.sequential(layers(km)).getWeights().map((w) => ({ values: w.dataSync(), shape: [...w.shape] }));

/** Seconds of one epoch of fit(dataset) over `batches` after a warm-up fit on the first, and the loss it logged. */
async function timedEpoch(fitOn, batches) {
  await fitOn(batches.slice(0, 1));
  const start = performance.now();
  const history = await fitOn(batches);
  return { seconds: (performance.now() - start) / 1000, loss: history.history.loss[0] };
}

async function kerasmPass(batches) {
  await km.setBackend('wasm');
  const model = km.sequential(layers(km));
  model.setWeights(initialWeights.map(({ values, shape }) => km.tensor(values, shape)));
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const elements = batches.map(({ xs, ys, shape }) => ({ xs: km.tensor(xs, shape, 'int32'), ys: km.tensor(ys, [shape[0], 1]) }));
  try {
    return await timedEpoch((some) => model.fit(km.data.array(elements.slice(0, some.length)), { epochs: 1, verbose: 0 }), batches);
  } finally {
    for (const { xs, ys } of elements) [xs, ys].forEach((t) => t.dispose());
    model.dispose();
  }
}

async function tfjsPass(backend, batches) {
  await tf.setBackend(backend);
  const model = tfl.sequential({ layers: layers(tfl) });
  model.setWeights(initialWeights.map(({ values, shape }) => tf.tensor(values, shape)));
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  // tf.data.array hands out clones, since fitDataset disposes each batch it trained on.
  const elements = batches.map(({ xs, ys, shape }) => ({ xs: tf.tensor(xs, shape, 'int32'), ys: tf.tensor(ys, [shape[0], 1]) }));
  try {
    return await timedEpoch((some) => model.fitDataset(tfd.array(elements.slice(0, some.length)), { epochs: 1, verbose: 0 }), batches);
  } catch (e) {
    return { fails: e.message.split('\n')[0] };
  } finally {
    tf.dispose(elements.flatMap(({ xs, ys }) => [xs, ys]));
    model.dispose();
  }
}

// tfjs' pure-JavaScript cpu backend trains on a few batches (its Embedding gradient alone takes
// seconds per batch), and kerasm on the same ones beside it.
const cpuBatches = bucketed.slice(0, Number(process.env.VARLEN_CPU_BATCHES ?? 1));
const few = `first ${cpuBatches.length} batch${cpuBatches.length > 1 ? 'es' : ''} (${tokensIn(cpuBatches)} tokens)`;
const [bucketedRun, paddedRun, wasmRun, kerasmFew, cpuRun] = ['kerasm wasm, bucketed', `kerasm wasm, all padded to ${longest}`, 'tfjs-wasm, bucketed', `kerasm wasm, ${few}`, `tfjs-cpu, ${few}`];

console.log(`${samples} samples of ${shortest}-${longest} tokens, batches of ${batchSize}: ${bucketed.length} batches over ${lengths.size} lengths, ` +
  `${tokensIn(bucketed)} tokens bucketed against ${tokensIn(padded)} padded to ${longest}`);
const describe = (run) => (run.fails ? `fails: ${run.fails}` : `${run.seconds.toFixed(3)} s/epoch, loss ${run.loss.toFixed(5)}`);
const printRep = (r, soFar) => {
  for (const [name, runs] of Object.entries(soFar)) console.log(`rep ${r + 1} ${name}: ${describe(runs[r])}`);
};
// kerasm's epochs take a fraction of a second, which this VM's noise swamps: five times the reps.
const results = {
  ...(await interleave({ [bucketedRun]: () => kerasmPass(bucketed), [paddedRun]: () => kerasmPass(padded) }, 5 * reps)),
  ...(await interleave({ [wasmRun]: () => tfjsPass('wasm', bucketed), [kerasmFew]: () => kerasmPass(cpuBatches), [cpuRun]: () => tfjsPass('cpu', cpuBatches) }, reps, printRep)),
};

const seconds = (name) => median(results[name].map((run) => run.seconds));
const line = (name) => `${name}: ${seconds(name).toFixed(3)} s/epoch (reps ${results[name].map((run) => run.seconds.toFixed(3)).join(', ')}), loss ${results[name].at(-1).loss.toFixed(5)}`;
const ratio = (ours, theirs) => `kerasm/tfjs ${(seconds(ours) / seconds(theirs)).toPrecision(2)}`;
console.log(`${line(bucketedRun)} (kerasm on ${km.getBackendInfo().threads ?? 1} threads)`);
console.log(`${line(paddedRun)}; bucketed / padded ${(seconds(bucketedRun) / seconds(paddedRun)).toFixed(2)}`);
const wasmFails = results[wasmRun][0].fails;
console.log(wasmFails ? `${wasmRun}: fails: ${wasmFails}` : `${line(wasmRun)}; ${ratio(bucketedRun, wasmRun)}`);
console.log(line(kerasmFew));
console.log(`${line(cpuRun)}; ${ratio(kerasmFew, cpuRun)}; its whole epoch, scaled by tokens: ~${(seconds(cpuRun) * tokensIn(bucketed) / tokensIn(cpuBatches)).toFixed(0)} s`);
