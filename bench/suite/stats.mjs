// Timing helpers shared by the benchmark sections.

/** Median of a list of numbers (upper median for even lengths). */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Seconds per call of fn: repeats it until one trial takes at least minMs, `trials` times,
 * and returns the median trial. Callers interleave contenders between calls.
 */
export function secondsPerCall(fn, { minMs = 40, trials = 5 } = {}) {
  fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    if (performance.now() - t0 >= minMs) break;
    reps *= 2;
  }
  const times = [];
  for (let t = 0; t < trials; t++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    times.push((performance.now() - t0) / 1000 / reps);
  }
  return median(times);
}

/** Runs each contender once per repetition, in turn, and returns their results by name. */
export async function interleave(contenders, repetitions, onRep = () => {}) {
  const results = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (let r = 0; r < repetitions; r++) {
    for (const [name, run] of Object.entries(contenders)) results[name].push(await run());
    onRep(r, results);
  }
  return results;
}
