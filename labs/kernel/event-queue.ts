/**
 * A priority queue of timed events for discrete-event simulation: a binary heap
 * ordered by time, ties broken by insertion order so that a run is deterministic.
 */
export class EventQueue<E> {
  private times: number[] = [];
  private orders: number[] = [];
  private events: E[] = [];
  private inserted = 0;

  get size(): number {
    return this.events.length;
  }

  push(time: number, event: E): void {
    if (Number.isNaN(time)) throw new RangeError('event time is NaN');
    this.times.push(time);
    this.orders.push(this.inserted++);
    this.events.push(event);
    this.siftUp(this.events.length - 1);
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.events.length > 0 ? (this.times[0] as number) : Infinity;
  }

  /** Removes and returns the earliest event with its time, or undefined when empty. */
  pop(): { time: number; event: E } | undefined {
    const count = this.events.length;
    if (count === 0) return undefined;
    const time = this.times[0] as number;
    const event = this.events[0] as E;
    const lastTime = this.times.pop() as number;
    const lastOrder = this.orders.pop() as number;
    const lastEvent = this.events.pop() as E;
    if (count > 1) {
      this.times[0] = lastTime;
      this.orders[0] = lastOrder;
      this.events[0] = lastEvent;
      this.siftDown(0);
    }
    return { time, event };
  }

  private before(i: number, j: number): boolean {
    const ti = this.times[i] as number;
    const tj = this.times[j] as number;
    return ti < tj || (ti === tj && (this.orders[i] as number) < (this.orders[j] as number));
  }

  private swap(i: number, j: number): void {
    const t = this.times[i] as number;
    this.times[i] = this.times[j] as number;
    this.times[j] = t;
    const o = this.orders[i] as number;
    this.orders[i] = this.orders[j] as number;
    this.orders[j] = o;
    const e = this.events[i] as E;
    this.events[i] = this.events[j] as E;
    this.events[j] = e;
  }

  private siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const count = this.events.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < count && this.before(left, smallest)) smallest = left;
      if (right < count && this.before(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
