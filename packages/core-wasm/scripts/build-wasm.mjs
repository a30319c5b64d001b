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

await mkdir(new URL('../build', import.meta.url), { recursive: true });
for (const [flavor, extra] of Object.entries(flavors)) {
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
