import type * as km from '@kerasm/sdk';

/** The key in model.json's userDefinedMetadata under which `kerasm train --save` records a CSV's columns. */
export const CSV_COLUMNS_KEY = 'kerasm_csv_columns';

/** The columns of the CSV file a model was trained on: its features in the order the model reads them, and the target column. */
export interface CsvColumns {
  features: string[];
  label: string;
  /** The value training put in each named column's empty cells (the config's `data.columnConfigs` defaults), which evaluate and predict put there too. */
  defaults?: Record<string, number>;
}

/**
 * Records the CSV columns `model` is trained on, beside any other metadata, for `save` to write.
 * Repeated feature names cannot say which column is which, so such files are not recorded.
 */
export function recordCsvColumns(model: km.LayersModel, columns: CsvColumns): void {
  if (new Set(columns.features).size !== columns.features.length) return;
  model.setUserDefinedMetadata({ ...model.getUserDefinedMetadata(), [CSV_COLUMNS_KEY]: columns });
}

/** The CSV columns recorded in the model loaded from `dir`; undefined for a model saved without them. */
export function recordedCsvColumns(model: km.LayersModel, dir: string): CsvColumns | undefined {
  const value = model.getUserDefinedMetadata()?.[CSV_COLUMNS_KEY];
  if (value === undefined) return undefined;
  const { features, label, defaults } = (value ?? {}) as Partial<CsvColumns>;
  const names = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'string');
  const numbers = (v: unknown): v is Record<string, number> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((d) => typeof d === 'number' && Number.isFinite(d));
  if (!names(features) || typeof label !== 'string' || (defaults !== undefined && !numbers(defaults))) {
    throw new Error(
      `The model in ${dir} has userDefinedMetadata.${CSV_COLUMNS_KEY} = ${JSON.stringify(value)} in its model.json; expected { "features": [column names], "label": "name" } and optionally "defaults": { column: number }, as kerasm train --save writes it. ` +
        'Correct it, or delete it to read CSV columns by position.',
    );
  }
  return { features, label, ...(defaults === undefined ? {} : { defaults }) };
}

/** Whether a CSV file's first line names its columns, rather than holding numbers (a file without a header). */
export function namesColumns(header: readonly string[]): boolean {
  return header.some((field) => field.trim() === '' || !Number.isFinite(Number(field)));
}

/**
 * Where each of the model's feature columns is among the file's (`order[i]` is the file's index of
 * `recorded.features[i]`); undefined when the file already has them in the model's order. Throws,
 * naming the columns missing, unknown or repeated, when the file's names are not the model's;
 * `source` says how the file was given (`--input FILE.csv`) and `labelColumn` is the file's target column.
 */
export function featureOrder(fileFeatures: readonly string[], recorded: CsvColumns, source: string, labelColumn: string): number[] | undefined {
  // The file has a feature named as its target column, but as the target it is not read as a feature.
  const featureAsLabel = recorded.features.includes(labelColumn) ? [labelColumn] : [];
  const missing = recorded.features.filter((name) => !fileFeatures.includes(name) && name !== labelColumn);
  const unknown = fileFeatures.filter((name) => !recorded.features.includes(name));
  const repeated = [...new Set(fileFeatures.filter((name, i) => fileFeatures.indexOf(name) !== i))];
  if (featureAsLabel.length + missing.length + unknown.length + repeated.length > 0) {
    const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');
    const problems = [
      featureAsLabel.length > 0 ? `its column ${quoted(featureAsLabel)} is taken as the targets, but the model reads it as a feature` : '',
      missing.length > 0 ? `it has no column ${quoted(missing)}` : '',
      unknown.length > 0 ? `the model does not know its column ${quoted(unknown)}` : '',
      repeated.length > 0 ? `it repeats the column ${quoted(repeated)}` : '',
    ].filter((p) => p !== '');
    const fix =
      unknown.includes(recorded.label) && recorded.label !== labelColumn
        ? `'${recorded.label}' held the targets in training: pass --label-column ${recorded.label}.`
        : 'Rename or remove columns to match; their order does not matter.';
    throw new Error(
      `${source} does not have the columns the model was trained on (${recorded.features.join(', ')}; targets in '${recorded.label}'): ${problems.join('; ')}. ${fix}`,
    );
  }
  const order = recorded.features.map((name) => fileFeatures.indexOf(name));
  return order.every((index, i) => index === i) ? undefined : order;
}
