// `node bench/accuracy_seeds.mjs [--kerasm-seeds 1-30] [--tfjs-runs 10]`: the Keras MNIST reference
// program (Dense 64 relu -> Dense 10 softmax, Adam, 5 epochs, batch 64, all 60,000 training images)
// trained to the end again and again: kerasm on its wasm backend with seeds 1..N (what
// `kerasm train --seed S` runs), and tfjs-layers 4.22 on tfjs-backend-wasm, whose runs draw their
// initial weights and shuffles from Math.random. Prints each run's test accuracy, then the mean,
// standard deviation and range per library, to show where a fixed accuracy threshold falls.
import { parseArgs } from 'node:util';
import { kerasmMlp, km, tf, tfjsMlp, useKerasm, useTfjs } from './suite/setup.mjs';

const { values } = parseArgs({ options: { 'kerasm-seeds': { type: 'string' }, 'tfjs-runs': { type: 'string' } } });
const [first, last] = (values['kerasm-seeds'] ?? '1-30').split('-').map(Number);
const tfjsRuns = Number(values['tfjs-runs'] ?? 10);
const EPOCHS = 5;
const BATCH = 64;

const { train, test } = await km.datasets.mnist.load();

function summary(accuracies) {
  const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
  const sd = Math.sqrt(accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / (accuracies.length - 1));
  return { runs: accuracies.length, mean, sd, min: Math.min(...accuracies), max: Math.max(...accuracies), atLeast0970: accuracies.filter((a) => a >= 0.97).length };
}

const kerasm = [];
await useKerasm(1);
for (let seed = first; seed <= last; seed++) {
  const model = kerasmMlp(seed);
  // As the CLI does: the seed goes to km.utils.setRandomSeed only, and fit draws its shuffle seed from it.
  await model.fit(train.x, train.y, { epochs: EPOCHS, batchSize: BATCH, verbose: 0 });
  const [, accuracy] = await model.evaluate(test.x, test.y, { verbose: 0 });
  model.dispose();
  kerasm.push(accuracy);
  console.log(`kerasm seed ${seed}: ${accuracy.toFixed(4)}`);
}

const tfjs = [];
await useTfjs('wasm');
const x = tf.tensor2d(train.x.dataSync(), [train.x.shape[0], 784]);
const y = tf.tensor1d(Float32Array.from(train.y.dataSync()));
const tx = tf.tensor2d(test.x.dataSync(), [test.x.shape[0], 784]);
const ty = tf.tensor1d(Float32Array.from(test.y.dataSync()));
for (let run = 1; run <= tfjsRuns; run++) {
  const model = tfjsMlp();
  await model.fit(x, y, { epochs: EPOCHS, batchSize: BATCH, verbose: 0 });
  const [loss, accuracy] = model.evaluate(tx, ty);
  const value = (await accuracy.data())[0];
  tf.dispose([loss, accuracy]);
  model.dispose();
  tfjs.push(value);
  console.log(`tfjs-layers run ${run}: ${value.toFixed(4)}`);
}

console.log(JSON.stringify({ kerasm: summary(kerasm), tfjsLayers: tfjsRuns > 0 ? summary(tfjs) : null }));
