/**
 * A binary min-heap of (priority, value) pairs on typed arrays, reused between runs: no allocation
 * per request. Stale entries (a value pushed again with a lower priority) are skipped by the caller.
 */
export class MinHeap {
  private priorities: Float64Array;
  private values: Int32Array;
  size = 0;

  constructor(capacity = 1024) {
    this.priorities = new Float64Array(Math.max(16, capacity));
    this.values = new Int32Array(Math.max(16, capacity));
  }

  clear(): void {
    this.size = 0;
  }

  push(priority: number, value: number): void {
    if (this.size === this.priorities.length) this.grow();
    let index = this.size++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.priorities[parent]! <= priority) break;
      this.priorities[index] = this.priorities[parent]!;
      this.values[index] = this.values[parent]!;
      index = parent;
    }
    this.priorities[index] = priority;
    this.values[index] = value;
  }

  /** The smallest priority; read it before pop(), only when size > 0. */
  peekPriority(): number {
    return this.priorities[0]!;
  }

  /** Removes the entry with the smallest priority and returns its value. */
  pop(): number {
    const top = this.values[0]!;
    const last = --this.size;
    if (last > 0) {
      const priority = this.priorities[last]!;
      const value = this.values[last]!;
      let index = 0;
      for (;;) {
        let child = 2 * index + 1;
        if (child >= last) break;
        if (child + 1 < last && this.priorities[child + 1]! < this.priorities[child]!) child += 1;
        if (this.priorities[child]! >= priority) break;
        this.priorities[index] = this.priorities[child]!;
        this.values[index] = this.values[child]!;
        index = child;
      }
      this.priorities[index] = priority;
      this.values[index] = value;
    }
    return top;
  }

  private grow(): void {
    const priorities = new Float64Array(this.priorities.length * 2);
    priorities.set(this.priorities);
    this.priorities = priorities;
    const values = new Int32Array(this.values.length * 2);
    values.set(this.values);
    this.values = values;
  }
}
