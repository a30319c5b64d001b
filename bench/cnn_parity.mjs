// `node bench/cnn_parity.mjs`: trains the Keras MNIST convnet (Dropout rate 0 so both sides see the
// same function) from the same initial weights on the same batches in kerasm and in tfjs-layers 4.22
// on tfjs-backend-cpu, and prints both losses per step and the relative weight distance at the end.
// PARITY_STEPS (default 30) steps of PARITY_BATCH (default 16). tfjs-cpu is slow: seconds per step.
import { convnetLayers, km, tf, tfl } from './suite/setup.mjs';

const steps = Number(process.env.PARITY_STEPS ?? 30);
const batch = Number(process.env.PARITY_BATCH ?? 16);
const epsilon = Number(process.env.PARITY_EPSILON ?? 1e-7);

await tf.setBackend('cpu');
await km.ready();

const { train } = await km.datasets.mnist.load();
const n = steps * batch;
const x = train.x.slice(0, n);
const y = train.y.slice(0, n);

km.utils.setRandomSeed(1);
const ours = km.sequential(convnetLayers(km, { dropout: 0 }));
ours.compile({ optimizer: km.optimizers.adam({ epsilon }), loss: 'sparseCategoricalCrossentropy' });
const initial = ours.getWeights();
const theirs = tfl.sequential({ layers: convnetLayers(tfl, { dropout: 0 }) });
theirs.setWeights(initial.map((w) => tf.tensor(w.dataSync(), [...w.shape])));
theirs.compile({ optimizer: tf.train.adam(0.001, 0.9, 0.999, epsilon), loss: 'sparseCategoricalCrossentropy' });

const ourLosses = [];
await ours.fit(x, y, { epochs: 1, batchSize: batch, shuffle: false, verbose: 0, callbacks: { onBatchEnd: (_, logs) => ourLosses.push(logs.loss) } });
const tx = tf.tensor(x.dataSync(), [n, 28, 28]);
const ty = tf.tensor(y.dataSync(), [n], 'float32');
let sum = 0;
for (let s = 0; s < steps; s++) {
  const start = performance.now();
  const loss = await theirs.trainOnBatch(tf.slice(tx, s * batch, batch), tf.slice(ty, s * batch, batch));
  sum += loss;
  // kerasm's onBatchEnd reports the running mean over the epoch.
  console.log(`step ${s + 1}: kerasm ${ourLosses[s].toFixed(6)} tfjs ${(sum / (s + 1)).toFixed(6)} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
}
let diff = 0;
let moved = 0;
const a = ours.getWeights();
const b = theirs.getWeights();
a.forEach((w, i) => {
  const [p, q, s] = [w.dataSync(), b[i].dataSync(), initial[i].dataSync()];
  for (let j = 0; j < p.length; j++) {
    diff += (p[j] - q[j]) ** 2;
    moved += (p[j] - s[j]) ** 2;
  }
});
console.log(`weights moved ${Math.sqrt(moved).toFixed(4)}, relative distance kerasm-tfjs ${(Math.sqrt(diff / moved)).toExponential(3)}`);
