import { crc32c } from './crc32c.js';

/**
 * TFRecord's masked CRC: the CRC-32C rotated right by 15 bits plus a constant, so that a CRC
 * computed over data that itself holds CRCs does not come out trivially.
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/**
 * Frames `data` as one TFRecord: its length (uint64, little-endian), the masked CRC-32C of those 8
 * bytes, the data, and the masked CRC-32C of the data (both CRCs uint32, little-endian). TensorBoard's
 * event files are a sequence of these, one serialized `Event` each.
 */
export function tfRecord(data: Uint8Array): Uint8Array {
  const record = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(record.buffer);
  view.setUint32(0, data.length % 0x100000000, true);
  view.setUint32(4, Math.floor(data.length / 0x100000000), true);
  view.setUint32(8, maskedCrc32c(record.subarray(0, 8)), true);
  record.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return record;
}
