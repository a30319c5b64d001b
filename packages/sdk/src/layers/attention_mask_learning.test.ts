import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

// A task only an explicit attention mask makes learnable: the target is the value at one marked
// step of each sequence, and nothing in the sequence says which step; the mask (attend only to
// the marked step) does. The same model with an all-ones mask cannot do better than guess.
beforeAll(() => km.ready());

const [n, steps] = [256, 6];
const random = new Random(97);
const values = Float32Array.from({ length: n * steps }, () => random.uniform(-1, 1));
const marked = Int32Array.from({ length: n }, () => Math.floor(random.next() * steps));
const targets = Float32Array.from(marked, (t, s) => values[s * steps + t]);
const onlyMarked = Float32Array.from({ length: n * steps * steps }, (_, i) => (i % steps === marked[Math.floor(i / (steps * steps))] ? 1 : 0));

async function finalLoss(mask: Float32Array): Promise<number> {
  km.utils.setRandomSeed(3);
  const [x, m] = [km.input({ shape: [steps, 1] }), km.input({ shape: [steps, steps] })];
  const attended = km.layers.multiHeadAttention({ numHeads: 1, keyDim: 4 }).apply([x, x], { attentionMask: m });
  const model = km.model({ inputs: [x, m], outputs: km.layers.dense({ units: 1 }).apply(km.layers.globalAveragePooling1d().apply(attended)) });
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'meanSquaredError' });
  const history = await model.fit([km.tensor(values, [n, steps, 1]), km.tensor(mask, [n, steps, steps])], km.tensor(targets, [n, 1]), { epochs: 40, batchSize: 32, verbose: 0, seed: 1 });
  return history.history.loss.at(-1)!;
}

describe('MultiHeadAttention learns through an explicit attention mask', () => {
  it('attending only to the marked step recovers its value; without the mask the model cannot', async () => {
    const [withMask, withoutMask] = [await finalLoss(onlyMarked), await finalLoss(new Float32Array(n * steps * steps).fill(1))];
    // The targets' variance is 1/3: guessing the mean of the sequence leaves about 0.28.
    expect(withMask).toBeLessThan(0.01);
    expect(withoutMask).toBeGreaterThan(0.2);
  });
});
