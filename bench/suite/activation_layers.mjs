// The activation layers applied on data: LeakyReLU(0.2) and PReLU with one alpha per channel on a
// [32, 28, 28, 8] batch (200,704 values, a conv feature map), kerasm's SIMD kernels on one thread
// against tfjs-layers' apply on tfjs-wasm (output read and disposed each call).
import { interleave, median, secondsPerCall } from './stats.mjs';
import { km, tf, tfl, useKerasm, useTfjs } from './setup.mjs';

const SHAPE = [32, 28, 28, 8];

export async function activationLayersSpeed({ repetitions, log }) {
  await useKerasm(1);
  await useTfjs('wasm');
  const size = SHAPE.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: size }, (_, i) => Math.sin(i));
  const kmX = km.tensor(values, SHAPE);
  const tfX = tf.tensor(values, SHAPE);
  const layers = {
    leakyReLU: [km.layers.leakyReLU({ alpha: 0.2 }), tfl.layers.leakyReLU({ alpha: 0.2 })],
    prelu: [km.layers.prelu({ sharedAxes: [1, 2], alphaInitializer: 'glorotUniform' }), tfl.layers.prelu({ sharedAxes: [1, 2], alphaInitializer: 'glorotUniform' })],
  };
  const contenders = {};
  for (const [name, [ours, theirs]] of Object.entries(layers)) {
    contenders[`kerasm ${name} (ms)`] = () => secondsPerCall(() => ours.apply(kmX).dataSync()) * 1000;
    contenders[`tfjs-wasm ${name} (ms)`] = () => secondsPerCall(() => { const y = theirs.apply(tfX); y.dataSync(); y.dispose(); }) * 1000;
  }
  const runs = await interleave(contenders, repetitions, (r) => log(`  rep ${r + 1} done`));
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  const ratios = Object.fromEntries(Object.keys(layers).map((name) => [`kerasm / tfjs-wasm (${name})`, medians[`kerasm ${name} (ms)`] / medians[`tfjs-wasm ${name} (ms)`]]));
  return { title: `LeakyReLU and PReLU (alpha per channel) layer.apply on [${SHAPE.join(', ')}], one thread`, runs, medians, ratios };
}
