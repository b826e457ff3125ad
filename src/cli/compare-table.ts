/**
 * The table that sets a teacher, a student trained alone and a distilled student side by side:
 * test errors, accuracy, parameters, size on disk, latency and training time.
 */

/** One row of the table. */
export interface ComparisonRow {
  /** What the row is (`teacher`, `student alone`, `student distilled`). */
  readonly label: string;
  /** Test errors. */
  readonly errors: number;
  /** Test accuracy in [0, 1]. */
  readonly accuracy: number;
  /** Parameters; undefined when not known (an ONNX teacher). */
  readonly params: number | undefined;
  /** Bytes on disk; undefined when not known. */
  readonly sizeBytes: number | undefined;
  /** Median milliseconds to predict a batch of 1000. */
  readonly inferenceMsPerBatch: number;
  /** Seconds of training; undefined for a model that was not trained here. */
  readonly trainSeconds: number | undefined;
}

const WIDTHS = [26, 11, 9, 11, 10, 13, 10];

function line(cells: readonly string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(WIDTHS[i]!) : c.padStart(WIDTHS[i]!))).join('  ');
}

/** The table's lines: a header, then one line per row. */
export function comparisonTable(rows: readonly ComparisonRow[]): string[] {
  return [
    line(['model', 'test errors', 'accuracy', 'parameters', 'size', 'ms/1000 pred', 'train s']),
    ...rows.map((r) =>
      line([
        r.label,
        String(r.errors),
        `${(r.accuracy * 100).toFixed(2)}%`,
        r.params === undefined ? '-' : r.params.toLocaleString('en-US'),
        r.sizeBytes === undefined ? '-' : `${(r.sizeBytes / 1024).toFixed(0)} KiB`,
        r.inferenceMsPerBatch.toFixed(1),
        r.trainSeconds === undefined ? '-' : r.trainSeconds.toFixed(0),
      ]),
    ),
  ];
}

/** The row of a trained run, from its summary. */
export function runRow(
  label: string,
  run: {
    readonly testErrors: number;
    readonly testAccuracy: number;
    readonly params: number;
    readonly sizeBytes: number;
    readonly inferenceMsPerBatch: number;
    readonly trainSeconds: number;
  },
): ComparisonRow {
  return {
    label,
    errors: run.testErrors,
    accuracy: run.testAccuracy,
    params: run.params,
    sizeBytes: run.sizeBytes,
    inferenceMsPerBatch: run.inferenceMsPerBatch,
    trainSeconds: run.trainSeconds,
  };
}
