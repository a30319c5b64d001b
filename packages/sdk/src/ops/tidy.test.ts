import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Tensor, type DeviceValues } from '../tensor.js';

describe('km.tidy, km.keep and km.dispose, as tfjs has them', () => {
  it('disposes what fn made, but not what it returns or what was made before', () => {
    const x = km.tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]]);
    let scaled!: km.Tensor;
    const classes = km.tidy(() => {
      scaled = x.mul(2);
      return scaled.argMax(-1);
    });
    expect(scaled.isDisposed).toBe(true);
    expect(classes.isDisposed).toBe(false);
    expect(classes.arraySync()).toEqual([1, 0]);
    expect(x.isDisposed).toBe(false);
  });

  it('keeps tensors anywhere in a returned array or object, and those passed to keep', () => {
    const made: km.Tensor[] = [];
    const mk = (v: number) => {
      const t = km.tensor([v]);
      made.push(t);
      return t;
    };
    let kept!: km.Tensor;
    const result = km.tidy('named', () => {
      mk(0);
      kept = km.keep(mk(1));
      return { a: mk(2), list: [mk(3), { deep: mk(4) }], n: 5 };
    });
    expect(made.map((t) => t.isDisposed)).toEqual([true, false, false, false, false]);
    expect(result.list[1]).toEqual({ deep: made[4] });
    expect(kept.dataSync()[0]).toBe(1);
  });

  it('hands a nested tidy result to the outer scope, which disposes it unless it returns it too', () => {
    let inner!: km.Tensor;
    let innerTemp!: km.Tensor;
    km.tidy(() => {
      inner = km.tidy(() => {
        innerTemp = km.ones([2]);
        return km.zeros([2]);
      });
      expect(innerTemp.isDisposed).toBe(true);
      expect(inner.isDisposed).toBe(false);
    });
    expect(inner.isDisposed).toBe(true);
  });

  it('disposes everything made when fn throws, and refuses an async fn', () => {
    let made!: km.Tensor;
    expect(() => km.tidy(() => {
      made = km.ones([1]);
      throw new Error('boom');
    })).toThrow('boom');
    expect(made.isDisposed).toBe(true);
    expect(() => km.tidy(async () => km.ones([1]))).toThrow(/km\.tidy\(\): fn returned a Promise/);
    expect(() => km.tidy(undefined as never)).toThrow(/km\.tidy\(\) takes a function to run/);
    // Outside any scope, tensors are left alone.
    expect(km.ones([1]).isDisposed).toBe(false);
  });

  it("leaves a model's weights alone when it is built or given weights inside a tidy", () => {
    // Built but not yet run, the model holds its weights as host tensors made inside the tidy.
    const model = km.tidy(() => km.sequential([km.layers.dense({ units: 2, inputShape: [3], kernelInitializer: 'ones' })]));
    expect(model.getWeights()[0].arraySync()).toEqual([[1, 1], [1, 1], [1, 1]]);
    km.tidy(() => model.setWeights([km.fill([3, 2], 2), km.zeros([2])]));
    expect((model.predict(km.ones([1, 3])) as km.Tensor).arraySync()).toEqual([[6, 6]]);
  });

  it('km.dispose frees every tensor in a container', () => {
    const a = km.ones([1]);
    const b = km.zeros([1]);
    km.dispose([a, { b }]);
    expect([a.isDisposed, b.isDisposed]).toEqual([true, true]);
    expect(() => km.add(a, 1)).toThrow('km.add(): a was disposed (by dispose() or km.tidy). Keep it with km.keep(t), or call km.add() before disposing it.');
  });
});

describe('ops on values still on a device', () => {
  function onDevice(readsSynchronously: boolean): Tensor<'float32'> {
    const values = Float32Array.of(1, 5, 2);
    const device: DeviceValues<'float32'> = {
      read: () => {
        if (!readsSynchronously) throw new Error("Backend 'tfjs-webgpu' does not read values back synchronously.");
        return values;
      },
      readAsync: async () => values,
      release: () => {},
    };
    return new Tensor(device, [3], 'float32');
  }

  it('reads them synchronously where the device can', () => {
    expect(onDevice(true).argMax().arraySync()).toBe(1);
  });

  it('says to await t.data() first where it cannot, and works once that is done', async () => {
    const t = onDevice(false);
    expect(() => t.argMax()).toThrow("km.argMax() computes on the host and could not read the tensor's values synchronously: Backend 'tfjs-webgpu' does not read values back synchronously. Read them first with `await t.data()`; ops then use the values read.");
    await t.data();
    expect(t.argMax().arraySync()).toBe(1);
  });
});
