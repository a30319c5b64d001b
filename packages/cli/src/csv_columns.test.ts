import * as km from '@kerasm/sdk';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS_KEY, featureOrder, namesColumns, recordCsvColumns, recordedCsvColumns } from './csv_columns.js';

const trained = { features: ['sepal', 'petal', 'stem', 'leaf'], label: 'label' };

describe("the CSV columns a model was trained on, recorded in its metadata", () => {
  it('are kept beside other metadata and read back; repeated names are not recorded', () => {
    const model = km.sequential([km.layers.dense({ units: 3, inputShape: [4] })]);
    expect(recordedCsvColumns(model, 'm')).toBeUndefined();
    model.setUserDefinedMetadata({ version: 2 });
    recordCsvColumns(model, trained);
    expect(model.getUserDefinedMetadata()).toEqual({ version: 2, [CSV_COLUMNS_KEY]: trained });
    expect(recordedCsvColumns(model, 'm')).toEqual(trained);
    const twice = km.sequential([km.layers.dense({ units: 3, inputShape: [2] })]);
    recordCsvColumns(twice, { features: ['a', 'a'], label: 'y' });
    expect(twice.getUserDefinedMetadata()).toBeUndefined();
  });

  it('refuses a hand-edited record that is not a list of names and a label, naming the fix', () => {
    const model = km.sequential([km.layers.dense({ units: 3, inputShape: [4] })]);
    model.setUserDefinedMetadata({ [CSV_COLUMNS_KEY]: { features: 'sepal', label: 'label' } });
    expect(() => recordedCsvColumns(model, 'models/blobs')).toThrow(
      `The model in models/blobs has userDefinedMetadata.${CSV_COLUMNS_KEY} = {"features":"sepal","label":"label"} in its model.json; expected { "features": [column names], "label": "name" } and optionally "defaults": { column: number }, as kerasm train --save writes it. Correct it, or delete it to read CSV columns by position.`,
    );
    model.setUserDefinedMetadata({ [CSV_COLUMNS_KEY]: { features: ['sepal'], label: 'label', defaults: { sepal: 'zero' } } });
    expect(() => recordedCsvColumns(model, 'models/blobs')).toThrow(/"defaults":\{"sepal":"zero"\}\} in its model.json; expected .* optionally "defaults": \{ column: number \}/);
    model.setUserDefinedMetadata({ [CSV_COLUMNS_KEY]: { features: ['sepal'], label: 'label', defaults: { sepal: -1 } } });
    expect(recordedCsvColumns(model, 'models/blobs')).toEqual({ features: ['sepal'], label: 'label', defaults: { sepal: -1 } });
  });

  it('put a file with the same names in the trained order, or leave one already in it', () => {
    expect(featureOrder(['sepal', 'petal', 'stem', 'leaf'], trained, '--input f.csv', 'label')).toBeUndefined();
    expect(featureOrder(['petal', 'leaf', 'sepal', 'stem'], trained, '--input f.csv', 'label')).toEqual([2, 0, 3, 1]);
  });

  it('name the columns a file lacks, has that the model does not know, or repeats', () => {
    const order = (features: string[], labelColumn = 'label') => () => featureOrder(features, trained, '--input f.csv', labelColumn);
    const start = "--input f.csv does not have the columns the model was trained on (sepal, petal, stem, leaf; targets in 'label'): ";
    const fix = ' Rename or remove columns to match; their order does not matter.';
    expect(order(['sepal', 'petal', 'stem'])).toThrow(`${start}it has no column 'leaf'.${fix}`);
    expect(order(['Sepal', 'petal', 'stem', 'leaf', 'id'])).toThrow(`${start}it has no column 'sepal'; the model does not know its column 'Sepal', 'id'.${fix}`);
    expect(order(['sepal', 'petal', 'stem', 'leaf', 'leaf'])).toThrow(`${start}it repeats the column 'leaf'.${fix}`);
    expect(order(['petal', 'stem', 'leaf', 'label'], 'sepal')).toThrow(
      `${start}its column 'sepal' is taken as the targets, but the model reads it as a feature; the model does not know its column 'label'. 'label' held the targets in training: pass --label-column label.`,
    );
    expect(order(['sepal', 'petal', 'stem', 'leaf', 'label'], 'target')).toThrow(`${start}the model does not know its column 'label'. 'label' held the targets in training: pass --label-column label.`);
  });

  it('tell a header from a first row of numbers (a file without a header)', () => {
    expect(namesColumns(['sepal', 'petal'])).toBe(true);
    expect(namesColumns(['0.5', 'x2'])).toBe(true);
    expect(namesColumns(['0.5', '-1e3', ' 2 '])).toBe(false);
  });
});
