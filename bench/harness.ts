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

/** One line of the benchmark report. */
export interface Row {
  /** The benchmark it belongs to. */
  readonly section: string;
  /** What was measured. */
  readonly what: string;
  /** The figure, formatted with its unit. */
  readonly value: string;
  /** The goal, when there is one (e.g. `<= 1.03`). */
  readonly goal?: string;
  /** Whether the goal is met; absent without a goal. */
  readonly met?: boolean;
}

/** Delivery-core figures as report rows: ns per call, and the difference to a bare call. */
export function figureRows(section: string, figures: readonly Figure[]): Row[] {
  return figures.map((f) => ({
    section,
    what: f.name,
    value: `${f.nsPerOp.toFixed(1)} ns${f.note ? ` (${f.note})` : ''}`,
  }));
}

/** Prints rows as one aligned table, a header line per section. */
export function printRows(rows: readonly Row[]): void {
  const what = Math.max(...rows.map((r) => r.what.length));
  const value = Math.max(...rows.map((r) => r.value.length));
  let section = '';
  for (const r of rows) {
    if (r.section !== section) {
      section = r.section;
      console.log(`\n${section}`);
    }
    const goal = r.goal === undefined ? '' : `  goal ${r.goal}: ${r.met ? 'met' : 'NOT met'}`;
    console.log(`  ${r.what.padEnd(what)}  ${r.value.padStart(value)}${goal}`);
  }
}

/**
 * Hands a benchmark's rows to the runner (`bench/run.ts`, which collects every benchmark into
 * one table) through the file named by BENCH_ROWS_FILE, or prints them when run alone.
 */
export async function report(rows: readonly Row[]): Promise<void> {
  const file = process.env.BENCH_ROWS_FILE;
  if (file === undefined) {
    printRows(rows);
    return;
  }
  const { appendFile } = await import('node:fs/promises');
  await appendFile(file, `${JSON.stringify(rows)}\n`);
}
