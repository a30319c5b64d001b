import * as km from '../index.js';

/** What `model.save` writes, captured in memory (with the optimizer's state unless told otherwise). */
export async function savedArtifacts(model: km.LayersModel, includeOptimizer = true): Promise<km.io.ModelArtifacts> {
  let saved: km.io.ModelArtifacts | undefined;
  await model.save(km.io.withSaveHandler(async (a) => void (saved = a)), { includeOptimizer });
  return saved!;
}
