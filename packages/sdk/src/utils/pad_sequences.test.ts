import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Against the examples and defaults Keras documents for keras.utils.pad_sequences.
beforeAll(() => km.ready());
const sequences = [[1], [2, 3], [4, 5, 6]];

describe('km.utils.padSequences', () => {
  it.each<[km.utils.PadSequencesOptions, number[][]]>([
    [{}, [[0, 0, 1], [0, 2, 3], [4, 5, 6]]],
    [{ value: -1 }, [[-1, -1, 1], [-1, 2, 3], [4, 5, 6]]],
    [{ padding: 'post' }, [[1, 0, 0], [2, 3, 0], [4, 5, 6]]],
    [{ maxlen: 2 }, [[0, 1], [2, 3], [5, 6]]],
    [{ maxlen: 2, truncating: 'post' }, [[0, 1], [2, 3], [4, 5]]],
    [{ maxlen: 4, padding: 'post', truncating: 'post' }, [[1, 0, 0, 0], [2, 3, 0, 0], [4, 5, 6, 0]]],
  ])('%j gives Keras\' result', (options, expected) => {
    const padded = km.utils.padSequences(sequences, options);
    expect(padded.dtype).toBe('int32');
    expect(padded.arraySync()).toEqual(expected);
  });

  it('pads vector steps and real values, and an empty sequence is all padding', () => {
    const padded = km.utils.padSequences([[[0.5, 1]], [], [[1, 2], [3, 4.5]]], { dtype: 'float32', value: 0.25 });
    expect(padded.shape).toEqual([3, 2, 2]);
    expect(padded.arraySync()).toEqual([[[0.25, 0.25], [0.5, 1]], [[0.25, 0.25], [0.25, 0.25]], [[1, 2], [3, 4.5]]]);
  });

  it('feeds a masked Embedding: the padding steps are masked out', async () => {
    km.utils.setRandomSeed(2);
    const model = km.sequential([km.layers.embedding({ inputDim: 7, outputDim: 3, maskZero: true }), km.layers.globalAveragePooling1d()]);
    const [short, long] = km.utils.padSequences([[4], [4, 4, 4]]).arraySync() as number[][];
    const y = model.predict(km.tensor([short, long], undefined, 'int32')).arraySync() as number[][];
    // The mean over unmasked steps of one token repeated is that token's embedding, however much padding.
    y[0].forEach((v, j) => expect(v).toBeCloseTo(y[1][j], 6));
  });

  it('reads typed arrays as sequences, mixed with lists, as Keras reads NumPy arrays', () => {
    const expected = [[0, 0, 1], [0, 2, 3], [4, 5, 6]];
    expect(km.utils.padSequences([Int32Array.of(1), Int32Array.of(2, 3), Int32Array.of(4, 5, 6)]).arraySync()).toEqual(expected);
    expect(km.utils.padSequences([[1], Uint8Array.of(2, 3), Float64Array.of(4, 5, 6)]).arraySync()).toEqual(expected);
    expect(km.utils.padSequences([BigInt64Array.of(1n), [2, 3], Int16Array.of(4, 5, 6)], { maxlen: 2, truncating: 'post', padding: 'post' }).arraySync()).toEqual([[1, 0], [2, 3], [4, 5]]);
    expect(km.utils.padSequences([new Int32Array(0), Float32Array.of(0.5, 1.5)], { dtype: 'float32', value: -1 }).arraySync()).toEqual([[-1, -1], [0.5, 1.5]]);
    // A typed array holds numbers, so it cannot join sequences of vector steps.
    expect(() => km.utils.padSequences([[[1, 2]], Int32Array.of(3)])).toThrow(/sequence 1 has a step of shape \[\], but the first step has shape \[2\]/);
    expect(() => km.utils.padSequences([Float32Array.of(1.5)])).toThrow(/sequence 0 holds 1\.5, which dtype int32 cannot hold/);
  });

  it("pads textVectorization({ ragged: true })'s rows as they come", async () => {
    const vectorize = km.layers.textVectorization({ ragged: true });
    await vectorize.adapt(['the cat sat', 'the dog', 'a cat and a dog ran']);
    const rows = vectorize.apply(['the cat sat', 'a dog']);
    expect(km.utils.padSequences(rows, { maxlen: 4 }).arraySync()).toEqual(rows.map((r) => [...new Array<number>(4 - r.length).fill(0), ...r]));
  });

  it('errors name the bad option or value and the fix', () => {
    expect(() => km.utils.padSequences([[1.5]])).toThrow(/sequence 0 holds 1\.5, which dtype int32 cannot hold\. Pass dtype: 'float32'/);
    expect(() => km.utils.padSequences(sequences, { padding: 'both' as never })).toThrow(/padding must be 'pre' or 'post'\. Received: padding="both"/);
    expect(() => km.utils.padSequences(sequences, { maxlen: 0 })).toThrow(/maxlen must be a positive integer/);
    expect(() => km.utils.padSequences([[[1, 2]], [[3]]])).toThrow(/sequence 1 has a step of shape \[1\], but the first step has shape \[2\]/);
    expect(() => km.utils.padSequences([1, 2] as never)).toThrow(/expects a list of sequences, each a list of values or a typed array of numbers .* Received: a list holding a non-list\./);
    expect(() => km.utils.padSequences([[1], new DataView(new ArrayBuffer(4))] as never)).toThrow(/Received: a list holding a non-list\./);
    expect(() => km.utils.padSequences(Int32Array.of(1, 2) as never)).toThrow(/expects a list of sequences, .* Received: object\./);
    expect(() => km.utils.padSequences(sequences, { max_len: 2 } as never)).toThrow(/km\.utils\.padSequences has no option 'max_len'; did you mean 'maxlen'\?/);
    expect(() => km.utils.padSequences(sequences, { value: 0.5 })).toThrow(/value must be a finite number and an integer for dtype int32/);
  });
});
