import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { duplicateTokenTask, transformerClassifier } from '../testing/transformer_task.js';

// GroupedQueryAttention's bad options and inputs, its LayersModel round trip in Keras' names, and
// the Keras transformer block learning with it in place of MultiHeadAttention.
beforeAll(() => km.ready());

const seq = (steps: number, features: number) => km.input({ shape: [steps, features] });
const GOOD = { headDim: 4, numQueryHeads: 4, numKeyValueHeads: 2 };

describe('GroupedQueryAttention: bad input', () => {
  it.each([
    [{ ...GOOD, headDim: 0 }, /headDim must be a positive integer\. Received: headDim=0\. For example km\.layers\.groupQueryAttention/],
    [{ ...GOOD, numQueryHeads: 2.5 }, /numQueryHeads must be a positive integer\. Received: numQueryHeads=2\.5/],
    [{ ...GOOD, numKeyValueHeads: undefined }, /numKeyValueHeads must be a positive integer\. Received: numKeyValueHeads=undefined/],
    [{ ...GOOD, numKeyValueHeads: 3 }, /numQueryHeads must be divisible by numKeyValueHeads .* Received: numQueryHeads=4, numKeyValueHeads=3\. Use a divisor of 4/],
    [{ ...GOOD, dropout: -0.1 }, /dropout must be a number in \[0, 1\)\. Received: dropout=-0\.1/],
    [{ ...GOOD, useCausalMask: 'yes' }, /useCausalMask/],
    [{ ...GOOD, seed: 1.5 }, /seed must be an integer or null\. Received: seed=1\.5/],
    [{ ...GOOD, numHeads: 4 }, /has no option 'numHeads'/],
  ])('refuses %j', (args, message) => {
    expect(() => km.layers.groupQueryAttention(args as unknown as km.layers.GroupedQueryAttentionArgs)).toThrow(message);
  });

  it('refuses a query and value of different features, as Keras does, naming both', () => {
    expect(() => km.layers.groupQueryAttention(GOOD).apply([seq(3, 4), seq(5, 6)])).toThrow(
      /query and value must have the same number of features .* received query \(None, 3, 4\) and value \(None, 5, 6\)\. Project one of them first, e\.g\. with km\.layers\.dense\(\{ units: 4 \}\)/,
    );
  });

  it('refuses a key of other steps than the value, a wrong input count and a mask of the wrong shape', () => {
    const gqa = km.layers.groupQueryAttention(GOOD);
    expect(() => gqa.apply([seq(3, 4), seq(5, 4), seq(6, 4)])).toThrow(/key and value must have the same number of steps/);
    expect(() => gqa.apply(seq(3, 4))).toThrow(/GroupedQueryAttention layer .* takes \[query, value\] or \[query, value, key\]/);
    expect(() => gqa.apply([seq(3, 4), seq(5, 4)], { attentionMask: km.input({ shape: [5, 3] }) })).toThrow(/attentionMask must have shape \(None, 3, 5\)/);
  });
});

describe('GroupedQueryAttention in the LayersModel format', () => {
  it("saves Keras' class name, config and weight names, and loads with its options and the same predictions", async () => {
    km.utils.setRandomSeed(2);
    const [x, m] = [km.input({ shape: [5, 4] }), km.input({ shape: [5, 5] })];
    const layer = km.layers.groupQueryAttention({
      headDim: 3, numQueryHeads: 4, numKeyValueHeads: 2, useBias: false, useCausalMask: true, dropout: 0.2, seed: 7, returnAttentionScores: true,
      kernelRegularizer: km.regularizers.l2({ l2: 1e-3 }), kernelConstraint: km.constraints.maxNorm({ maxValue: 2 }), name: 'gqa',
    });
    const model = km.model({ inputs: [x, m], outputs: layer.apply([x, x], { attentionMask: m }) as unknown as km.SymbolicTensor[] });
    const artifacts = await kerasmArtifacts(model);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers.find((l) => l.class_name === 'GroupedQueryAttention')!;
    expect(saved.config).toMatchObject({ head_dim: 3, num_query_heads: 4, num_key_value_heads: 2, use_bias: false, dropout: 0.2, seed: 7, use_causal_mask: true, return_attention_scores: true });
    expect(artifacts.weightSpecs!.map((w) => [w.name, w.shape])).toEqual([
      ['gqa/query/kernel', [4, 4, 3]], ['gqa/key/kernel', [4, 2, 3]], ['gqa/value/kernel', [4, 2, 3]], ['gqa/attention_output/kernel', [4, 3, 4]],
    ]);

    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    const again = reloaded.layers.find((l) => l.className === 'GroupedQueryAttention') as km.layers.GroupedQueryAttention;
    expect(again.getConfig()).toEqual(layer.getConfig());
    const data = [km.tensor(Float32Array.from({ length: 2 * 20 }, (_, i) => Math.sin(i)), [2, 5, 4]), km.tensor(Float32Array.from({ length: 2 * 25 }, (_, i) => (i % 4 === 0 ? 0 : 1)), [2, 5, 5])];
    const expected = (model.predict(data) as km.Tensor[]).map((t) => Array.from(t.dataSync()));
    expect((reloaded.predict(data) as km.Tensor[]).map((t) => Array.from(t.dataSync()))).toEqual(expected);
  });
});

describe('the Keras transformer block with GroupedQueryAttention', () => {
  it('learns whether a sequence repeats a token with one key/value head shared by four query heads', async () => {
    km.utils.setRandomSeed(1);
    const sizes = { length: 6, vocabulary: 10, embedDim: 16, heads: 4, keyValueHeads: 1, feedForward: 32 };
    const train = duplicateTokenTask(4000, sizes.length, sizes.vocabulary, 1);
    const test = duplicateTokenTask(1000, sizes.length, sizes.vocabulary, 2);
    const model = transformerClassifier(sizes);
    expect(model.layers.some((l) => l instanceof km.layers.GroupedQueryAttention)).toBe(true);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.003 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    await model.fit(train.x, train.y, { epochs: 25, batchSize: 32, verbose: 0, seed: 1 });
    const [, accuracy] = (await model.evaluate(test.x, test.y)) as number[];
    // The same model without attention stays below 0.58 (transformer_block.test.ts).
    expect(accuracy).toBeGreaterThan(0.65);
  }, 120_000);
});
