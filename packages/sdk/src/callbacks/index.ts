export { modelCheckpoint, type ModelCheckpointArgs } from './model_checkpoint.js';
export { History } from './history.js';
export type { CustomCallbackArgs, Logs } from './callbacks.js';
