/**
 * The pending departures of a queueing simulation: a binary min-heap of (time, request)
 * pairs in typed arrays. It holds one entry per busy worker, so with every online peer
 * simulated each event costs O(log busy workers), and no object is allocated per event.
 * The kernel's EventQueue is generic over event objects; this one is specialised for speed.
 */
export class DepartureHeap {
  private times: Float64Array;
  private requests: Int32Array;
  size = 0;

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
    if (this.size === this.times.length) this.grow();
    // Sift up: move parents down until the new entry fits. Ties go to the lower request
    // id (the earlier arrival), so a run does not depend on heap internals.
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentTime = this.times[parent] as number;
      if (parentTime < time || (parentTime === time && (this.requests[parent] as number) < request)) break;
      this.times[i] = parentTime;
      this.requests[i] = this.requests[parent] as number;
      i = parent;
    }
    this.times[i] = time;
    this.requests[i] = request;
  }

  /** Removes the earliest departure (call peekTime/peekRequest first to read it). */
  pop(): void {
    const count = --this.size;
    if (count <= 0) return;
    const time = this.times[count] as number;
    const request = this.requests[count] as number;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= count) break;
      const right = left + 1;
      let child = left;
      if (right < count) {
        const lt = this.times[left] as number;
        const rt = this.times[right] as number;
        if (rt < lt || (rt === lt && (this.requests[right] as number) < (this.requests[left] as number))) child = right;
      }
      const childTime = this.times[child] as number;
      if (time < childTime || (time === childTime && request < (this.requests[child] as number))) break;
      this.times[i] = childTime;
      this.requests[i] = this.requests[child] as number;
      i = child;
    }
    this.times[i] = time;
    this.requests[i] = request;
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
