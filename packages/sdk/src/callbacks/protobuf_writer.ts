/** Protocol Buffers wire types (the low 3 bits of a field's key). */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/**
 * Writes one protobuf message, field by field, into bytes: the few field kinds TensorBoard's event
 * files need (varint integers, doubles, floats, strings and nested messages), without a schema.
 * Fields are written in the order called, as the wire format allows.
 */
export class ProtobufWriter {
  readonly #bytes: number[] = [];

  /** A non-negative integer field (`int64`, `int32`, `uint64`) up to 2^53, as a varint. */
  uint(field: number, value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`ProtobufWriter.uint takes a whole number in [0, 2^53). Received: ${value} for field ${field}.`);
    this.#key(field, VARINT);
    this.#varint(value);
    return this;
  }

  /** A `double` field: 8 bytes, little-endian. */
  double(field: number, value: number): this {
    this.#key(field, FIXED64);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    this.#bytes.push(...bytes);
    return this;
  }

  /** A `float` field: 4 bytes, little-endian (the value rounded to float32). */
  float(field: number, value: number): this {
    this.#key(field, FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.#bytes.push(...bytes);
    return this;
  }

  /** A `string` field, as UTF-8. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A `bytes` field, or an embedded message given as its encoding (`writer.finish()`). */
  bytes(field: number, value: Uint8Array): this {
    this.#key(field, LENGTH_DELIMITED);
    this.#varint(value.length);
    for (let i = 0; i < value.length; i++) this.#bytes.push(value[i]!);
    return this;
  }

  /** The encoded message. */
  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  #key(field: number, wireType: number): void {
    this.#varint(field * 8 + wireType);
  }

  /** Seven bits a byte, low first, the high bit set on all but the last; division keeps values past 2^32 exact. */
  #varint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.#bytes.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.#bytes.push(rest);
  }
}
