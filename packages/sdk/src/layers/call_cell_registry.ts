// Custom cells a saved model can rebuild: km.layers.registerCell, read when an RNN layer loads.
import { CallCell } from './call_cell.js';
import { BUILT_IN_CELL_CLASSES } from './rnn_cells.js';

/** Makes a cell from the plain-data configuration its `getConfig()` returned. */
export type CellFactory = (config: Record<string, unknown>) => CallCell;

const factories = new Map<string, CellFactory>();


/**
 * Registers a {@link CallCell} class under its `className`, for saving and loading: a model whose
 * `km.layers.rnn` runs such a cell saves it in the RNN layer's config as `cell: { className, config }`
 * (its `getConfig()`), as tfjs writes a custom cell, and loading calls `factory` with that config, as
 * {@link registerLayer} does for layers. Registering a name again replaces the earlier factory.
 *
 * @example
 * ```ts
 * km.layers.registerCell('MinimalRNNCell', (config) => new MinimalRNNCell(config as { units: number }));
 * ```
 */
export function registerCell(className: string, factory: CellFactory): void {
  if (typeof className !== 'string' || className === '' || typeof factory !== 'function') {
    throw new Error(`registerCell takes the className its cells save (a non-empty string) and a function that makes a cell from its config, e.g. registerCell('MinimalRNNCell', (config) => new MinimalRNNCell(config)). Received: className=${JSON.stringify(className)}, factory=${typeof factory}.`);
  }
  if (BUILT_IN_CELL_CLASSES.includes(className)) {
    throw new Error(`registerCell('${className}'): '${className}' is a kerasm built-in cell, which every saved RNN over one loads as. Give your cell class another className, e.g. 'My${className}', and register it under that.`);
  }
  factories.set(className, factory);
}

/** Whether a custom cell class is registered under `className`. */
export function isRegisteredCell(className: string): boolean {
  return factories.has(className);
}

/**
 * The custom cells a saved RNN config's `cell` names: one registered cell (`{ className, config }`),
 * or a `StackedRNNCells` entry whose cells are all registered; null for any other (built-in cells).
 * `where` names the RNN layer.
 */
export function registeredCellsFromConfig(saved: unknown, where: string): CallCell | CallCell[] | null {
  const entry = saved as { className?: unknown; config?: { cells?: unknown } } | null;
  const cells = entry?.className === 'StackedRNNCells' ? entry.config?.cells : undefined;
  if (!Array.isArray(cells)) return registeredCellFromConfig(saved, where);
  const made = cells.map((c) => registeredCellFromConfig(c, where));
  return made.length > 0 && made.every((c) => c !== null) ? (made as CallCell[]) : null;
}

/** One registered cell from its saved `{ className, config }`; null where its class is not registered. */
function registeredCellFromConfig(saved: unknown, where: string): CallCell | null {
  const entry = saved as { className?: unknown; config?: unknown } | null;
  if (typeof entry !== 'object' || entry === null || typeof entry.className !== 'string') return null;
  const { className } = entry;
  const factory = factories.get(className);
  if (!factory || typeof entry.config !== 'object' || entry.config === null) return null;
  const cell = factory(entry.config as Record<string, unknown>);
  if (!(cell instanceof CallCell) || cell.className !== className) {
    const made = cell instanceof CallCell ? `a cell whose className is '${cell.className}'` : 'no km.layers.CallCell';
    throw new Error(`${where}: the factory registered as cell class '${className}' made ${made}. It must return a CallCell whose className is '${className}'.`);
  }
  return cell;
}
