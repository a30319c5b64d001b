/** The Castagnoli polynomial 0x1EDC6F41, bit-reversed, as CRC-32C processes the low bit first. */
const CASTAGNOLI_REVERSED = 0x82f63b78;

let table: Uint32Array | null = null;

/** The CRC of each byte value, built on first use (1 KiB). */
function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CASTAGNOLI_REVERSED : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * CRC-32C (Castagnoli, as iSCSI and TFRecord files use) of `bytes`, as an unsigned 32-bit number:
 * `crc32c(new TextEncoder().encode('123456789'))` is 0xe3069283.
 */
export function crc32c(bytes: Uint8Array): number {
  const t = crcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
