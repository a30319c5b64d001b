import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';

// Keras 3's Attention (and AdditiveAttention, its subclass), keras/src/layers/attention/attention.py:
// `_validate_inputs` accepts a mask list of length 2 or 3 ("if len(mask) < 2 or len(mask) > 3: raise
// ValueError(... accepts mask list of length 2 or 3 ...)"), and `call` reads only
// `q_mask = mask[0]` and `v_mask = mask[1]`: a third entry, the key's mask, is taken and ignored,
// with or without a key input.
beforeAll(() => km.ready());

const [BATCH, TQ, TV, F] = [2, 3, 4, 2];
let state = 7;
const draw = (n: number) => Float32Array.from({ length: n }, () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
const [q, v, k] = [km.tensor(draw(BATCH * TQ * F), [BATCH, TQ, F]), km.tensor(draw(BATCH * TV * F), [BATCH, TV, F]), km.tensor(draw(BATCH * TV * F), [BATCH, TV, F])];
const queryMask = km.tensor([1, 1, 0, 1, 0, 1], [BATCH, TQ]);
const valueMask = km.tensor([1, 1, 0, 0, 1, 0, 1, 1], [BATCH, TV]);
// Masks other value steps than valueMask, so using it would change the output.
const keyMask = km.tensor([0, 1, 1, 1, 1, 1, 0, 1], [BATCH, TV]);

const values = (t: km.Tensor) => Array.from(t.dataSync());
const maxDifference = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));

describe.each([
  ['Attention', () => km.layers.attention({ useScale: true })],
  ['AdditiveAttention', () => km.layers.additiveAttention()],
] as const)('%s with a key mask, as Keras 3 takes mask=[query_mask, value_mask, key_mask]', (_, make) => {
  it('ignores the key mask given with a key input: the output of [queryMask, valueMask], on data and in a model', () => {
    const layer = make();
    const withKeyMask = values(layer.apply([q, v, k], { mask: [queryMask, valueMask, keyMask] }));
    const withoutKeyMask = values(layer.apply([q, v, k], { mask: [queryMask, valueMask] }));
    expect(withKeyMask).toEqual(withoutKeyMask);
    // Had the key mask masked the value's steps in place of the value mask, the output would differ.
    expect(maxDifference(values(layer.apply([q, v, k], { mask: [queryMask, keyMask] })), withoutKeyMask)).toBeGreaterThan(1e-3);
    // In a model the key mask's input stays connected (as in Keras, where the call's node holds it), and is ignored.
    const ins = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] }), km.input({ shape: [TV, F] }), km.input({ shape: [TQ] }), km.input({ shape: [TV] }), km.input({ shape: [TV] })];
    const model = km.model({ inputs: ins, outputs: layer.apply(ins.slice(0, 3), { mask: [ins[3], ins[4], ins[5]] }) as km.SymbolicTensor });
    const predicted = values(model.predict([q, v, k, queryMask, valueMask, keyMask]) as km.Tensor);
    predicted.forEach((x, i) => expect(x).toBeCloseTo(withoutKeyMask[i], 6));
  });

  it('is saved in the call\'s mask list and loads back', async () => {
    const layer = make();
    const ins = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] }), km.input({ shape: [TV, F] }), km.input({ shape: [TQ] }), km.input({ shape: [TV] }), km.input({ shape: [TV] })];
    const model = km.model({ inputs: ins, outputs: layer.apply(ins.slice(0, 3), { mask: [ins[3], ins[4], ins[5]] }) as km.SymbolicTensor });
    const data = [q, v, k, queryMask, valueMask, keyMask];
    const loaded = await km.loadLayersModel(km.io.fromMemory(await savedArtifacts(model, false)));
    expect(values(loaded.predict(data) as km.Tensor)).toEqual(values(model.predict(data) as km.Tensor));
  });

  it('takes and ignores a third entry without a key input too, as Keras does', () => {
    const layer = make();
    const expected = values(layer.apply([q, v], { mask: [queryMask, valueMask] }));
    expect(values(layer.apply([q, v], { mask: [queryMask, valueMask, keyMask] }))).toEqual(expected);
    const [qIn, vIn, qm, vm] = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] }), km.input({ shape: [TQ] }), km.input({ shape: [TV] })];
    const model = km.model({ inputs: [qIn, vIn, qm, vm], outputs: layer.apply([qIn, vIn], { mask: [qm, vm, null] }) as km.SymbolicTensor });
    values(model.predict([q, v, queryMask, valueMask]) as km.Tensor).forEach((x, i) => expect(x).toBeCloseTo(expected[i], 6));
  });
});

describe('an attention layer\'s key mask that is refused', () => {
  it('a list of four, which Keras refuses too', () => {
    expect(() => km.layers.additiveAttention({ name: 'four_masks' }).apply([q, v, k], { mask: [queryMask, valueMask, keyMask, keyMask] })).toThrow(
      "AdditiveAttention layer 'four_masks' takes a mask list of length 2 or 3, [queryMask, valueMask] or [queryMask, valueMask, keyMask] (Keras' \"accepts mask list of length 2 or 3\"), but received a list of 4. Pass one entry per input, null for an input given no mask.",
    );
  });

  it('a key mask without the key\'s steps, checked as every mask given to a call is', () => {
    expect(() => km.layers.attention({ name: 'short_key_mask' }).apply([q, v, k], { mask: [queryMask, valueMask, km.tensor([1, 1, 1, 1, 1, 1], [BATCH, TQ])] })).toThrow(
      "Layer 'short_key_mask' (Attention).apply: mask 2 has shape (None, 3), but input 2 has shape (None, 4, 2), so a mask needs shape (None, 4): one value per step, 1 to keep it and 0 to mask it. Give the mask that shape, e.g. a model input km.input({ shape: [4] }).",
    );
  });

  it('an entry that is not a tensor, even in the ignored key place', () => {
    expect(() => km.layers.attention({ name: 'number_mask' }).apply([q, v], { mask: [queryMask, valueMask, 1 as unknown as km.Tensor] })).toThrow(
      "Layer 'number_mask' (Attention).apply: mask must be a tensor of one value per step (a symbolic tensor such as km.input({ shape: [steps] }), or km.Tensor data of shape [batch, steps]), or a list of them for an attention layer. Received: mask=a list whose entry 2 is number.",
    );
  });
});
