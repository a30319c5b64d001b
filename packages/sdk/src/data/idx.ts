/** Element types an IDX file can hold. */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array {@link parseIdx} returns for each IDX element type. */
export interface IdxArrayFor {
  uint8: Uint8Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** A parsed IDX file; `dtype` tells which typed array `data` is. */
export type IdxArray = { [D in IdxDType]: { dtype: D; shape: number[]; data: IdxArrayFor[D] } }[IdxDType];

const TYPE_CODES: Record<number, { dtype: IdxDType; bytes: number }> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

const DEFAULT_FIX = 'Download or regenerate the file; it is damaged or is not an IDX file.';

/**
 * Parses an IDX file (the format of the MNIST files): two zero bytes, a type byte, a rank byte,
 * `rank` big-endian uint32 dimensions, then the values in big-endian row-major order.
 *
 * @param bytes The whole file.
 * @param source Where the bytes came from (a path or URL); every error names it.
 * @param fix How to repair a bad file, appended to every error (default: download it again).
 * @returns The element type, the shape and a fresh typed array in host byte order.
 * @example
 * ```ts
 * const { dtype, shape, data } = parseIdx(await fs.readFile(path), path);
 * // dtype 'uint8', shape [10000, 28, 28], data: Uint8Array(7840000)
 * ```
 */
export function parseIdx(bytes: Uint8Array, source: string, fix: string = DEFAULT_FIX): IdxArray {
  const fail = (problem: string): never => {
    throw new Error(`Invalid IDX file ${source}: ${problem} ${fix}`);
  };
  if (bytes.length < 4) {
    fail(`truncated header: the file has ${bytes.length} bytes, but an IDX header needs at least 4 (magic, type, rank).`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const found = hex(bytes, 0, 4);
    const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' This is a gzip file: decompress it first (gunzip).' : '';
    fail(`wrong magic number: found bytes ${found}, expected 00 00 <type> <rank>.${gzip}`);
  }
  const type = TYPE_CODES[bytes[2]];
  if (type === undefined) {
    fail(
      `unknown type code 0x${byteHex(bytes[2])}; expected one of 0x08 (uint8), 0x09 (int8), 0x0B (int16), ` +
        `0x0C (int32), 0x0D (float32), 0x0E (float64).`,
    );
  }
  const rank = bytes[3];
  if (rank === 0) fail('rank 0 in the header; an IDX file needs at least one dimension.');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    fail(`truncated header: rank ${rank} needs a ${headerBytes}-byte header, but the file has only ${bytes.length} bytes.`);
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    count *= d;
  }
  const expected = count * type.bytes;
  const found = bytes.length - headerBytes;
  if (found !== expected) {
    const what = found < expected ? 'truncated data' : 'extra data after the values';
    fail(
      `${what}: shape [${shape.join(', ')}] of ${type.dtype} needs ${expected} data bytes ` +
        `(${headerBytes + expected} bytes in all), but the file has ${found} (${bytes.length} in all).`,
    );
  }
  return { dtype: type.dtype, shape, data: readValues(bytes, view, headerBytes, count, type.dtype) } as IdxArray;
}

function readValues(bytes: Uint8Array, view: DataView, offset: number, n: number, dtype: IdxDType): IdxArrayFor[IdxDType] {
  switch (dtype) {
    case 'uint8':
      return bytes.slice(offset, offset + n);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + offset, n).slice();
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

function byteHex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

function hex(bytes: Uint8Array, begin: number, end: number): string {
  return Array.from(bytes.subarray(begin, end), byteHex).join(' ');
}
