// tfjs' tf.util functions over strings and their bytes. kerasm's tensors hold numbers, so these
// serve code that handles text itself (vocabularies, file formats), as tfjs' string tensors' bytes.
import { describeValue } from '../ops/operand.js';

function checkUtf8(fn: string, encoding: string): void {
  if (encoding !== 'utf-8' && encoding !== 'utf8') {
    throw new Error(`km.util.${fn}() encodes UTF-8 only (TextEncoder's one encoding, as tfjs). Received: encoding=${JSON.stringify(encoding)}. Leave it out, or encode other schemes with a library.`);
  }
}

/**
 * The UTF-8 bytes of `s`, as `tf.util.encodeString`; other encodings are refused, as tfjs does.
 * @example `km.util.encodeString('héllo') // Uint8Array of 6 bytes`
 */
export function encodeString(s: string, encoding = 'utf-8'): Uint8Array {
  encoding ||= 'utf-8';
  checkUtf8('encodeString', encoding);
  if (typeof s !== 'string') throw new Error(`km.util.encodeString() takes a string. Received: s=${describeValue(s)}.`);
  return new TextEncoder().encode(s);
}

/**
 * The string that `bytes` encode, as `tf.util.decodeString`: UTF-8 by default, or any encoding
 * the platform's TextDecoder knows ('utf-16le', 'latin1', ...). Invalid UTF-8 decodes to U+FFFD.
 * @example `km.util.decodeString(km.util.encodeString('héllo')) // 'héllo'`
 */
export function decodeString(bytes: Uint8Array, encoding = 'utf-8'): string {
  encoding ||= 'utf-8';
  if (!ArrayBuffer.isView(bytes)) throw new Error(`km.util.decodeString() takes the bytes as a Uint8Array, e.g. from km.util.encodeString(). Received: bytes=${describeValue(bytes)}.`);
  if (bytes.length === 0) return '';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch (e) {
    throw new Error(`km.util.decodeString(): this platform's TextDecoder does not know the encoding ${JSON.stringify(encoding)}. Use 'utf-8' (the default) or another encoding it knows, e.g. 'utf-16le' or 'latin1'.`, { cause: e });
  }
  return decoder.decode(bytes);
}

/**
 * The number of bytes in an array of encoded strings (the sum of their lengths; 0 for null), as
 * `tf.util.bytesFromStringArray`.
 * @example `km.util.bytesFromStringArray(['a', 'é'].map((s) => km.util.encodeString(s))) // 3`
 */
export function bytesFromStringArray(arr: readonly Uint8Array[] | null | undefined): number {
  if (arr == null) return 0;
  let bytes = 0;
  arr.forEach((x) => (bytes += x.length));
  return bytes;
}

/** `a` padded with spaces on the right to `size` characters (unchanged when it is that long already), as `tf.util.rightPad`. @example `km.util.rightPad('ab', 4) // 'ab  '` */
export function rightPad(a: string, size: number): string {
  if (size <= a.length) return a;
  return a + ' '.repeat(size - a.length);
}
