import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// kerasm reads `trainable` when a step runs; tfjs and Keras 2 fix at compile which weights a model
// trains. Where code written for them would train other weights here, kerasm says so once.

let warnings: string[] = [];
const warn = console.warn;
beforeEach(() => {
  warnings = [];
  console.warn = (message: string) => void warnings.push(message);
});
afterEach(() => {
  console.warn = warn;
});

const x = km.tensor([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6], [-0.7, 0.8]]);
const y = km.tensor([[1], [0], [1], [0]]);

function parts(): { generator: km.Sequential; discriminator: km.Sequential } {
  km.utils.setRandomSeed(9);
  const generator = km.sequential({ name: 'generator', layers: [km.layers.dense({ units: 3, inputShape: [2], name: 'g_dense' })] });
  const discriminator = km.sequential({ name: 'discriminator', layers: [km.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [3], name: 'd_dense' })] });
  discriminator.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  return { generator, discriminator };
}

describe('trainable changed since compile', () => {
  it("tfjs' GAN recipe (freeze only to compile the combined model) warns once, naming the layers the combined model now trains", async () => {
    const { generator, discriminator } = parts();
    discriminator.trainable = false;
    const combined = km.sequential({ name: 'gan', layers: [generator, discriminator] });
    combined.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    discriminator.trainable = true;
    const before = discriminator.getWeights().map((w) => Array.from(w.dataSync()));
    await combined.trainOnBatch(x, y);
    await combined.trainOnBatch(x, y);
    // What the warning is about: the discriminator moved in the combined model's steps.
    expect(discriminator.getWeights().map((w) => Array.from(w.dataSync()))).not.toEqual(before);
    expect(warnings).toEqual([
      "kerasm: model 'gan' trains layers that were frozen (trainable = false) when it was compiled: 'd_dense'. kerasm reads trainable when a step runs, as Keras 3 does, where tfjs and Keras 2 keep a layer frozen at compile out of that model's training after trainable = true, which GAN code relies on (the discriminator frozen only to compile the combined model). To keep them out, set trainable = false before this model's steps (each weight keeps its optimizer state through the changes); if training them is meant, compile again, which also silences this.",
    ]);
    // Compiling again takes the layers as they are now: meant, so no more warnings.
    combined.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    await combined.trainOnBatch(x, y);
    expect(warnings).toHaveLength(1);
  });

  it('the recipe kerasm advises (unfrozen only around the discriminator\'s own steps) and fine-tuning with a recompile warn of nothing', async () => {
    const { generator, discriminator } = parts();
    discriminator.trainable = false;
    const combined = km.sequential({ name: 'gan_advised', layers: [generator, discriminator] });
    combined.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    for (let step = 0; step < 2; step++) {
      discriminator.trainable = true;
      await discriminator.trainOnBatch(km.tensor([[0.1, 0.2, 0.3]]), km.tensor([[1]]));
      discriminator.trainable = false;
      await combined.trainOnBatch(x, y);
    }
    const base = km.layers.dense({ units: 3, inputShape: [2], trainable: false });
    const model = km.sequential([base, km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    base.trainable = true;
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 1e-4 }), loss: 'mse' });
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(warnings).toEqual([]);
  });

  it('unfreezing a base after compile without compiling again warns, as Keras and tfjs would not train it', async () => {
    const base = km.layers.dense({ units: 3, inputShape: [2], trainable: false, name: 'frozen_base' });
    const model = km.sequential({ name: 'fine_tuned', layers: [base, km.layers.dense({ units: 1 })] });
    model.compile({ optimizer: 'adam', loss: 'mse' });
    base.trainable = true;
    await model.fit(x, y, { epochs: 2, verbose: 0 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^kerasm: model 'fine_tuned' trains layers that were frozen \(trainable = false\) when it was compiled: 'frozen_base'\./);
  });
});
