/**
 * A first-in first-out list with O(1) push and shift. `Array#shift` is O(n) in the worst case,
 * and a port message queue can hold hundreds of thousands of messages (a port never started).
 */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** The newest item. */
  last(): T | undefined {
    return this.head < this.items.length ? this.items[this.items.length - 1] : undefined;
  }

  at(index: number): T | undefined {
    return this.items[this.head + index];
  }

  /** Replaces the item at `index` (from the oldest). */
  set(index: number, item: T): void {
    this.items[this.head + index] = item;
  }

  /**
   * Removes the item at `index` by moving the older ones up one slot: O(index), meant for an
   * index near the front.
   */
  removeAt(index: number): void {
    for (let i = this.head + index; i > this.head; i--) this.items[i] = this.items[i - 1];
    this.shift();
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    // Compact once the consumed prefix dominates, so memory follows the live size.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Removes every item (oldest first) and returns them. */
  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return out;
  }

  toArray(): T[] {
    return this.items.slice(this.head) as T[];
  }
}
