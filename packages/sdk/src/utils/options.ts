/**
 * Throws when `args` has an option `call` does not take, naming the one probably meant: the
 * camelCase form of a Keras snake_case name (`batch_size` → `batchSize`) or a near spelling
 * (`epoch` → `epochs`). Without this an unknown option is ignored: `fit(x, y, { batch_size: 64 })`
 * would train at the default batch size of 32 and say nothing.
 */
export function checkOptions(args: unknown, allowed: readonly string[], call: string): void {
  if (args === undefined) return;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new Error(`${call} takes an options object such as { ${allowed[0]}: ... }. Received: ${args === null ? 'null' : Array.isArray(args) ? 'a list' : typeof args}.`);
  }
  for (const key of Object.keys(args)) {
    if (allowed.includes(key)) continue;
    const meant = likelyMeant(key, allowed);
    throw new Error(`${call} has no option '${key}'${meant ? `; did you mean '${meant}'?` : '.'} Its options are: ${allowed.join(', ')}.`);
  }
}

/** Keras options that TensorFlow.js (and kerasm) name differently, by their camelCase form. */
const RENAMED: Readonly<Record<string, string>> = { stepsPerEpoch: 'batchesPerEpoch', steps: 'batches' };

function likelyMeant(key: string, allowed: readonly string[]): string | undefined {
  const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const exact = allowed.find((name) => name.toLowerCase() === camel.toLowerCase() || name === RENAMED[camel]);
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1;
  for (const name of allowed) {
    const d = editDistance(camel.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

/** The option names of an options interface; the Record type makes TypeScript reject a list that misses one, or names one the interface lacks outside a spread. */
export function optionNames<T>(names: Record<keyof Required<T>, true>): readonly string[] {
  return Object.keys(names);
}

/**
 * Returns `value` when it is a number that `ok` accepts, else throws naming the option, what was
 * received and what is expected; `where` names the layer ("LeakyReLU layer 'leaky_re_lu'").
 */
export function checkNumberOption(value: unknown, name: string, where: string, ok: (v: number) => boolean, expected: string): number {
  if (typeof value !== 'number' || !ok(value)) {
    throw new Error(`${where}: ${name} must be ${expected}. Received: ${name}=${JSON.stringify(value)}.`);
  }
  return value;
}

/** Returns `value` when it is a boolean, else throws naming the option and what was received; `where` names the layer. */
export function checkBooleanOption(value: unknown, name: string, where: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${where}: ${name} must be true or false. Received: ${name}=${JSON.stringify(value)}.`);
  return value;
}
