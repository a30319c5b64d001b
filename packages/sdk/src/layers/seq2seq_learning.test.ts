import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const [encSteps, decSteps, vocabulary] = [8, 3, 6];

/** Source sequences and unrelated decoder inputs; the decoder must output the source's first token at every step. */
function firstTokenTask(n: number, seed: number) {
  const random = new Random(seed);
  const draw = (length: number) => Int32Array.from({ length }, () => Math.floor(random.uniform(0, vocabulary)));
  const source = draw(n * encSteps);
  const decoderInput = draw(n * decSteps);
  const targets = Int32Array.from({ length: n * decSteps }, (_, i) => source[Math.floor(i / decSteps) * encSteps]);
  return {
    source: km.tensor(source, [n, encSteps], 'int32'),
    decoderInput: km.tensor(decoderInput, [n, decSteps], 'int32'),
    y: km.tensor(targets, [n, decSteps], 'int32'),
  };
}

async function heldOutAccuracy(linked: boolean): Promise<number> {
  km.utils.setRandomSeed(6);
  const encIn = km.input({ shape: [encSteps] });
  const decIn = km.input({ shape: [decSteps] });
  const decoder = km.layers.lstm({ units: 16, returnSequences: true });
  let decoded: km.SymbolicTensor;
  if (linked) {
    const [, h, c] = km.layers.lstm({ units: 16, returnState: true, goBackwards: true }).apply(km.layers.embedding({ inputDim: vocabulary, outputDim: 8 }).apply(encIn));
    decoded = decoder.apply(km.layers.embedding({ inputDim: vocabulary, outputDim: 8 }).apply(decIn), { initialState: [h, c] });
  } else decoded = decoder.apply(km.layers.embedding({ inputDim: vocabulary, outputDim: 8 }).apply(decIn));
  const out = km.layers.dense({ units: vocabulary, activation: 'softmax' }).apply(decoded);
  const model = km.model({ inputs: linked ? [encIn, decIn] : decIn, outputs: out });
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const inputs = (d: ReturnType<typeof firstTokenTask>) => (linked ? [d.source, d.decoderInput] : d.decoderInput);
  const train = firstTokenTask(384, 1);
  await model.fit(inputs(train), train.y, { epochs: 10, batchSize: 32, seed: 4, verbose: 0 });
  const test = firstTokenTask(256, 2);
  const [, accuracy] = (await model.evaluate(inputs(test), test.y, { verbose: 0 })) as number[];
  return accuracy;
}

describe('a seq2seq encoder-decoder learns through the states what a decoder alone cannot', () => {
  it('the decoder must output the source sequence\'s first token at each step: with initialState from the encoder it does (held out), without it it is at chance (1/6)', async () => {
    const linked = await heldOutAccuracy(true);
    const alone = await heldOutAccuracy(false);
    expect(linked).toBeGreaterThan(0.9);
    expect(alone).toBeLessThan(0.3);
  });
});
