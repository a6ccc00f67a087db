/**
 * The pending departures of a queueing simulation: a binary min-heap of (time, request)
 * pairs in typed arrays. It holds one entry per busy worker, so with every online peer
 * simulated each event costs O(log busy workers), and no object is allocated per event.
 * The kernel's EventQueue is generic over event objects; this one is specialised for speed.
 */
export class DepartureHeap {
  /** Entry times and requests in heap order; times[0] is the earliest while size > 0. Read only; they are replaced when the heap grows. */
  times: Float64Array;
  requests: Int32Array;
  size = 0;
  /**
   * The time of the entry that `pushPending` or `replaceEarliest` adds: the simulation's hot
   * loop sets it here instead of passing it, because a double passed to a call that is not
   * inlined is boxed, a small allocation per event that kept the collector busy.
   */
  pending = 0;

  constructor(capacity = 64) {
    this.times = new Float64Array(Math.max(1, capacity));
    this.requests = new Int32Array(Math.max(1, capacity));
  }

  /** Time of the earliest departure, or Infinity when none is pending. */
  peekTime(): number {
    return this.size > 0 ? (this.times[0] as number) : Infinity;
  }

  /** Request of the earliest departure; only valid when size > 0. */
  peekRequest(): number {
    return this.requests[0] as number;
  }

  push(time: number, request: number): void {
    this.pending = time;
    this.pushPending(request);
  }

  /** Adds (pending, request). */
  pushPending(request: number): void {
    if (this.size === this.times.length) this.grow();
    const time = this.pending;
    const times = this.times;
    const requests = this.requests;
    // Sift up: move parents down until the new entry fits. Ties go to the lower request
    // id (the earlier arrival), so a run does not depend on heap internals.
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentTime = times[parent] as number;
      if (parentTime < time || (parentTime === time && (requests[parent] as number) < request)) break;
      times[i] = parentTime;
      requests[i] = requests[parent] as number;
      i = parent;
    }
    times[i] = time;
    requests[i] = request;
  }

  /** Removes the earliest departure (call peekTime/peekRequest first to read it). Uses `pending`. */
  pop(): void {
    const count = --this.size;
    if (count <= 0) return;
    this.pending = this.times[count] as number;
    this.siftDown(this.requests[count] as number, count);
  }

  /** Removes the earliest departure and adds (pending, request) in one sift: a worker that frees and takes the next request. */
  replaceEarliest(request: number): void {
    this.siftDown(request, this.size);
  }

  /** Puts (pending, request) at the root of the first `count` entries and moves it down to its place. */
  private siftDown(request: number, count: number): void {
    const time = this.pending;
    const times = this.times;
    const requests = this.requests;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= count) break;
      const right = left + 1;
      let child = left;
      if (right < count) {
        const lt = times[left] as number;
        const rt = times[right] as number;
        if (rt < lt || (rt === lt && (requests[right] as number) < (requests[left] as number))) child = right;
      }
      const childTime = times[child] as number;
      if (time < childTime || (time === childTime && request < (requests[child] as number))) break;
      times[i] = childTime;
      requests[i] = requests[child] as number;
      i = child;
    }
    times[i] = time;
    requests[i] = request;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    const requests = new Int32Array(this.requests.length * 2);
    requests.set(this.requests);
    this.times = times;
    this.requests = requests;
  }
}
