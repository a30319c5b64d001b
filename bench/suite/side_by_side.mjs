// The loop the whole-model training scripts share: each contender's pass in turn, `reps` times
// (interleaved, so that the VM's drift hits them alike), then medians and kerasm's speed-ups.

const median = (v) => (typeof v[0] === 'string' ? v[0] : [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]);

/**
 * `threads()` says how many threads kerasm ran on (asked after the passes, once the backend is up).
 * `passes` maps a contender's name to a function returning samples/s, or a "fails: …" string for a
 * library that cannot train the model; the first contender is kerasm, the others are compared with it.
 */
export async function sideBySide(passes, reps, { label, threads, ratioDigits = 0 }) {
  const names = Object.keys(passes);
  const results = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < reps; r++) {
    for (const name of names) {
      const last = await passes[name]();
      results[name].push(last);
      console.log(`rep ${r + 1} ${name}: ${typeof last === 'string' ? last : `${last.toPrecision(3)} samples/s`}`);
    }
  }
  const [ours, ...others] = names;
  const mine = median(results[ours]);
  console.log(`${label ? `${label}: ` : ''}${ours} (threads ${threads()}): ${mine.toFixed(0)} samples/s (reps ${results[ours].map((v) => v.toFixed(0)).join(', ')})`);
  for (const name of others) {
    const m = median(results[name]);
    console.log(typeof m === 'string' ? `${name}: ${m}` : `${name}: ${m.toPrecision(3)} samples/s, kerasm ${(mine / m).toFixed(ratioDigits)}× (reps ${results[name].map((v) => v.toPrecision(3)).join(', ')})`);
  }
}
