/**
 * Training metrics as JSON lines (Node.js only): one object per line, appended and flushed one
 * line at a time, so a crash loses at most the line being written, and a resumed run can cut
 * the log back to its checkpoint without duplicating lines.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { isPlainObject } from '../config/validate.js';
import { DistillError, DistillTypeError, describeValue } from '../errors.js';
import { fileError } from '../file-errors.js';
import { requireNodeBuiltin } from '../node-builtins.js';
import '../patch/dispose-symbol.js';
import { readFileBytes, writeFilesAtomically } from './atomic-write.js';
import type { JsonValue } from './checkpoint-format.js';

/**
 * One line of a metrics log: where in training it was measured, plus any JSON values.
 * Non-finite numbers (NaN, Infinity) are written as `null`, as JSON has no other spelling.
 *
 * @example
 * ```ts
 * { epoch: 3, step: 1407, split: 'val', loss: 0.071, accuracy: 0.9812 }
 * ```
 */
export interface MetricsRecord {
  /** Epoch, from 0 (may be fractional for mid-epoch lines). */
  readonly epoch: number;
  /** Global optimizer step; a resumed run keeps lines with `step <= resumeAfterStep`. */
  readonly step: number;
  /** Which data the values describe, e.g. `'train'`, `'val'`, `'test'`. */
  readonly split?: string;
  /** Metric values and anything else worth logging. */
  readonly [key: string]: JsonValue | undefined;
}

/** Options of {@link MetricsLog.open}. */
export interface MetricsLogOptions {
  /**
   * Resuming from a checkpoint taken at this step: drop every line with a larger step, so the
   * resumed run does not log those steps twice. Without it, existing lines are all kept.
   */
  readonly resumeAfterStep?: number;
  /** Flush every line to disk with fsync (default true); false trades safety for speed. */
  readonly fsync?: boolean;
}

/** Complete lines of a metrics log, parsed, with their original text. */
interface ParsedLog {
  readonly records: MetricsRecord[];
  readonly lines: string[];
  /** Whether the file ends with an unterminated (partially written) line. */
  readonly partialTail: boolean;
}

/**
 * Parses the text of a metrics log. A line counts once its newline is written: an unterminated
 * last line is a write cut short by a crash and is skipped.
 */
function parseLog(text: string, file: string): ParsedLog {
  const parts = text.split('\n');
  const tail = parts.pop() ?? '';
  const records: MetricsRecord[] = [];
  const lines: string[] = [];
  parts.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (
      !isPlainObject(value) ||
      typeof value.step !== 'number' ||
      typeof value.epoch !== 'number'
    ) {
      throw new DistillError(
        'DATA_CORRUPT',
        `${file}:${i + 1} is not a metrics line (a JSON object with numeric epoch and step): ${describeValue(line)}. Delete or fix that line.`,
      );
    }
    records.push(value as MetricsRecord);
    lines.push(line);
  });
  return { records, lines, partialTail: tail !== '' };
}

async function readLog(file: string): Promise<ParsedLog | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFileBytes(file, 'metrics log');
  } catch (error) {
    if (error instanceof DistillError && error.code === 'FILE_NOT_FOUND') return undefined;
    throw error;
  }
  return parseLog(new TextDecoder().decode(bytes), file);
}

function checkRecord(record: unknown): asserts record is MetricsRecord {
  const ok =
    isPlainObject(record) &&
    typeof record.step === 'number' &&
    Number.isSafeInteger(record.step) &&
    record.step >= 0 &&
    typeof record.epoch === 'number' &&
    Number.isFinite(record.epoch) &&
    record.epoch >= 0 &&
    (record.split === undefined || typeof record.split === 'string');
  if (!ok) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected a metrics record { epoch: number >= 0, step: integer >= 0, split?: string, ... }, but got ${describeValue(record)}.`,
    );
  }
}

/**
 * An append-only JSON-lines metrics file.
 *
 * Each {@link MetricsLog.write} appends one complete line with a single write and (by default)
 * fsyncs it, so after a crash the file holds every earlier line intact and at worst one partial
 * last line, which {@link readMetrics} and the next {@link MetricsLog.open} ignore.
 *
 * @example
 * ```ts
 * const log = await MetricsLog.open('runs/a/metrics.jsonl', { resumeAfterStep: checkpoint.step });
 * try {
 *   log.write({ epoch, step, split: 'train', loss });
 * } finally {
 *   log.close();
 * }
 * ```
 */
export class MetricsLog {
  #fd: number | undefined;
  readonly #fs: typeof NodeFs;
  readonly #fsync: boolean;

  private constructor(
    /** Path of the log file. */
    readonly file: string,
    fs: typeof NodeFs,
    fd: number,
    fsync: boolean,
  ) {
    this.#fs = fs;
    this.#fd = fd;
    this.#fsync = fsync;
  }

  /**
   * Opens (creating it and its directory if needed) a metrics log for appending.
   *
   * An unterminated last line left by a crash is removed first. With `resumeAfterStep`, lines
   * with a larger step are removed too. Either repair rewrites the file atomically (temporary
   * file, then rename), so a crash during it leaves the old file.
   *
   * @param file - Path of the `.jsonl` file.
   * @param options - `resumeAfterStep`, `fsync`.
   * @throws DistillError `DATA_CORRUPT` for a malformed complete line, `IO_ERROR` when the file
   *   cannot be read or written, `INVALID_ARGUMENT` for bad options.
   */
  static async open(file: string, options: MetricsLogOptions = {}): Promise<MetricsLog> {
    const fs = requireNodeBuiltin<typeof NodeFs>('node:fs', 'MetricsLog.open');
    const path = requireNodeBuiltin<typeof NodePath>('node:path', 'MetricsLog.open');
    if (typeof file !== 'string' || file === '') {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `MetricsLog.open expects a file path, but got ${describeValue(file)}.`,
      );
    }
    const resumeAfterStep = options.resumeAfterStep;
    if (
      resumeAfterStep !== undefined &&
      !(Number.isSafeInteger(resumeAfterStep) && resumeAfterStep >= 0)
    ) {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `Expected resumeAfterStep to be a non-negative integer (the checkpoint's step), but got ${describeValue(resumeAfterStep)}.`,
      );
    }
    const existing = await readLog(file);
    if (existing !== undefined) {
      const kept =
        resumeAfterStep === undefined
          ? existing.lines
          : existing.lines.filter((_, i) => existing.records[i]!.step <= resumeAfterStep);
      if (existing.partialTail || kept.length !== existing.lines.length) {
        const text = kept.map((line) => `${line}\n`).join('');
        await writeFilesAtomically(
          path.dirname(file),
          [{ name: path.basename(file), data: new TextEncoder().encode(text) }],
          'MetricsLog.open',
        );
      }
    }
    let fd: number;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fd = fs.openSync(file, 'a');
    } catch (error) {
      throw fileError(error, 'open metrics log', file);
    }
    return new MetricsLog(file, fs, fd, options.fsync ?? true);
  }

  /** Whether {@link MetricsLog.close} has been called. */
  get closed(): boolean {
    return this.#fd === undefined;
  }

  /**
   * Appends one record as one line.
   *
   * @param record - `{ epoch, step, split?, ...values }`; values must be JSON-serialisable.
   * @throws DistillError `INVALID_ARGUMENT` for a bad record or a closed log, `IO_ERROR` when
   *   the write fails.
   */
  write(record: MetricsRecord): void {
    const fd = this.#fd;
    if (fd === undefined) {
      throw new DistillError(
        'INVALID_ARGUMENT',
        `The metrics log ${this.file} is closed; open it again with MetricsLog.open.`,
      );
    }
    checkRecord(record);
    const bytes = new TextEncoder().encode(`${JSON.stringify(record)}\n`);
    try {
      // One write call for the whole line (looping only if the OS writes less), then flush.
      let written = 0;
      while (written < bytes.length) {
        written += this.#fs.writeSync(fd, bytes, written, bytes.length - written);
      }
      if (this.#fsync) this.#fs.fsyncSync(fd);
    } catch (error) {
      throw fileError(error, 'append to', this.file);
    }
  }

  /** Closes the file; further writes throw. Closing twice is harmless. */
  close(): void {
    const fd = this.#fd;
    if (fd === undefined) return;
    this.#fd = undefined;
    try {
      this.#fs.closeSync(fd);
    } catch (error) {
      throw fileError(error, 'close', this.file);
    }
  }

  /** Same as {@link MetricsLog.close}, for `using log = await MetricsLog.open(...)`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Reads every complete line of a metrics log, skipping a partial last line left by a crash.
 *
 * @param file - Path of the `.jsonl` file.
 * @returns The records in file order.
 * @throws DistillError `FILE_NOT_FOUND`, `IO_ERROR`, or `DATA_CORRUPT` naming the bad line.
 */
export async function readMetrics(file: string): Promise<MetricsRecord[]> {
  const bytes = await readFileBytes(file, 'metrics log');
  return parseLog(new TextDecoder().decode(bytes), file).records;
}
