// fit(x, y, { stepsPerEpoch }): epochs of a set number of batches that read on through the samples.
//
// The reference is tf.keras 2's TensorLikeDataAdapter, which feeds arrays as one stream of
// reshuffled passes read across epochs:
//   indices_dataset = indices_dataset.repeat(epochs)   # one permutation per pass
//   ...
//   def should_recreate_iterator(self): return False   # the iterator is kept from epoch to epoch
// so epoch 2 starts after the last batch of epoch 1, and a pass ending mid-epoch (its partial batch
// included) is followed at once by the next. Keras 3's EpochIterator also keeps its iterator across
// epochs ("if self._current_iterator is None or self.steps_per_epoch is None: ... iter(...)"), but
// ends an epoch where a pass ends ("if self._num_batches and self._steps_seen >= self._num_batches:
// ... self._interrupted_warning(); break"); kerasm trains every epoch's stepsPerEpoch batches, as
// tf.keras 2 did and as params.steps and the progress bar promise.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { expectClose } from '../testing/expect_close.js';

beforeAll(() => km.ready());
afterEach(() => vi.restoreAllMocks());

/** Sample i is the row [i / n, 1 − i / n]; its target 2·i / n. */
function data(n: number): { rows: number[][]; targets: number[][] } {
  const rows = Array.from({ length: n }, (_, i) => [i / n, 1 - i / n]);
  return { rows, targets: rows.map(([a]) => [2 * a]) };
}

function sgdModel(): km.Sequential {
  const m = km.sequential([km.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones', biasInitializer: 'zeros' })]);
  m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  return m;
}

/** The index ranges [start, end) of the batches of `epochs` epochs of `perEpoch` batches, read on through passes over n samples in order. */
function batchSequence(n: number, batchSize: number, perEpoch: number, epochs: number): [number, number][] {
  const perPass = Math.ceil(n / batchSize);
  return Array.from({ length: perEpoch * epochs }, (_, g) => {
    const start = (g % perPass) * batchSize;
    return [start, Math.min(start + batchSize, n)];
  });
}

/** Trains a fresh model with trainOnBatch on `batches` in order; returns its weights. */
async function trainedOn(batches: [number, number][], n: number): Promise<number[]> {
  const { rows, targets } = data(n);
  const m = sgdModel();
  for (const [start, end] of batches) await m.trainOnBatch(km.tensor(rows.slice(start, end)), km.tensor(targets.slice(start, end)));
  return m.getWeights().flatMap((w) => Array.from(w.dataSync()));
}

async function fitted(n: number, args: km.ModelFitArgs): Promise<number[]> {
  const { rows, targets } = data(n);
  const m = sgdModel();
  await m.fit(km.tensor(rows), km.tensor(targets), { verbose: 0, shuffle: false, ...args });
  return m.getWeights().flatMap((w) => Array.from(w.dataSync()));
}

/**
 * A model whose weight i moves only when sample i is in the batch (one-hot inputs, no bias), and
 * a hook that reads which moved after each batch: the samples of every batch fit trained on.
 */
function batchRecorder(n: number) {
  const m = km.sequential([km.layers.dense({ units: 1, inputShape: [n], useBias: false, kernelInitializer: 'zeros' })]);
  m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  const x = km.tensor(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))));
  const y = km.tensor(Array.from({ length: n }, () => [1]));
  const batches: number[][] = [];
  let before = new Float32Array(n);
  const hook: km.callbacks.CustomCallbackArgs = {
    onTrainBatchEnd: () => {
      const after = m.getWeights()[0].dataSync().slice();
      batches.push(Array.from(after.keys()).filter((i) => after[i] !== before[i]));
      before = after;
    },
  };
  return { m, x, y, batches, hook };
}

describe('fit(x, y, { stepsPerEpoch })', () => {
  it.each([
    // 5 batches a pass, 3 an epoch: epochs and passes do not line up.
    { n: 10, batchSize: 2, stepsPerEpoch: 3, epochs: 3 },
    // A partial last batch (4, 4, 1) is part of each pass.
    { n: 9, batchSize: 4, stepsPerEpoch: 2, epochs: 4 },
    // More batches an epoch than a pass holds.
    { n: 5, batchSize: 2, stepsPerEpoch: 4, epochs: 2 },
  ])('unshuffled, trains on the batches read on across epochs and passes: n=$n, batchSize=$batchSize, stepsPerEpoch=$stepsPerEpoch', async ({ n, batchSize, stepsPerEpoch, epochs }) => {
    const got = await fitted(n, { epochs, batchSize, stepsPerEpoch });
    expectClose(got, await trainedOn(batchSequence(n, batchSize, stepsPerEpoch, epochs), n), 1e-6);
    // Restarting the data each epoch would give other weights.
    const restarted = Array.from({ length: epochs }, () => batchSequence(n, batchSize, stepsPerEpoch, 1)).flat();
    const apart = (await trainedOn(restarted, n)).some((v, i) => Math.abs(v - got[i]) > 1e-4);
    expect(apart).toBe(true);
  });

  it('without stepsPerEpoch, trains one pass per epoch as before', async () => {
    expectClose(await fitted(9, { epochs: 2, batchSize: 4 }), await trainedOn(batchSequence(9, 4, 3, 2), 9), 1e-6);
  });

  it('initialEpoch e starts at batch e × stepsPerEpoch, where the uninterrupted run was', async () => {
    const { rows, targets } = data(10);
    const [x, y] = [km.tensor(rows), km.tensor(targets)];
    const m = sgdModel();
    await m.fit(x, y, { epochs: 1, batchSize: 2, stepsPerEpoch: 3, shuffle: false, verbose: 0 });
    await m.fit(x, y, { epochs: 3, initialEpoch: 1, batchSize: 2, stepsPerEpoch: 3, shuffle: false, verbose: 0 });
    expectClose(m.getWeights().flatMap((w) => Array.from(w.dataSync())), await trainedOn(batchSequence(10, 2, 3, 3), 10), 1e-6);
  });

  it('shuffled with a seed, each pass holds every sample once, reshuffled, and passes run on across epochs', async () => {
    // 7 samples in batches of 2: passes of 4 batches (2, 2, 2, 1); epochs of 3.
    const { m, x, y, batches, hook } = batchRecorder(7);
    await m.fit(x, y, { epochs: 4, batchSize: 2, stepsPerEpoch: 3, seed: 11, verbose: 0, callbacks: [hook] });
    expect(batches.map((b) => b.length)).toEqual([2, 2, 2, 1, 2, 2, 2, 1, 2, 2, 2, 1]);
    const passes = [0, 1, 2].map((p) => batches.slice(4 * p, 4 * p + 4).flat());
    for (const pass of passes) expect([...pass].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(new Set(passes.map((p) => p.join())).size).toBe(3);

    // The same seed from initialEpoch 2 reads what the uninterrupted run's epochs 2 and 3 read.
    const resumed = batchRecorder(7);
    await resumed.m.fit(resumed.x, resumed.y, { epochs: 4, initialEpoch: 2, batchSize: 2, stepsPerEpoch: 3, seed: 11, verbose: 0, callbacks: [resumed.hook] });
    expect(resumed.batches).toEqual(batches.slice(6));
  });

  it("callbacks' params.steps, their batch indices, History and the progress bar count stepsPerEpoch batches an epoch", async () => {
    const { m, x, y } = batchRecorder(10);
    const seen: number[][] = [];
    let steps: number | undefined;
    const hooks: km.callbacks.CustomCallbackArgs = {
      onEpochBegin: () => void seen.push([]),
      onBatchEnd: (batch) => void seen.at(-1)!.push(batch),
    };
    class Steps extends km.callbacks.Callback {
      override onTrainBegin() {
        steps = this.params?.steps;
      }
    }
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => (written.push(String(text)), true));
    const history = await m.fit(x, y, { epochs: 2, batchSize: 4, stepsPerEpoch: 5, verbose: 2, callbacks: [hooks, new Steps()] });
    expect(steps).toBe(5);
    expect(history.params.steps).toBe(5);
    expect(history.params.stepsPerEpoch).toBe(5);
    expect(seen).toEqual([[0, 1, 2, 3, 4], [0, 1, 2, 3, 4]]);
    expect(written.join('').split('\n').filter((line) => /^\d+\/\d+ /.test(line)).map((line) => line.split(' ')[0])).toEqual(['5/5', '5/5']);
    written.length = 0;
    await m.fit(x, y, { epochs: 1, batchSize: 4, stepsPerEpoch: 2, verbose: 1 });
    expect(written.join('')).toMatch(/\b2\/2 \[=+\]/);
  });

  it('validation still reads all of its data', async () => {
    const { m, x, y } = batchRecorder(6);
    const counted: number[] = [];
    await m.fit(x, y, { epochs: 1, batchSize: 2, stepsPerEpoch: 1, validationData: [x, y], verbose: 0, callbacks: { onTestBatchEnd: (_, logs) => void counted.push(logs!.size as number) } });
    expect(counted).toEqual([2, 2, 2]);
  });

  it.each([0, -1, 1.5, NaN, Infinity, '3'])('refuses stepsPerEpoch=%s, quoting it', async (bad) => {
    const { m, x, y } = batchRecorder(4);
    const shown = typeof bad === 'string' ? JSON.stringify(bad) : String(bad);
    await expect(m.fit(x, y, { stepsPerEpoch: bad as number, verbose: 0 })).rejects.toThrow(`stepsPerEpoch must be a positive integer. Received: stepsPerEpoch=${shown}.`);
  });

  it('refuses it for no samples, which have no batches to read', async () => {
    const { m } = batchRecorder(2);
    await expect(m.fit(km.tensor(new Float32Array(0), [0, 2]), km.tensor(new Float32Array(0), [0, 1]), { stepsPerEpoch: 2, verbose: 0 })).rejects.toThrow(
      'fit received no training samples, so stepsPerEpoch=2 has no batches to read. Pass x and y with at least one sample.',
    );
  });

  it("Keras' steps_per_epoch names stepsPerEpoch; a dataset's fit names its batchesPerEpoch", async () => {
    const { m, x, y } = batchRecorder(4);
    await expect(m.fit(x, y, { steps_per_epoch: 2 } as never)).rejects.toThrow("fit has no option 'steps_per_epoch'; did you mean 'stepsPerEpoch'?");
    const ds = km.data.array([{ xs: [1, 0, 0, 0], ys: [1] }]).batch(1);
    await expect(m.fit(ds, { stepsPerEpoch: 2 } as never)).rejects.toThrow("fit(dataset) has no option 'stepsPerEpoch'; did you mean 'batchesPerEpoch'?");
  });
});
