import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { KlDivergence, Sampling } from '../testing/loss_layers.js';
import { Random } from '../utils/random.js';

// A small variational autoencoder built as Keras' VAE example builds it: an encoder to zMean and
// zLogVar, a KL layer that adds its term with ctx.addLoss, a sampling layer, and a decoder.
beforeAll(() => km.ready());

const [FEATURES, LATENT, SAMPLES] = [8, 2, 64];

/** Samples in (0, 1) that two hidden factors explain: sigmoid(A·u), u ~ N(0, 1). */
function data(): km.Tensor {
  const random = new Random(3);
  const mixing = Array.from({ length: FEATURES * LATENT }, () => random.uniform(-2, 2));
  const values = Array.from({ length: SAMPLES }, () => {
    const u = [random.normal(), random.normal()];
    return Array.from({ length: FEATURES }, (_, f) => 1 / (1 + Math.exp(-(mixing[f * LATENT] * u[0] + mixing[f * LATENT + 1] * u[1]))));
  });
  return km.tensor(values.flat(), [SAMPLES, FEATURES]);
}

describe('a VAE whose KL term a layer adds (ctx.addLoss)', () => {
  it('trains: the KL term and the total loss go down', async () => {
    km.utils.setRandomSeed(12);
    const input = km.input({ shape: [FEATURES] });
    const hidden = km.layers.dense({ units: 16, activation: 'relu' }).apply(input) as km.SymbolicTensor;
    const zMean = km.layers.dense({ units: LATENT, name: 'z_mean' }).apply(hidden) as km.SymbolicTensor;
    // Starting far from N(0, 1) (variance e⁻³) gives the KL term room to fall.
    const zLogVar = km.layers.dense({ units: LATENT, name: 'z_log_var', biasInitializer: { className: 'Constant', config: { value: -3 } } }).apply(hidden) as km.SymbolicTensor;
    const [mean, logVar] = new KlDivergence().apply([zMean, zLogVar]) as unknown as km.SymbolicTensor[];
    const z = new Sampling({ seed: 5 }).apply([mean, logVar]) as km.SymbolicTensor;
    const decoded = km.layers.dense({ units: 16, activation: 'relu' }).apply(z) as km.SymbolicTensor;
    const output = km.layers.dense({ units: FEATURES, activation: 'sigmoid' }).apply(decoded) as km.SymbolicTensor;
    const vae = km.model({ inputs: input, outputs: output });
    const encoder = km.model({ inputs: input, outputs: [zMean, zLogVar] });
    const x = data();

    // The batch-mean KL term computed here from the encoder's outputs, independently of the layer.
    const kl = () => {
      const [m, lv] = (encoder.predict(x) as km.Tensor[]).map((t) => Array.from(t.dataSync()));
      return m.reduce((s, mj, j) => s - 0.5 * (1 + lv[j] - mj * mj - Math.exp(lv[j])), 0) / SAMPLES;
    };
    const klBefore = kl();
    vae.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy' });
    const [totalBefore] = (await vae.evaluate(x, x, { batchSize: SAMPLES, verbose: 0 })) as number[];
    // evaluate's loss is the KL term plus the reconstruction's cross-entropy, near ln 2 for an untrained decoder.
    expect(klBefore).toBeGreaterThan(1);
    expect(totalBefore - klBefore).toBeGreaterThan(0.5);
    expect(totalBefore - klBefore).toBeLessThan(0.9);

    const history = await vae.fit(x, x, { epochs: 30, batchSize: 16, verbose: 0, seed: 1 });
    const losses = history.history.loss as number[];
    expect(kl()).toBeLessThan(klBefore / 3);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] - 0.5);
    expect(losses[0]).toBeLessThan(totalBefore + 0.1);
  });
});
