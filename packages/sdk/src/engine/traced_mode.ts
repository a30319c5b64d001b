// The mode of the km.Model whose call is being traced, which a model applied in it without
// `training` follows (see call_modes.ts); kept apart so that every model's apply can read it.

let tracedMode: boolean | undefined;

/** The mode the innermost km.Model `call` traced now was given, for a model it applies without fixing one (undefined: none is, or its trace of `training` undefined). */
export function tracingMode(): boolean | undefined {
  return tracedMode;
}

/** `run`'s result, with {@link tracingMode} `mode` while it runs. */
export function inTracedMode<T>(mode: boolean | undefined, run: () => T): T {
  const outer = tracedMode;
  tracedMode = mode;
  try {
    return run();
  } finally {
    tracedMode = outer;
  }
}
