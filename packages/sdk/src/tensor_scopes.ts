// The open km.tidy scopes and the tensors made inside each. Tensor's constructor reports here, so
// this module imports nothing: tensor.ts is imported everywhere, and tidy (ops/tidy.ts) reads the
// scopes through these functions.

interface Disposable {
  dispose(): void;
}

const scopes: Set<Disposable>[] = [];

/** Records a new tensor in the innermost open scope, if any. */
export function trackTensor(t: Disposable): void {
  if (scopes.length > 0) scopes[scopes.length - 1].add(t);
}

/** Takes a tensor out of every open scope, so that no tidy disposes it (tfjs' `tf.keep`). */
export function keepTensor(t: Disposable): void {
  for (const scope of scopes) scope.delete(t);
}

export function openScope(): void {
  scopes.push(new Set());
}

/**
 * Closes the innermost scope: disposes its tensors except `results`, which the enclosing scope
 * takes over (an outer tidy disposes them unless it returns them too).
 */
export function closeScope(results: ReadonlySet<Disposable>): void {
  const scope = scopes.pop();
  if (!scope) return;
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (!results.has(t)) t.dispose();
    else parent?.add(t);
  }
}

/**
 * Runs `fn` outside every open scope, as code outside any km.tidy runs: the tensors it makes are
 * not freed when the scopes close (a metric's update, whose count continues after a step returns).
 */
export function outsideScopes<T>(fn: () => T): T {
  const open = scopes.splice(0);
  try {
    return fn();
  } finally {
    scopes.push(...open);
  }
}
