// A layer whose apply gives a list (returnState, returnAttentionScores, Bidirectional with mergeMode
// null) is typed so by its factory: each expectTypeOf failed to compile while every factory returned
// a layer whose apply gave one tensor. The runtime checks say the types tell the truth: where the options'
// literal types tell how many outputs there are, apply's type is a tuple of that length.
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const flag = (): boolean => Math.random() < 2;

describe('recurrent factories type returnState', () => {
  it('Layer.apply\'s TSDoc example compiles: [, h, c] destructures an LSTM with returnState', () => {
    const [, h, c] = km.layers.lstm({ units: 16, returnState: true }).apply(km.input({ shape: [10, 4] }));
    const decoded = km.layers.lstm({ units: 16 }).apply(km.input({ shape: [5, 4] }), { initialState: [h, c] });
    expectTypeOf(h).toEqualTypeOf<km.SymbolicTensor>();
    expectTypeOf(decoded).toEqualTypeOf<km.SymbolicTensor>();
    expect(h.shape).toEqual([16]);
    expect(decoded.shape).toEqual([16]);
  });

  it('returnState: true gives [output, ...states], false or absent one tensor, a boolean either', () => {
    const x = km.input({ shape: [10, 4] });
    const lstm = km.layers.lstm({ units: 4, returnState: true }).apply(x);
    expectTypeOf(lstm).toEqualTypeOf<[km.SymbolicTensor, km.SymbolicTensor, km.SymbolicTensor]>();
    expect(lstm).toHaveLength(3);
    const gru = km.layers.gru({ units: 4, returnState: true }).apply(x);
    expectTypeOf(gru).toEqualTypeOf<[km.SymbolicTensor, km.SymbolicTensor]>();
    expect(gru).toHaveLength(2);
    const simple = km.layers.simpleRNN({ units: 4, returnState: true }).apply(x);
    expectTypeOf(simple).toEqualTypeOf<[km.SymbolicTensor, km.SymbolicTensor]>();
    expect(simple).toHaveLength(2);
    // The cells decide how many states there are, so the count is not in the types.
    expectTypeOf(km.layers.rnn({ cell: km.layers.gruCell({ units: 4 }), returnState: true }).apply(x)).toEqualTypeOf<km.SymbolicTensor[]>();
    const conv = km.layers.convLstm2d({ filters: 2, kernelSize: 3, returnState: true }).apply(km.input({ shape: [3, 6, 6, 1] }));
    expectTypeOf(conv).toEqualTypeOf<[km.SymbolicTensor, km.SymbolicTensor, km.SymbolicTensor]>();
    expect(conv).toHaveLength(3);
    expectTypeOf(km.layers.lstm({ units: 4 }).apply(x)).toEqualTypeOf<km.SymbolicTensor>();
    expectTypeOf(km.layers.gru({ units: 4, returnState: false }).apply(x)).toEqualTypeOf<km.SymbolicTensor>();
    expectTypeOf(km.layers.simpleRNN({ units: 4, returnState: flag() }).apply(x)).toEqualTypeOf<km.SymbolicTensor | km.SymbolicTensor[]>();
    const args: km.layers.LSTMArgs = { units: 4 };
    expectTypeOf(km.layers.lstm(args).apply(x)).toEqualTypeOf<km.SymbolicTensor | km.SymbolicTensor[]>();
    const gruLayer = km.layers.gru({ units: 4, returnState: true });
    expect(gruLayer.apply(x).map((t) => t.shape)).toEqual([[4], [4]]);
  });

  it('on data, apply gives a list of float32 tensors too', () => {
    const data = km.tensor(new Float32Array(2 * 10 * 4), [2, 10, 4]);
    const out = km.layers.lstm({ units: 3, returnState: true }).apply(data);
    expectTypeOf(out).toEqualTypeOf<[km.Tensor<'float32'>, km.Tensor<'float32'>, km.Tensor<'float32'>]>();
    expect(Array.isArray(out)).toBe(true);
    expect(out.map((t) => t.shape)).toEqual([[2, 3], [2, 3], [2, 3]]);
    expectTypeOf(km.layers.lstm({ units: 3 }).apply(data)).toEqualTypeOf<km.Tensor<'float32'>>();
  });

  it('the layer still goes where a Layer goes: sequential, bidirectional, a Layer variable', () => {
    const layer = km.layers.lstm({ units: 4, returnState: true });
    const asLayer: km.layers.Layer = layer;
    const asLstm: km.layers.LSTM = layer;
    expect(asLayer).toBe(asLstm);
    expectTypeOf(layer).toMatchTypeOf<km.layers.Layer>();
    expectTypeOf(km.layers.gru({ units: 4, returnState: flag() })).toMatchTypeOf<km.layers.Layer>();
    expectTypeOf(km.sequential).toBeCallableWith([km.layers.lstm({ units: 4, returnState: true, inputShape: [10, 4] })]);
    const [merged, hF, cF, hB, cB] = km.layers.bidirectional({ layer }).apply(km.input({ shape: [10, 4] }));
    expect([merged, hF, cF, hB, cB].map((t) => t.shape)).toEqual([[8], [4], [4], [4], [4]]);
  });
});

describe('bidirectional types its list outputs', () => {
  it('a list with a returnState layer or mergeMode null, one tensor otherwise, either for a boolean', () => {
    const x = km.input({ shape: [10, 4] });
    const merged = km.layers.bidirectional({ layer: km.layers.lstm({ units: 4, returnState: true }) }).apply(x);
    expectTypeOf(merged).toEqualTypeOf<[km.SymbolicTensor, km.SymbolicTensor, km.SymbolicTensor, km.SymbolicTensor, km.SymbolicTensor]>();
    expect(merged).toHaveLength(5);
    const both = km.layers.bidirectional({ layer: km.layers.lstm({ units: 4 }), mergeMode: null }).apply(x);
    expectTypeOf(both).toEqualTypeOf<[km.SymbolicTensor, km.SymbolicTensor]>();
    expect(both.length).toBe(2);
    const bothWithStates = km.layers.bidirectional({ layer: km.layers.gru({ units: 4, returnState: true }), mergeMode: null }).apply(x);
    expectTypeOf(bothWithStates).toEqualTypeOf<[km.SymbolicTensor, km.SymbolicTensor, km.SymbolicTensor, km.SymbolicTensor]>();
    expect(bothWithStates).toHaveLength(4);
    const convStates = km.layers.bidirectional({ layer: km.layers.convLstm2d({ filters: 2, kernelSize: 3, returnState: true }), mergeMode: 'sum' })
      .apply(km.input({ shape: [3, 6, 6, 1] }));
    expectTypeOf(convStates).toEqualTypeOf<[km.SymbolicTensor, km.SymbolicTensor, km.SymbolicTensor, km.SymbolicTensor, km.SymbolicTensor]>();
    expect(convStates).toHaveLength(5);
    // Counts the types cannot know stay arrays: a returnState or mergeMode not known when typed.
    expectTypeOf(km.layers.bidirectional({ layer: km.layers.gru({ units: 4, returnState: flag() }), mergeMode: null }).apply(x)).toEqualTypeOf<km.SymbolicTensor[]>();
    expectTypeOf(km.layers.bidirectional({ layer: km.layers.lstm({ units: 4 }) }).apply(x)).toEqualTypeOf<km.SymbolicTensor>();
    expectTypeOf(km.layers.bidirectional({ layer: km.layers.gru({ units: 4 }), mergeMode: 'sum' }).apply(x)).toEqualTypeOf<km.SymbolicTensor>();
    expectTypeOf(km.layers.bidirectional({ layer: km.layers.gru({ units: 4, returnState: flag() }) }).apply(x)).toEqualTypeOf<km.SymbolicTensor | km.SymbolicTensor[]>();
    const mode = null as km.layers.BidirectionalMergeMode | null;
    expectTypeOf(km.layers.bidirectional({ layer: km.layers.gru({ units: 4 }), mergeMode: mode }).apply(x)).toEqualTypeOf<km.SymbolicTensor | km.SymbolicTensor[]>();
    expectTypeOf(km.layers.bidirectional({ layer: km.layers.gru({ units: 4, returnState: true }), mergeMode: mode }).apply(x)).toEqualTypeOf<km.SymbolicTensor[]>();
  });
});

describe('attention factories type returnAttentionScores', () => {
  it('returnAttentionScores: true gives [output, scores], false or absent the output, a boolean either', () => {
    const q = km.input({ shape: [8, 16] });
    const [out, scores] = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 8, returnAttentionScores: true }).apply([q, q]);
    expect([out.shape, scores.shape]).toEqual([[8, 16], [2, 8, 8]]);
    const grouped = km.layers.groupQueryAttention({ headDim: 8, numQueryHeads: 4, numKeyValueHeads: 2, returnAttentionScores: true }).apply([q, q]);
    expectTypeOf(grouped).toEqualTypeOf<[km.SymbolicTensor, km.SymbolicTensor]>();
    expect(grouped).toHaveLength(2);
    const [context, weights] = km.layers.attention({ returnAttentionScores: true }).apply([q, q]);
    expect([context.shape, weights.shape]).toEqual([[8, 16], [8, 8]]);
    const additive = km.layers.additiveAttention({ returnAttentionScores: true }).apply([q, q]);
    expectTypeOf(additive).toEqualTypeOf<[km.SymbolicTensor, km.SymbolicTensor]>();
    expect(additive).toHaveLength(2);
    expectTypeOf(km.layers.attention().apply([q, q])).toEqualTypeOf<km.SymbolicTensor>();
    expectTypeOf(km.layers.additiveAttention({ useScale: true }).apply([q, q])).toEqualTypeOf<km.SymbolicTensor>();
    expectTypeOf(km.layers.multiHeadAttention({ numHeads: 2, keyDim: 8 }).apply([q, q])).toEqualTypeOf<km.SymbolicTensor>();
    expectTypeOf(km.layers.attention({ returnAttentionScores: flag() }).apply([q, q])).toEqualTypeOf<km.SymbolicTensor | km.SymbolicTensor[]>();
  });
});
