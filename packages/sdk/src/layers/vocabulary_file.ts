// Keras' `vocabulary` given as the path of a text file, one token a line: read in Node only.
import { requireNode } from '../io/node_only.js';

const BROWSER_VOCABULARY = "In a browser, fetch the file and pass its lines as an array: vocabulary: text.replace(/\\r?\\n$/, '').split(/\\r?\\n/).";

/**
 * The tokens of the vocabulary file at `path` (a file path, or a file:// URL), one a line, in
 * order; a final newline ends the last line, '\r\n' reads as '\n', and a leading UTF-8 byte order
 * mark (U+FEFF, which some editors write) is dropped: Keras would keep it in the first token, which
 * then never matches, but there it can only be an encoding mark. The file is read
 * synchronously, as Keras reads it when the layer is made, through `process.getBuiltinModule`, so
 * that a browser bundle holds no static import of node:fs. Refuses a missing or empty file and a
 * repeated token, naming the path and the fix.
 */
export function readVocabularyFile(path: string, where: string): string[] {
  requireNode(`${where}: a vocabulary file ('${path}')`, BROWSER_VOCABULARY);
  const getBuiltin = process.getBuiltinModule;
  if (typeof getBuiltin !== 'function') {
    throw new Error(`${where}: reading the vocabulary file '${path}' needs Node.js 20.16 or later (process.getBuiltinModule); this is Node.js ${process.versions.node}. Upgrade Node.js, or read the file yourself and pass its lines as an array.`);
  }
  const fs = getBuiltin('node:fs');
  const file = path.startsWith('file://') ? getBuiltin('node:url').fileURLToPath(path) : path;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'there is no file there' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new Error(`${where}: cannot read the vocabulary file '${file}': ${problem}. Give the path of a text file with one token a line (relative paths start from ${process.cwd()}), or pass the tokens as an array.`, { cause: error });
  }
  const body = text.replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  if (body === '') throw new Error(`${where}: the vocabulary file '${file}' holds no tokens. Write one token a line into it, or leave out vocabulary and call adapt.`);
  const tokens = body.split(/\r?\n/);
  const firstLine = new Map<string, number>();
  tokens.forEach((token, i) => {
    const first = firstLine.get(token);
    if (first !== undefined) {
      throw new Error(`${where}: the vocabulary file '${file}' lists ${JSON.stringify(token)} twice, on lines ${first + 1} and ${i + 1} (Keras refuses a repeated token too). Remove the repeated line.`);
    }
    firstLine.set(token, i);
  });
  return tokens;
}
