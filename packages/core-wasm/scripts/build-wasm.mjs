// Builds the AssemblyScript kernels twice: plain SIMD and SIMD + relaxed SIMD.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = [
  'assembly/index.ts', '--enable', 'simd', '-O3', '--noAssert', '--runtime', 'stub',
  // JS owns the memory so that a shared memory can be passed in for threads later.
  '--importMemory',
];
const flavors = {
  simd: [],
  'relaxed-simd': ['--enable', 'relaxed-simd'],
};
// The same kernels over a shared memory, for worker threads. The module declares the largest
// wasm32 maximum so that the loader can pick any smaller one when it creates the memory.
const threaded = ['--enable', 'threads', '--sharedMemory', '--initialMemory', '32', '--maximumMemory', '65536'];
const builds = Object.entries(flavors).flatMap(([flavor, extra]) => [
  [flavor, extra],
  [`${flavor}-threads`, [...extra, ...threaded]],
]);

await mkdir(new URL('../build', import.meta.url), { recursive: true });
for (const [flavor, extra] of builds) {
  const { error } = await asc.main(
    [...common, ...extra, '-o', `build/kernels-${flavor}.wasm`],
    { stdout: process.stdout, stderr: process.stderr, baseDir: root },
  );
  if (error) {
    console.error(`build-wasm: ${flavor} build failed: ${error.message}`);
    process.exit(1);
  }
  console.log(`build-wasm: build/kernels-${flavor}.wasm`);
}
