/**
 * A tiny benchmark harness: medians of repeated timed runs, printed as a table.
 */

/** One measured figure. */
export interface Figure {
  /** What was measured. */
  readonly name: string;
  /** Median nanoseconds per operation. */
  readonly nsPerOp: number;
  /** Optional note (e.g. a ratio to a baseline). */
  readonly note?: string;
}

/**
 * Times `run(ops)` `repeats` times after a warm-up and returns the median ns per operation.
 * `run` performs `ops` operations; its return value is kept so the work is not optimised away.
 */
export function measure(run: (ops: number) => unknown, ops: number, repeats = 7): number {
  let sink: unknown = run(Math.min(ops, 10_000));
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    sink = run(ops);
    const end = process.hrtime.bigint();
    samples.push(Number(end - start) / ops);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** Prints figures as an aligned table. */
export function printTable(title: string, figures: readonly Figure[]): void {
  const width = Math.max(...figures.map((f) => f.name.length));
  console.log(`\n${title}`);
  for (const f of figures) {
    console.log(
      `  ${f.name.padEnd(width)}  ${f.nsPerOp.toFixed(1).padStart(9)} ns/op${f.note ? `  ${f.note}` : ''}`,
    );
  }
}
