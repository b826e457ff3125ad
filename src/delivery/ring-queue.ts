/**
 * A bounded first-in-first-out queue with O(1) push and shift at any capacity.
 * Storage grows by doubling up to the capacity, so a large bound costs nothing until used.
 */
export class RingQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private count = 0;

  /** @param capacity - The most items the queue holds (a positive integer). */
  constructor(readonly capacity: number) {}

  /** How many items are queued. */
  get size(): number {
    return this.count;
  }

  /** Whether another push would exceed the capacity. */
  get isFull(): boolean {
    return this.count >= this.capacity;
  }

  /** Adds an item at the back; the caller checks {@link RingQueue.isFull} first. */
  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) % this.items.length] = item;
    this.count++;
  }

  /** Removes and returns the front item; the caller checks that the queue is not empty. */
  shift(): T {
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return item;
  }

  /** Removes every item, returning them front to back. */
  drain(): T[] {
    const out: T[] = [];
    while (this.count > 0) out.push(this.shift());
    this.items = [];
    this.head = 0;
    return out;
  }

  private grow(): void {
    const size = Math.min(this.capacity, Math.max(4, this.items.length * 2));
    const next = new Array<T | undefined>(size);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }
}
