/**
 * Training progress for a terminal or a log file: on a TTY one line redrawn in place,
 * elsewhere (CI logs, pipes) a plain line now and then and one at the end of each epoch.
 */
import { DistillTypeError, describeValue } from '../errors.js';

/** Where progress goes: `process.stderr`, or any object with `write` (tests pass a fake). */
export interface ProgressStream {
  /** Writes text. */
  write(text: string): unknown;
  /** True for an interactive terminal, which gets a single redrawn line. */
  readonly isTTY?: boolean;
}

/** Options of {@link ProgressReporter}. */
export interface ProgressOptions {
  /** Where to write (default `process.stderr`). */
  readonly stream?: ProgressStream;
  /** Clock in milliseconds (default `Date.now`); tests pass a fake. */
  readonly now?: () => number;
  /** Off a TTY, seconds between plain progress lines within an epoch (default 30). */
  readonly intervalSeconds?: number;
  /** On a TTY, milliseconds between redraws (default 100), so fast steps do not flood it. */
  readonly redrawMs?: number;
  /** Characters of the bar (default 10). */
  readonly barWidth?: number;
  /**
   * The run's name, first on every line (e.g. `distilled`), so that the lines of several runs
   * in one log can be told apart. Pad it yourself to line up several runs. Default: none.
   */
  readonly label?: string;
}

/** An accuracy measured at the end of an epoch, shown as `<name> 97.12%`. */
export interface ProgressAccuracy {
  /** What was measured, e.g. `val acc` or `test acc`. */
  readonly name: string;
  /** The accuracy, from 0 to 1. */
  readonly value: number;
}

/** The latest numbers of a running epoch, given to {@link ProgressReporter.update}. */
export interface ProgressUpdate {
  /** Running loss to show (e.g. the mean over the epoch so far). */
  readonly loss?: number;
  /** Examples processed in this epoch so far, for the throughput. */
  readonly examples?: number;
  /**
   * The newest measured accuracy. It is shown on every line from then on (until a newer one),
   * because accuracy is measured only at the end of an epoch.
   */
  readonly accuracy?: ProgressAccuracy;
}

/** `1234567` → `"1,234,567"`, independent of the locale. */
export function formatCount(n: number): string {
  const digits = String(Math.round(Math.abs(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** Seconds as `m:ss` or `h:mm:ss`, e.g. `42` → `"0:42"`, `3725` → `"1:02:05"`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?:??';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function defaultStream(): ProgressStream {
  const proc = (globalThis as { process?: { stderr?: ProgressStream } }).process;
  return proc?.stderr ?? { write: (text: string) => console.log(text.replace(/\n$/, '')) };
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new DistillTypeError(
      'INVALID_ARGUMENT',
      `Expected ${name} to be a positive number, but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * Reports training progress, one epoch at a time.
 *
 * On a TTY: `distilled epoch 2/5 [##--------] 120/469 loss 0.2311 val acc 95.10% 1,234 ex/s ETA 1:42`,
 * redrawn in place and finished with a newline at the end of the epoch. Elsewhere the same text
 * as plain lines, at most one every `intervalSeconds`, and always one at the end of an epoch.
 *
 * The label is the run's name; the accuracy is the newest one given (measured after an epoch);
 * `ETA` is the time left for the whole run: the rest of this epoch plus the epochs still to
 * come, each estimated from the epochs this reporter has seen end (from this epoch's pace
 * before any has).
 *
 * @example
 * ```ts
 * const progress = new ProgressReporter();
 * progress.startEpoch(epoch, epochs, stepsPerEpoch);
 * for (...) progress.update(step + 1, { loss: meanLoss, examples });
 * progress.endEpoch({ 'test errors': 188 }, { accuracy: { name: 'val acc', value: 0.981 } });
 * ```
 */
export class ProgressReporter {
  readonly #stream: ProgressStream;
  readonly #now: () => number;
  readonly #tty: boolean;
  readonly #intervalMs: number;
  readonly #redrawMs: number;
  readonly #barWidth: number;
  readonly #label: string | undefined;
  /** Seconds each epoch seen from start to end took, for the time left. */
  readonly #epochSeconds: number[] = [];
  #accuracy: ProgressAccuracy | undefined;
  #epoch = 0;
  #epochs = 0;
  #steps = 0;
  #step = 0;
  #loss: number | undefined;
  #examples: number | undefined;
  /** When `#examples` was last given: the throughput leaves out the evaluation after the steps. */
  #examplesAt = 0;
  #startedAt = 0;
  #lastWrite = Number.NEGATIVE_INFINITY;
  #lineOpen = false;

  /** @param options - Stream, clock, intervals and bar width. */
  constructor(options: ProgressOptions = {}) {
    this.#stream = options.stream ?? defaultStream();
    this.#now = options.now ?? Date.now;
    this.#tty = this.#stream.isTTY === true;
    this.#intervalMs = positive(options.intervalSeconds, 'intervalSeconds', 30) * 1000;
    this.#redrawMs = positive(options.redrawMs, 'redrawMs', 100);
    this.#barWidth = Math.round(positive(options.barWidth, 'barWidth', 10));
    if (options.label !== undefined && typeof options.label !== 'string') {
      throw new DistillTypeError(
        'INVALID_ARGUMENT',
        `Expected label to be a string, but got ${describeValue(options.label)}.`,
      );
    }
    this.#label = options.label;
  }

  /**
   * Starts an epoch.
   *
   * @param epoch - The epoch starting, from 0 (shown from 1).
   * @param epochs - Total epochs.
   * @param steps - Steps (batches) in this epoch.
   */
  startEpoch(epoch: number, epochs: number, steps: number): void {
    this.#finishLine();
    this.#epoch = epoch;
    this.#epochs = epochs;
    this.#steps = steps;
    this.#step = 0;
    this.#loss = undefined;
    this.#examples = undefined;
    this.#startedAt = this.#now();
    this.#lastWrite = this.#startedAt;
    if (this.#tty) this.#draw();
  }

  /**
   * Records progress within the epoch; writes only when it is time to.
   *
   * @param step - Steps done in this epoch (1 after the first batch).
   * @param values - Running loss, examples done and the newest accuracy, to show.
   */
  update(step: number, values: ProgressUpdate = {}): void {
    this.#step = step;
    const now = this.#now();
    this.#take(values, now);
    if (now - this.#lastWrite < (this.#tty ? this.#redrawMs : this.#intervalMs)) return;
    this.#lastWrite = now;
    if (this.#tty) this.#draw();
    else this.#stream.write(`${this.#text(now, false)}\n`);
  }

  /**
   * Ends the epoch with a final line, e.g.
   * `... 469/469 loss 0.2311 val acc 98.12% 1,234 ex/s 0:37 ETA 2:28 test errors 188`: the time
   * the epoch took, the time left for the run, then `metrics`.
   *
   * @param metrics - Extra values to append: integers as they are, other numbers with 4
   *   decimals, text (already formatted, such as `'97.1%'`) as it is.
   * @param values - The epoch's final loss, examples and the accuracy measured after it.
   */
  endEpoch(
    metrics: Readonly<Record<string, number | string>> = {},
    values: ProgressUpdate = {},
  ): void {
    const now = this.#now();
    this.#take(values, now);
    this.#epochSeconds.push((now - this.#startedAt) / 1000);
    const shown = (value: number | string): string =>
      typeof value === 'string' || Number.isInteger(value) ? String(value) : value.toFixed(4);
    const extra = Object.entries(metrics)
      .map(([name, value]) => ` ${name} ${shown(value)}`)
      .join('');
    const text = `${this.#text(now, true)}${extra}`;
    this.#stream.write(this.#tty ? `\r${text}\x1b[K\n` : `${text}\n`);
    this.#lineOpen = false;
    this.#lastWrite = now;
  }

  /**
   * Writes a message on its own line, after the run's label, without garbling the progress
   * line (on a TTY the line is cleared first and redrawn below the message).
   *
   * @param message - One line of text.
   */
  log(message: string): void {
    // Like every progress line, a message says which run it is about.
    const line = this.#label === undefined ? message : `${this.#label} ${message}`;
    if (this.#tty && this.#lineOpen) {
      this.#stream.write(`\r\x1b[K${line}\n`);
      this.#draw();
    } else {
      this.#stream.write(`${line}\n`);
    }
  }

  #take(values: ProgressUpdate, now: number): void {
    if (values.loss !== undefined) this.#loss = values.loss;
    if (values.examples !== undefined) {
      this.#examples = values.examples;
      this.#examplesAt = now;
    }
    if (values.accuracy !== undefined) this.#accuracy = values.accuracy;
  }

  /** Seconds left for the run, or undefined before there is anything to estimate from. */
  #secondsLeft(seconds: number, step: number, steps: number, done: boolean): number | undefined {
    const later = Math.max(this.#epochs - this.#epoch - 1, 0);
    const seen = this.#epochSeconds;
    const mean = seen.length > 0 ? seen.reduce((a, b) => a + b, 0) / seen.length : undefined;
    if (done) return later * (mean ?? seconds);
    if (step > 0) {
      const rest = (seconds * (steps - step)) / step;
      return rest + later * (mean ?? (seconds * steps) / step);
    }
    return mean === undefined ? undefined : (later + 1) * mean;
  }

  #draw(): void {
    this.#stream.write(`\r${this.#text(this.#now(), false)}\x1b[K`);
    this.#lineOpen = true;
  }

  #finishLine(): void {
    if (this.#tty && this.#lineOpen) this.#stream.write('\n');
    this.#lineOpen = false;
  }

  #text(now: number, done: boolean): string {
    const steps = Math.max(this.#steps, 0);
    const step = Math.min(Math.max(this.#step, 0), steps);
    const filled = steps === 0 ? 0 : Math.floor((this.#barWidth * step) / steps);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(this.#barWidth - filled)}]`;
    const width = String(steps).length;
    const parts = [
      ...(this.#label === undefined ? [] : [this.#label]),
      `epoch ${this.#epoch + 1}/${this.#epochs}`,
      bar,
      `${String(step).padStart(width)}/${steps}`,
    ];
    if (this.#loss !== undefined) parts.push(`loss ${this.#loss.toFixed(4)}`);
    if (this.#accuracy !== undefined) {
      parts.push(`${this.#accuracy.name} ${(this.#accuracy.value * 100).toFixed(2)}%`);
    }
    const seconds = (now - this.#startedAt) / 1000;
    const stepSeconds = (this.#examplesAt - this.#startedAt) / 1000;
    if (this.#examples !== undefined && stepSeconds > 0) {
      parts.push(`${formatCount(this.#examples / stepSeconds)} ex/s`);
    }
    if (done) parts.push(formatDuration(seconds));
    const left = this.#secondsLeft(seconds, step, steps, done);
    if (left !== undefined) parts.push(`ETA ${formatDuration(left)}`);
    return parts.join(' ');
  }
}
