/**
 * Counts what fuzzed programs exercised, so a run can show that its properties were tested on
 * more than trivial programs.
 */

/** Named counters. */
export class Tally {
  private readonly counts = new Map<string, number>();

  /** Counts one `event`. */
  add(event: string): void {
    this.counts.set(event, (this.counts.get(event) ?? 0) + 1);
  }

  /** `event count` pairs, in the order the events first happened. */
  summary(): string {
    return [...this.counts].map(([event, n]) => `${event} ${n}`).join(', ');
  }
}
