import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

// km.io.CompositeArrayBuffer and concatenateArrayBuffers against tfjs-core 4.22's.

/** A buffer of `n` bytes counting up from `first`. */
const bytes = (n: number, first: number) => Uint8Array.from({ length: n }, (_, i) => (first + i) % 256).buffer;
const list = (b: ArrayBuffer) => Array.from(new Uint8Array(b));

describe('km.io.CompositeArrayBuffer', () => {
  const layouts: [string, ArrayBuffer[]][] = [
    ['uniform shards', [bytes(4, 0), bytes(4, 10), bytes(4, 20), bytes(3, 30)]],
    ['uneven shards with an empty one', [bytes(5, 0), bytes(0, 0), bytes(2, 50), bytes(9, 100), bytes(1, 200)]],
    ['one buffer', [bytes(11, 7)]],
  ];
  const bounds: [number | undefined, number | undefined][] = [
    [undefined, undefined], [0, 3], [3, 9], [4, 8], [1, 15], [7, 7], [9, 2], [-5, 6], [2, 1000], [Number.NaN, 6], [3, Number.NaN], [14, 16],
  ];

  for (const [label, buffers] of layouts) {
    it(`slices ${label} as tfjs does, for every kind of bounds`, () => {
      const ours = new km.io.CompositeArrayBuffer(buffers);
      const theirs = new tf.io.CompositeArrayBuffer(buffers);
      expect(ours.byteLength).toBe(theirs.byteLength);
      for (const [start, end] of bounds) expect(list(ours.slice(start, end)), `slice(${start}, ${end})`).toEqual(list(theirs.slice(start, end)));
      expect(list(km.io.CompositeArrayBuffer.join(buffers))).toEqual(list(tf.io.CompositeArrayBuffer.join(buffers)));
      expect(list(km.io.concatenateArrayBuffers(buffers))).toEqual(list(tf.io.concatenateArrayBuffers(buffers)));
    });
  }

  it('takes a single buffer and typed arrays as tfjs does, and reads only the bytes a view covers', () => {
    const single = bytes(6, 3);
    expect(list(km.io.concatenateArrayBuffers(single))).toEqual(list(tf.io.concatenateArrayBuffers(single)));
    const typed = [new Float32Array([1.5, -2]), new Int32Array([7])];
    expect(list(new km.io.CompositeArrayBuffer(typed).slice())).toEqual(list(new tf.io.CompositeArrayBuffer(typed).slice()));
    // tfjs reads a view's whole underlying buffer; kerasm the bytes the view covers.
    const view = new Uint8Array(bytes(10, 0), 2, 3);
    expect(list(new km.io.CompositeArrayBuffer(view).slice())).toEqual([2, 3, 4]);
    expect(new km.io.CompositeArrayBuffer().byteLength).toBe(0);
    expect(list(km.io.CompositeArrayBuffer.join())).toEqual([]);
  });

  it("truncates fractional bounds as ArrayBuffer.slice does, across shards (tfjs' own skips bytes there)", () => {
    const buffers = [bytes(3, 1), bytes(0, 0), bytes(2, 4), bytes(4, 6)];
    const joined = Uint8Array.from(buffers.flatMap(list)).buffer;
    const ours = new km.io.CompositeArrayBuffer(buffers);
    for (const [start, end] of [[1.5, 4.5], [0.2, 8.9], [2.99, 3.01], [-0.5, 2.5], [4.7, 100.2]]) {
      expect(list(ours.slice(start, end)), `slice(${start}, ${end})`).toEqual(list(joined.slice(Math.max(0, start), end)));
    }
  });

  it('says what it received when given something other than buffers', () => {
    expect(() => new km.io.CompositeArrayBuffer([bytes(2, 0), 'abc' as unknown as ArrayBuffer])).toThrow(/takes ArrayBuffers or typed arrays.*Received: buffers\[1\]=string abc/);
    expect(() => km.io.concatenateArrayBuffers([[1, 2] as unknown as ArrayBuffer])).toThrow(/Received: buffers\[0\]=Array/);
  });
});
