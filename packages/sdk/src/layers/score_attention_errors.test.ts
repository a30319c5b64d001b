import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Every bad input of Attention and AdditiveAttention names what was received, what was expected and the fix.
beforeAll(() => km.ready());

const seq = (steps: number, features: number) => km.input({ shape: [steps, features] });

describe('Attention and AdditiveAttention: bad options', () => {
  it.each([
    [{ scoreMode: 'add' }, /scoreMode must be 'dot' or 'concat'\. Received: scoreMode="add"\. .*km\.layers\.additiveAttention/],
    [{ dropout: 1 }, /dropout must be a number in \[0, 1\)\. Received: dropout=1\./],
    [{ dropout: -0.1 }, /dropout must be a number in \[0, 1\)\. Received: dropout=-0\.1\./],
    [{ dropout: '0.1' }, /dropout must be a number in \[0, 1\)\. Received: dropout="0\.1"\./],
    [{ useScale: 1 }, /useScale must be true or false\. Received: useScale=1/],
    [{ useCausalMask: 'yes' }, /useCausalMask must be true or false/],
    [{ seed: 1.5 }, /seed must be an integer or null\. Received: seed=1\.5/],
    [{ use_scale: true }, /has no option 'use_scale'; did you mean 'useScale'/],
  ])('attention refuses %j', (args, message) => {
    expect(() => km.layers.attention(args as unknown as km.layers.AttentionArgs)).toThrow(message);
  });

  it.each([
    [{ dropout: 1.5 }, /AdditiveAttention layer '.*': dropout must be a number in \[0, 1\)\. Received: dropout=1\.5/],
    [{ scoreMode: 'concat' }, /km\.layers\.additiveAttention has no option 'scoreMode'/],
    [{ returnAttentionScores: 'yes' }, /returnAttentionScores must be true or false/],
  ])('additiveAttention refuses %j', (args, message) => {
    expect(() => km.layers.additiveAttention(args as unknown as km.layers.AdditiveAttentionArgs)).toThrow(message);
  });
});

describe('Attention and AdditiveAttention: bad inputs', () => {
  it.each([
    ['attention', () => km.layers.attention()],
    ['additiveAttention', () => km.layers.additiveAttention()],
  ])('%s refuses one tensor or a list of the wrong length', (_, make) => {
    expect(() => make().apply(seq(3, 4))).toThrow(/takes a list \[query, value\] or \[query, value, key\], but received one tensor, not a list\. .*layer\.apply\(\[x, x\]\)/);
    expect(() => make().apply([seq(3, 4)])).toThrow(/but received 1 input\./);
    expect(() => make().apply([seq(3, 4), seq(3, 4), seq(3, 4), seq(3, 4)])).toThrow(/but received 4 inputs\./);
  });

  it('refuses inputs whose rank is not 3', () => {
    expect(() => km.layers.attention().apply([km.input({ shape: [4] }), seq(3, 4)])).toThrow(/query must have rank 3, \[batch, steps, features\], but received shape \(None, 4\) \(rank 2\)\. Reshape it/);
    expect(() => km.layers.additiveAttention().apply([seq(3, 4), km.input({ shape: [2, 3, 4] })])).toThrow(/value must have rank 3, .* \(None, 2, 3, 4\) \(rank 4\)/);
  });

  it('refuses query and key features that differ, naming both shapes and a fix', () => {
    expect(() => km.layers.attention().apply([seq(3, 4), seq(5, 6)])).toThrow(
      /the dot-product score needs query and key of the same features, but received query \(None, 3, 4\) and value \(the key, as no key is given\) \(None, 5, 6\)\. Project one of them first, e\.g\. km\.layers\.dense\(\{ units: 6 \}\)/,
    );
    expect(() => km.layers.attention({ scoreMode: 'concat' }).apply([seq(3, 4), seq(5, 2), seq(5, 3)])).toThrow(/the additive score needs query and key of the same features, but received query \(None, 3, 4\) and key \(None, 5, 3\)/);
    expect(() => km.layers.additiveAttention().apply([seq(3, 4), seq(5, 5)])).toThrow(/the additive score needs query and key of the same features/);
  });

  it('accepts a value of other features than the query when the key matches the query', () => {
    const out = km.layers.attention().apply([seq(3, 4), seq(5, 7), seq(5, 4)]);
    expect(out.shape).toEqual([3, 7]);
  });

  it('refuses a key whose steps differ from the value', () => {
    expect(() => km.layers.attention().apply([seq(3, 4), seq(5, 4), seq(6, 4)])).toThrow(/key and value must have the same number of steps .* key \(None, 6, 4\) and value \(None, 5, 4\)/);
  });

  it('refuses a second call with other shapes than it was built for', () => {
    const layer = km.layers.additiveAttention();
    layer.apply([seq(3, 4), seq(3, 4)]);
    expect(() => layer.apply([seq(3, 5), seq(3, 5)])).toThrow(/was built for input shape \(None, 3, 4\) and \(None, 3, 4\), but this call gives it \(None, 3, 5\)/);
  });
});
