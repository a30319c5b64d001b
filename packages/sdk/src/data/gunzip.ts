/**
 * Decompresses a gzip file with the platform's `DecompressionStream` (browsers, Node 18+, Deno),
 * so no decompression library ships with the SDK.
 *
 * @param bytes The whole .gz file.
 * @param source Where the bytes came from; errors name it.
 * @example
 * ```ts
 * const idx = await gunzip(new Uint8Array(await (await fetch(url)).arrayBuffer()), url);
 * ```
 */
export async function gunzip(bytes: Uint8Array, source: string): Promise<Uint8Array> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    const found = Array.from(bytes.subarray(0, 2), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new Error(
      `${source} is not a gzip file: it starts with bytes ${found || '(none)'}, expected 1f 8b. ` +
        'Serve the gzip-compressed files there, or load the uncompressed ones without `gzip: true`.',
    );
  }
  if (typeof DecompressionStream !== 'function') {
    throw new Error(`Cannot decompress ${source}: this runtime has no DecompressionStream. Serve the uncompressed files and drop \`gzip: true\`.`);
  }
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (err) {
    throw new Error(`Cannot decompress ${source}: ${(err as Error).message}. The file is damaged; download or regenerate it.`, { cause: err });
  }
}
