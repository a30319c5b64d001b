/**
 * Several buffers read as one, without copying them into one large buffer first (tfjs'
 * `io.CompositeArrayBuffer`): a model's weights arrive as many files, and `slice` copies out only
 * the bytes one weight needs.
 *
 * @example
 * ```ts
 * const bytes = new km.io.CompositeArrayBuffer([first, second]);
 * const weight = new Float32Array(bytes.slice(8, 24));
 * ```
 */
export class CompositeArrayBuffer {
  /** Total bytes of all the buffers. */
  readonly byteLength: number;
  readonly #shards: { bytes: Uint8Array; start: number; end: number }[] = [];

  /**
   * Joins `buffers` into one new `ArrayBuffer`, in order.
   *
   * @example
   * ```ts
   * const joined = km.io.CompositeArrayBuffer.join([a, b]); // a's bytes, then b's
   * ```
   */
  static join(buffers?: ArrayBuffer[] | ArrayBuffer): ArrayBuffer {
    return new CompositeArrayBuffer(buffers).slice();
  }

  /** `buffers`: one or several `ArrayBuffer`s or typed arrays (a typed array stands for the bytes it views). */
  constructor(buffers?: ArrayBuffer | ArrayBufferView | (ArrayBuffer | ArrayBufferView)[]) {
    const list = buffers == null ? [] : Array.isArray(buffers) ? buffers : [buffers];
    let start = 0;
    for (const [i, b] of list.entries()) {
      const bytes = asBytes(b, i);
      this.#shards.push({ bytes, start, end: start + bytes.byteLength });
      start += bytes.byteLength;
    }
    this.byteLength = start;
  }

  /**
   * A copy of bytes `start` up to `end`, as `ArrayBuffer.slice` but as tfjs does it: NaN counts as
   * 0, and a negative index as 0 (not from the end). A fractional index is truncated, as
   * `ArrayBuffer.slice` does.
   */
  slice(start = 0, end = this.byteLength): ArrayBuffer {
    // The shards' offsets below must be whole bytes: typed arrays truncate fractional ones each on its own.
    const from = Math.max(0, Math.trunc(Number(start)) || 0);
    const to = Math.min(this.byteLength, Math.trunc(Number(end)) || 0);
    if (to <= from) return new ArrayBuffer(0);
    const out = new Uint8Array(to - from);
    for (const shard of this.#shards) {
      if (shard.end <= from || shard.start >= to) continue;
      const lo = Math.max(from, shard.start) - shard.start;
      const hi = Math.min(to, shard.end) - shard.start;
      out.set(shard.bytes.subarray(lo, hi), shard.start + lo - from);
    }
    return out.buffer;
  }
}

function asBytes(buffer: unknown, index: number): Uint8Array {
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const what = buffer === null ? 'null' : typeof buffer === 'object' ? (buffer.constructor?.name ?? 'an object') : `${typeof buffer} ${String(buffer)}`;
  throw new Error(`CompositeArrayBuffer takes ArrayBuffers or typed arrays (one, or an array of them). Received: buffers[${index}]=${what}.`);
}

/**
 * Joins buffers into one new `ArrayBuffer`, in order (tfjs' `io.concatenateArrayBuffers`, which
 * tfjs deprecates for {@link CompositeArrayBuffer.join}).
 *
 * @example
 * ```ts
 * const data = km.io.concatenateArrayBuffers([a, b]);
 * ```
 */
export function concatenateArrayBuffers(buffers: ArrayBuffer[] | ArrayBuffer): ArrayBuffer {
  return CompositeArrayBuffer.join(buffers);
}
