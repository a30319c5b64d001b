// The result types of the ops, checked by `tsc -p tsconfig.test.json` (expectTypeOf), and the
// runtime dtypes they stand for.
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as km from '../index.js';

describe('op result types carry the dtype the op gives', () => {
  it('reductions, arithmetic, cast, topk and tidy', () => {
    const f = km.tensor([[1, 2], [3, 4]]);
    const i = km.tensor([[1, 2], [3, 4]], undefined, 'int32');
    expectTypeOf(f.argMax(-1)).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.argMin(f)).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(i.max(-1)).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.sum(i)).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(i.mean()).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(i.add(i)).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(i.div(i)).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(i.mul(f)).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.sub(f, i)).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(i.cast('float32')).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.topk(i, 1).values).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.concat([i, i])).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.tidy(() => ({ a: f.transpose(), b: [i.squeeze()] }))).toEqualTypeOf<{ a: km.Tensor<'float32'>; b: km.Tensor<'int32'>[] }>();
    expect([i.add(i).dtype, i.div(i).dtype, i.mul(f).dtype, i.mean().dtype, km.topk(i, 1).values.dtype]).toEqual(['int32', 'int32', 'float32', 'float32', 'int32']);
  });

  it('element-wise ops and gradient functions', () => {
    const f = km.tensor([[1, 2], [3, 4]]);
    const i = km.tensor([[1, 2], [3, 4]], undefined, 'int32');
    expectTypeOf(i.abs()).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.relu(i)).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(i.exp()).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.pow(i, i)).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(i.maximum(f)).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(i.clipByValue(0, 1)).toEqualTypeOf<km.Tensor<'int32'>>();
    // A tfjs-style loss annotated with plain km.Tensor parameters is accepted.
    const loss = (yTrue: km.Tensor, yPred: km.Tensor) => yTrue.sub(yPred).square().mean(-1);
    const { value, grads } = km.valueAndGrads((yPred: km.Tensor) => loss(f, yPred))([f], km.tensor([1, 1]));
    expectTypeOf(value).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(grads).toEqualTypeOf<km.Tensor<'float32'>[]>();
    expectTypeOf(km.grad((x) => x.sigmoid())(f)).toEqualTypeOf<km.Tensor<'float32'>>();
    expect([i.abs().dtype, i.exp().dtype, km.pow(i, i).dtype, grads[0].dtype]).toEqual(['int32', 'float32', 'int32', 'float32']);
  });

  it('the ops tfjs added later keep or fix the dtype as tfjs does', () => {
    const f = km.tensor([[1, 2], [3, 4]]);
    const i = km.tensor([[1, 2], [3, 4]], undefined, 'int32');
    expectTypeOf(km.floorDiv(f, f)).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.mod(i, i)).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(i.leakyRelu()).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(i.gather([1], 1)).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.split(i, 2)).toEqualTypeOf<km.Tensor<'int32'>[]>();
    expectTypeOf(i.prod()).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.moments(i).variance).toEqualTypeOf<km.Tensor<'float32'>>();
    expect([km.floorDiv(f, f).dtype, km.mod(i, i).dtype, i.leakyRelu().dtype, i.gather([1], 1).dtype, i.prod().dtype, km.moments(i).variance.dtype]).toEqual(['int32', 'int32', 'float32', 'int32', 'int32', 'float32']);
  });
});
