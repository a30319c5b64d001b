import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { movingDotTask } from '../testing/moving_dot.js';

beforeAll(() => km.ready());

const [seen, size] = [3, 6];
const frame = size * size;

/** Frames 0..seen−1 of each sample (what the encoder watches), frame seen−1 alone (the decoder's input), and frame `seen` (the target). */
function nextFrameTask(n: number, seed: number) {
  const task = movingDotTask(n, seen + 1, size, seed, 0);
  const pick = (from: number, to: number) => {
    const out = new Float32Array(n * (to - from) * frame);
    for (let i = 0; i < n; i++) out.set(task.frames.subarray((i * (seen + 1) + from) * frame, (i * (seen + 1) + to) * frame), i * (to - from) * frame);
    return out;
  };
  return {
    past: km.tensor(pick(0, seen), [n, seen, size, size, 1]),
    last: km.tensor(pick(seen - 1, seen), [n, 1, size, size, 1]),
    next: km.tensor(pick(seen, seen + 1), [n, size, size, 1]),
  };
}

/** Held-out loss of a decoder that sees only the last frame, started from the encoder's states or (withEncoder false) from zeros. */
async function heldOutLoss(withEncoder: boolean): Promise<number> {
  km.utils.setRandomSeed(5);
  const past = km.input({ shape: [seen, size, size, 1] });
  const last = km.input({ shape: [1, size, size, 1] });
  const [, h, c] = km.layers.convLstm2d({ filters: 8, kernelSize: 3, padding: 'same', recurrentActivation: 'sigmoid', returnState: true }).apply(past) as unknown as km.SymbolicTensor[];
  const decoder = km.layers.convLstm2d({ filters: 8, kernelSize: 3, padding: 'same', recurrentActivation: 'sigmoid' });
  const decoded = withEncoder ? decoder.apply(last, { initialState: [h, c] }) : decoder.apply(last);
  const next = km.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid' }).apply(decoded);
  const model = km.model({ inputs: withEncoder ? [past, last] : [last], outputs: next });
  const x = (t: ReturnType<typeof nextFrameTask>) => (withEncoder ? [t.past, t.last] : [t.last]);
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy' });
  // With the encoder the loss sits on the mean frame's plateau for about 30 epochs before it finds the direction.
  const train = nextFrameTask(256, 1);
  await model.fit(x(train), train.next, { epochs: 80, batchSize: 32, seed: 2, verbose: 0 });
  const test = nextFrameTask(128, 2);
  const [loss] = (await model.evaluate(x(test), test.next, { verbose: 0 })) as number[];
  return loss;
}

describe('a ConvLSTM2D video encoder → decoder learns through its states', () => {
  it('next frame of a moving dot: a decoder started from the encoder states beats the same decoder started from zeros, which cannot tell the direction', async () => {
    const [encoded, alone] = [await heldOutLoss(true), await heldOutLoss(false)];
    expect(encoded).toBeLessThan(0.25 * alone);
  });
});
