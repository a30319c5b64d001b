// How the whole-model training scripts time tfjs-layers: one steady-state epoch after a warm-up.
import { tf } from './setup.mjs';

/**
 * tfjs-layers' samples/s over one epoch of (xs, ys) after a one-batch warm-up fit, or "fails: …"
 * when tfjs cannot train the model. Disposes the model and the tensors.
 */
export async function tfjsEpoch(model, xs, ys, batchSize) {
  try {
    await model.fit(tf.slice(xs, 0, batchSize), tf.slice(ys, 0, batchSize), { epochs: 1, batchSize, verbose: 0 });
    const start = performance.now();
    await model.fit(xs, ys, { epochs: 1, batchSize, verbose: 0 });
    return xs.shape[0] / ((performance.now() - start) / 1000);
  } catch (e) {
    return `fails: ${e.message.split('\n')[0]}`;
  } finally {
    tf.dispose(xs === ys ? [xs] : [xs, ys]);
    model.dispose();
  }
}
