// Where splitting a memory-bound kernel over 2 threads starts to pay: times im2col,
// maxPoolGrad, dropoutMask and adamUpdate per call on a 1-thread core and
// on a 2-thread core forced to split every call (rangeSplit.minWorkPerPart = 0), interleaved, at
// growing sizes, and prints the work (floats, as Core.split counts it) and the 2-thread speed-up.
// The crossover sets rangeSplit.minWorkPerPart (work per part = half the call's work here).
//
//   node bench/parallel_threshold.mjs
import { loadCore } from '@kerasm/core-wasm';
import { rangeSplit } from '../packages/core-wasm/dist/range_partition.js';
import { secondsPerCall } from './suite/stats.mjs';

const one = await loadCore({ threads: 1 });
const two = await loadCore({ threads: 2 });
rangeSplit.minWorkPerPart = 0;

const conv = (batch) => ({ batch, inH: 28, inW: 28, channels: 1, kH: 3, kW: 3, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 0, padLeft: 0, outH: 26, outW: 26 });
const pool = (batch) => ({ batch, inH: 26, inW: 26, channels: 32, kH: 2, kW: 2, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1, padTop: 0, padLeft: 0, outH: 13, outW: 13 });

// Each case: sizes, the work Core.split counts for a size, and a call on a core's fresh buffers.
const CASES = {
  'im2col (conv1, per image)': { sizes: [1, 2, 4, 8, 16, 64], work: (b) => b * 26 * 26 * 9, floats: (b) => [b * 784, b * 26 * 26 * 9], call: (c, [x, cols], b) => c.im2col(x, cols, conv(b)) },
  'maxPoolGrad (pool1, per image)': { sizes: [1, 2, 4, 8, 16, 64], work: (b) => b * 2 * 13 * 13 * 32 * 4, floats: (b) => [b * 26 * 26 * 32, b * 13 * 13 * 32, b * 13 * 13 * 32, b * 26 * 26 * 32], call: (c, [x, y, dy, dx], b) => c.maxPoolGrad(x, y, dy, dx, pool(b)) },
  'dropoutMask (n)': { sizes: [1024, 4096, 16384, 102400], work: (n) => 8 * n, floats: (n) => [n], call: (c, [m], n) => c.dropoutMask(m, n, 0.5, 7) },
  'adamUpdate (n)': { sizes: [4096, 16384, 50890, 262144, 1048576], work: (n) => 7 * n, floats: (n) => [n, n, n, n], call: (c, [p, g, m, v], n) => c.adamUpdate(p, g, m, v, n, 1e-3, 0.9, 0.999, 1e-7) },
};

for (const [name, { sizes, work, floats, call }] of Object.entries(CASES)) {
  console.log(`\n${name}`);
  for (const size of sizes) {
    const setups = [one, two].map((core) => {
      const ptrs = floats(size).map((n) => {
        const p = core.malloc(4 * n);
        const f = core.f32();
        for (let i = 0; i < n; i++) f[p / 4 + i] = Math.sin(i * 0.37) * 0.5 + 0.5;
        return p;
      });
      return { core, ptrs };
    });
    const times = [[], []];
    for (let rep = 0; rep < 3; rep++) {
      setups.forEach(({ core, ptrs }, i) => times[i].push(secondsPerCall(() => call(core, ptrs, size), { minMs: 20, trials: 3 })));
    }
    const [t1, t2] = times.map((t) => t.sort((a, b) => a - b)[1]);
    console.log(`  size ${String(size).padStart(8)}  work ${String(work(size)).padStart(9)}  1 thread ${(t1 * 1e6).toFixed(1).padStart(8)} µs  2 threads ${(t2 * 1e6).toFixed(1).padStart(8)} µs  speed-up ${(t1 / t2).toFixed(2)}`);
    setups.forEach(({ core, ptrs }) => ptrs.forEach((p) => core.free(p)));
  }
}
one.dispose();
two.dispose();
