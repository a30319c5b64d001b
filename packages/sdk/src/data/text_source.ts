import { inNode, requireNode } from '../io/node_only.js';

/** Reads a text file or URL chunk by chunk: Node's file streams for paths, fetch for URLs. */
export async function* textChunks(pathOrUrl: string): AsyncGenerator<string> {
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUrl) && !pathOrUrl.startsWith('file://');
  // A plain path outside Node is a URL relative to the page; a file:// one needs Node's file system.
  if (pathOrUrl.toLowerCase().startsWith('file://')) requireNode(`file:// ('${pathOrUrl}')`, 'In a browser, read the file from an http(s):// URL instead.');
  if (isUrl || !inNode()) {
    let response: Response;
    try {
      response = await fetch(pathOrUrl);
    } catch (err) {
      throw new Error(`Could not fetch ${pathOrUrl}: ${(err as Error).message}. Check that the URL is reachable.`, { cause: err });
    }
    if (!response.ok || !response.body) throw new Error(`Could not fetch ${pathOrUrl}: HTTP ${response.status} ${response.statusText}. Check the URL.`);
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield decoder.decode(value, { stream: true });
    }
    const rest = decoder.decode();
    if (rest) yield rest;
    return;
  }
  const fs = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const path = pathOrUrl.startsWith('file://') ? fileURLToPath(pathOrUrl) : pathOrUrl;
  const stream = fs.createReadStream(path, { encoding: 'utf8' });
  try {
    for await (const chunk of stream) yield chunk as string;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`No file at ${path}. Check the path (relative paths start from ${process.cwd()}).`, { cause: err });
    throw err;
  } finally {
    stream.destroy();
  }
}
