import { createRandom, sfc32, type Random } from '../kernel/random';
import { deriveSeed, logSpacedIntegers, meanPoint } from '../kernel/stats';
import { formatCount, formatDuration, formatSig, plural } from '../kernel/format';
import { defineSweepLab, type LabModel, type LabResult, type Point, type SweepTask } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import { manifest } from './manifest';
import { SERVER, SwarmStepLog, buildFileDistributionTrace, type FileDistributionTrace, type SwarmObserver } from './network';

/** Rates in Mbit/s, sizes in Mbit, times in seconds. */
export interface DistributionInput {
  peers: number;
  fileSize: number;
  serverUpload: number;
  peerDownload: number;
  /** Upload rate of each peer (length = peers), or one rate for all. */
  peerUploads: ArrayLike<number> | number;
}

function totalUpload(input: DistributionInput): number {
  if (typeof input.peerUploads === 'number') return input.peerUploads * input.peers;
  let sum = 0;
  for (let i = 0; i < input.peers; i++) sum += input.peerUploads[i] as number;
  return sum;
}

/** Kurose & Ross lower bound on client-server distribution time. */
export function clientServerBound(input: Omit<DistributionInput, 'peerUploads'>): number {
  const { peers, fileSize, serverUpload, peerDownload } = input;
  return Math.max((peers * fileSize) / serverUpload, fileSize / peerDownload);
}

/** Kurose & Ross lower bound on P2P distribution time. */
export function peerToPeerBound(input: DistributionInput): number {
  const { peers, fileSize, serverUpload, peerDownload } = input;
  return Math.max(fileSize / serverUpload, fileSize / peerDownload, (peers * fileSize) / (serverUpload + totalUpload(input)));
}

export interface SwarmConfig {
  peers: number;
  fileSize: number;
  chunks: number;
  serverUpload: number;
  peerDownload: number;
  peerUploads: Float64Array;
  leaveWhenDone: boolean;
}

export interface SwarmOutcome {
  /** When the last peer had the whole file. */
  time: number;
  /** Completion time of each peer, sorted ascending. */
  completionTimes: Float64Array;
  /** The lower bound for exactly these peers. */
  bound: number;
  steps: number;
}

const WORD_BITS = 32;

/** NTH_IN_BYTE[byte · 8 + k]: the index of the k-th (0-based) set bit of a byte. */
const NTH_IN_BYTE = new Uint8Array(256 * 8);
for (let byte = 0; byte < 256; byte++) {
  let k = 0;
  for (let bit = 0; bit < 8; bit++) if ((byte >>> bit) & 1) NTH_IN_BYTE[byte * 8 + k++] = bit;
}

/**
 * The running bit counts of a word's bytes: byte i of the result is the number of set bits
 * in bytes 0 … i, so the top byte is the word's popcount.
 */
function runningByteCounts(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101);
}

/**
 * Index of the k-th (0-based) set bit of a word, given its running byte counts: they find
 * the byte, a table the bit. The byte is found by arithmetic, not by tests: for a random k
 * each test would be a coin toss to the processor's branch predictor.
 */
function nthSetBit(word: number, running: number, k: number): number {
  // The k-th bit lies in the byte numbered by how many of the running counts of bytes 0–2 are at most k.
  const byte =
    (((running & 0xff) - k - 1) >>> 31) + ((((running >>> 8) & 0xff) - k - 1) >>> 31) + ((((running >>> 16) & 0xff) - k - 1) >>> 31);
  const shift = byte << 3;
  const before = ((running << 8) >>> shift) & 0xff;
  return shift + (NTH_IN_BYTE[(((word >>> shift) & 0xff) << 3) + k - before] as number);
}

// A peer's row in one flat Int32Array, so that the few numbers a transfer touches share a
// cache line: its download bucket (a float64 over two slots), the step it was filled to,
// the chunks it has received, the last step in which it received one, then the bitsets of
// the chunks received (including this step's) and usable (forwardable). The bucket is the
// row's first float64 (slots 0–1).
//
// Chunks received in a step become usable at its end. Rather than a pass over that step's
// arrivals (a second visit to each receiver's row, a cache miss at every chunk sent), the
// usable bitset is a snapshot of the received one, taken at the peer's first arrival in a
// step: in step s a peer may forward its usable bits if its last arrival was in step s,
// else every chunk it has received.
const ROW_STAMP = 2;
const ROW_RECEIVED = 3;
const ROW_ARRIVAL_STEP = 4;
const ROW_BITS = 5;
/** Ready uploaders an open peer probes, and open peers an uploader probes, before the exhaustive search. */
const RECEIVER_PROBES = 16;
const SENDER_PROBES = 8;
/** Probes drawn, and their rows fetched, at a time (see prepareProbes). */
const PROBE_BATCH = 16;

/** Steps ahead an uploader can wait on the timing wheel (a power of two). */
const WHEEL_SLOTS = 32;
/** Chunks per file are at most 256: an arrival is coded as peer · 256 + chunk. */
const CHUNK_CODE_BITS = 8;

/**
 * Chunk-level swarm. Each node holds a token bucket per direction: it earns rate·dt bits
 * a step and may carry at most one chunk beyond a step's worth (a chunk in flight), so
 * by any time t no node has sent or received more than rate·t, and the simulated time
 * can never beat the Kurose & Ross bound. The scheduler never idles a sender while some
 * peer with download credit lacks a chunk the sender may forward: the server serves the
 * peers in turn, and each peer probes a few open peers (those with download credit) from a
 * random place, then looks up, chunk by chunk, an open peer that lacks one of its chunks,
 * with no cap on retries. Searches stay short: only uploaders holding a chunk that some
 * peer lacks are looked at, and a sender found useless to everyone open is skipped.
 *
 * The cost is kept to the work done: chunk maps are bitsets in one flat array, a row per
 * peer, queues are typed arrays, nothing is allocated per transfer, buckets are filled
 * lazily (a bucket's level after k steps is min(depth, level + k·rate·dt), the same as
 * filling it every step), ready uploaders wait on a timing wheel rather than being looked
 * at every step, and the rows that random probes lead to are read in batches, so that
 * their cache misses overlap (with 100,000 peers a row is a miss). While no uploader
 * holds a chunk that some peer still lacks (the swarm waits for the server, as when peers
 * leave as soon as they are done), the peers' side of a step is skipped: only the server
 * can change anything, and the check is made again when an uploader gets a new chunk.
 *
 * An observer (the network view's recorder) hears of every chunk sent and of the end of
 * every step; it draws no random numbers and changes nothing. Without one, the cost is a
 * null check per chunk and per step.
 */
export function simulateSwarm(config: SwarmConfig, random: Random, observer?: SwarmObserver): SwarmOutcome {
  return new Swarm(config, random, observer).run();
}

/**
 * An sfc32 state seeded by three draws of `random` (and a counter of 1), warmed up so that its
 * first outputs do not echo the seed. In an Int32Array: as plain numbers, words of 2^30 and
 * more are heap numbers, and each draw (a few per chunk sent) would allocate.
 */
function seededSfc32(random: Random): Int32Array {
  const state = new Int32Array(4);
  state[0] = random.int(0x100000000);
  state[1] = random.int(0x100000000);
  state[2] = random.int(0x100000000);
  state[3] = 1;
  for (let i = 0; i < 12; i++) sfc32(state);
  return state;
}

/**
 * One run of simulateSwarm. Its state is in fields and its helpers are methods, not in
 * closures over local variables: V8 keeps captured variables in a context object and
 * guards each read of one (a load, a check that it is initialized, a check of its kind),
 * which made the hot loop about three times slower than plain fields.
 */
class Swarm {
  declare readonly peers: number;
  declare readonly chunks: number;
  declare readonly chunkSize: number;
  declare readonly words: number;
  declare readonly serverUpload: number;
  declare readonly peerDownload: number;
  declare readonly peerUploads: Float64Array;
  declare readonly leaveWhenDone: boolean;
  declare readonly observer: SwarmObserver | undefined;
  declare readonly bound: number;
  declare dt: number;
  declare downloadStep: number;
  declare downloadCap: number;
  declare readonly rowLength: number;
  declare readonly receivedBits: number;
  declare readonly usableBits: number;
  declare readonly creditStride: number;
  declare readonly row: Int32Array;
  declare readonly rowCredit: Float64Array;
  declare readonly uploadCredit: Float64Array;
  declare readonly uploadStamp: Int32Array;
  /** An uploader on the timing wheel: its bucket's level at the step of its slot. */
  declare readonly futureCredit: Float64Array;
  declare readonly completionTimes: Float64Array;
  declare arrived: Int32Array;
  declare arrivedCount: number;
  declare readonly finishedThisStep: Int32Array;
  declare finishedCount: number;
  declare readonly needy: Int32Array;
  declare readonly needyPosition: Int32Array;
  declare needyCount: number;
  declare readonly open: Int32Array;
  declare openCount: number;
  declare readonly peerWords: number;
  declare readonly needyBits: Int32Array;
  declare readonly openBits: Int32Array;
  declare lacking: Int32Array;
  declare readonly lackingCount: Int32Array;
  declare readonly usefulBits: Int32Array;
  declare readonly everyoneNeedyHas: Int32Array;
  declare readonly uploadingBits: Int32Array;
  declare readonly uploaders: Int32Array;
  declare readonly uploaderPosition: Int32Array;
  declare uploaderCount: number;
  declare readonly anyUploader: boolean;
  declare serverCredit: number;
  declare serverFreshChunk: number;
  declare serverCursor: number;
  declare readonly candidate: Int32Array;
  declare readonly candidateBefore: Int32Array;
  declare readonly candidateRunning: Int32Array;
  declare readonly allChunks: Int32Array;
  declare readonly everyoneHas: Int32Array;
  declare everyoneHasAny: boolean;
  declare readonly uploadersHold: Int32Array;
  declare stalled: boolean;
  declare readonly ready: Int32Array;
  declare readyCount: number;
  declare wheelMode: boolean;
  declare readonly wheel: Int32Array;
  declare readonly pendingBits: Int32Array;
  declare readonly readyThisStep: Int32Array;
  /** In the peers' turn, the ready uploaders that have not had their turn to send (see deliver). */
  declare readonly readyBits: Int32Array;
  declare snapshotAll: boolean;
  declare readonly copies: Int32Array;
  declare step: number;
  /** Simulated time at the end of the last step. */
  declare now: number;
  declare readonly sfc: Int32Array;
  declare readonly probeState: Int32Array;
  /** A batch of places to probe in the open list and the ready list, used from probeNext on. */
  declare readonly probeOpen: Int32Array;
  declare readonly probeReady: Int32Array;
  declare probeNext: number;
  /** The rows read by prepareProbes, summed (see there). */
  declare readonly fetched: Int32Array;

  // (Fields are declared, not defined, so that the constructor creates each with its own
  // value and V8 knows its kind: a class field would start out undefined.)
  constructor(config: SwarmConfig, random: Random, observer: SwarmObserver | undefined) {
    const { peers, fileSize, chunks, serverUpload, peerDownload, peerUploads, leaveWhenDone } = config;
    if (chunks > 1 << CHUNK_CODE_BITS) throw new RangeError(`at most ${1 << CHUNK_CODE_BITS} chunks, got ${chunks}`);
    this.peers = peers;
    this.chunks = chunks;
    const chunkSize = fileSize / chunks;
    this.chunkSize = chunkSize;
    const words = Math.ceil(chunks / WORD_BITS);
    this.words = words;
    this.serverUpload = serverUpload;
    this.peerDownload = peerDownload;
    this.peerUploads = peerUploads;
    this.leaveWhenDone = leaveWhenDone;
    this.observer = observer;
    const lastWordMask = chunks % WORD_BITS === 0 ? -1 : (1 << (chunks % WORD_BITS)) - 1;

    let uploadSum = 0;
    for (let i = 0; i < peers; i++) uploadSum += peerUploads[i] as number;
    const meanUpload = uploadSum / peers;
    const bound = peerToPeerBound({ peers, fileSize, serverUpload, peerDownload, peerUploads });
    this.bound = bound;

    // A step short enough that a typical peer moves about one chunk, but never so short
    // that the bound takes more than 8 steps per chunk or 1,000 steps in all (a time
    // resolution of 0.1% of the bound or better, finer than the simulation's own spread).
    const stepsForBound = Math.min(8 * chunks, 1000);
    this.dt = Math.max(chunkSize / Math.max(meanUpload, peerDownload), bound / stepsForBound);
    // A bucket one chunk deeper than a step's earnings: a node idle for a step keeps at
    // most the chunk it could have had in flight, never a backlog to burst later.
    this.downloadStep = peerDownload * this.dt;
    this.downloadCap = this.downloadStep + chunkSize;

    // Rows of an even length (the float64 bucket stays aligned), a cache line when they fit.
    const rowLength = ROW_BITS + 2 * words <= 16 ? 16 : ROW_BITS + 2 * words + ((ROW_BITS + 2 * words) & 1);
    this.rowLength = rowLength;
    this.receivedBits = ROW_BITS;
    this.usableBits = ROW_BITS + words;
    const buffer = new ArrayBuffer(peers * rowLength * 4);
    const row = new Int32Array(buffer);
    this.row = row;
    this.rowCredit = new Float64Array(buffer);
    this.creditStride = rowLength / 2;
    for (let peer = 0; peer < peers; peer++) {
      row[peer * rowLength + ROW_STAMP] = -1;
      row[peer * rowLength + ROW_ARRIVAL_STEP] = -1;
    }

    // Upload buckets, by uploader, filled lazily like the download ones.
    this.uploadCredit = new Float64Array(peers);
    this.uploadStamp = new Int32Array(peers).fill(-1);
    this.futureCredit = new Float64Array(peers);
    this.completionTimes = new Float64Array(peers);
    // Chunks that arrived this step at uploaders, as peer·256 + chunk (grown when full).
    this.arrived = new Int32Array(Math.min(peers * chunks, 4 * peers + 1024));
    this.arrivedCount = 0;
    this.finishedThisStep = new Int32Array(peers);
    this.finishedCount = 0;

    // Peers still downloading, with a position map for O(1) removal.
    const needy = new Int32Array(peers);
    const needyPosition = new Int32Array(peers);
    for (let i = 0; i < peers; i++) {
      needy[i] = i;
      needyPosition[i] = i;
    }
    this.needy = needy;
    this.needyPosition = needyPosition;
    this.needyCount = peers;
    // Open peers: still downloading and with a chunk's worth of download credit this step.
    // openBits is the set; the list holds every open peer and perhaps some closed since (a
    // peer is closed by clearing its bit, and dropped from the list when a probe finds it).
    this.open = new Int32Array(peers);
    this.openCount = 0;
    // The needy and open sets as bitsets over the peers, and for each chunk the peers that
    // may lack it (chunk · peerWords + word), with the exact number that do: so that a sender
    // whose random probes miss can go straight to a peer that lacks one of its chunks. The
    // bitset is cleared lazily, by the search that meets a peer which has the chunk after all
    // (each delivery leaves at most one such bit), so that a delivery writes no far-off word.
    // It is made at the first search (most runs need none): the peers still downloading
    // then are a superset of those lacking each chunk, as the cleared bitset would be.
    const peerWords = Math.ceil(peers / WORD_BITS);
    this.peerWords = peerWords;
    const lastPeerMask = peers % WORD_BITS === 0 ? -1 : (1 << (peers % WORD_BITS)) - 1;
    const needyBits = new Int32Array(peerWords).fill(-1);
    needyBits[peerWords - 1] = lastPeerMask;
    this.needyBits = needyBits;
    this.openBits = new Int32Array(peerWords);
    this.lacking = new Int32Array(0);
    this.lackingCount = new Int32Array(chunks).fill(peers);
    // Uploaders that may hold a chunk some peer still lacks, as a bitset over the peers: set
    // when an uploader gets a chunk, cleared when it is found to hold only chunks every peer
    // still downloading has (which stays so until it gets another) or has left. The ready
    // uploaders are looked for among these only, so a swarm in which a few peers still have
    // something to give costs no visit to the others.
    this.usefulBits = new Int32Array(peerWords);
    // Chunks that every peer still downloading has, this step.
    this.everyoneNeedyHas = new Int32Array(words);
    // Peers that upload at a positive rate (a list and a bitset); a peer that leaves when done is removed.
    const uploadingBits = new Int32Array(peerWords);
    const uploaders = new Int32Array(peers);
    const uploaderPosition = new Int32Array(peers).fill(-1);
    let uploaderCount = 0;
    for (let i = 0; i < peers; i++) {
      if ((peerUploads[i] as number) > 0) {
        uploaderPosition[i] = uploaderCount;
        uploaders[uploaderCount++] = i;
        uploadingBits[i >>> 5] = (uploadingBits[i >>> 5] as number) | (1 << (i & 31));
      }
    }
    this.uploadingBits = uploadingBits;
    this.uploaders = uploaders;
    this.uploaderPosition = uploaderPosition;
    this.uploaderCount = uploaderCount;
    this.anyUploader = uploaderCount > 0;

    this.serverCredit = 0;
    this.serverFreshChunk = 0;
    // Round robin over the peers still downloading, kept across steps, so the server
    // shares itself fairly (as TCP would) and no peer is starved.
    this.serverCursor = 0;
    this.candidate = new Int32Array(words);
    // Set bits of `candidate` in the words before each word, and the running byte counts of each word.
    this.candidateBefore = new Int32Array(words);
    this.candidateRunning = new Int32Array(words);
    const allChunks = new Int32Array(words).fill(-1);
    allChunks[words - 1] = lastWordMask;
    this.allChunks = allChunks;
    // Chunks every open peer already has, each found by a search that failed this step.
    // Within a step the open set only shrinks and holdings only grow, so it stays a subset
    // of the truth: a sender whose chunks all lie in it has nothing for anyone.
    this.everyoneHas = new Int32Array(words);
    this.everyoneHasAny = false;
    // Every chunk some uploader still in the swarm may forward (it may also keep chunks
    // whose holders have left until the next check: a superset, so a stall found with it
    // is a real one).
    this.uploadersHold = new Int32Array(words);
    // True while no peer still downloading lacks a chunk in uploadersHold: then no peer
    // can send anything until an uploader gets a new chunk. So it holds at the start.
    this.stalled = true;
    // Uploaders with a chunk's worth of credit and something to forward, this step.
    this.ready = new Int32Array(peers);
    this.readyCount = 0;
    // While no chunk is held by every peer still downloading (most of a run), every uploader
    // in usefulBits is useful, and the scan that looks at each of them every step only adds
    // one step's earnings to its bucket until it holds a chunk's worth. A timing wheel skips
    // those visits: an uploader waits in the slot of the step at which its bucket will be
    // full enough (or of the farthest step, to be looked at again), and its bucket is brought
    // up to date with the very same additions, one step at a time, so the numbers are the
    // ones the scan made. A slot is a bitset over the peers, so the ready list keeps the
    // scan's order. An uploader that becomes useful waits in pendingBits for the next step
    // that scans. The wheel is emptied into pendingBits when a stall begins or the step
    // doubles (buckets brought up to date first), and given up for the plain scan for good
    // once some chunk is held by every peer still downloading.
    this.wheelMode = true;
    this.wheel = new Int32Array(WHEEL_SLOTS * peerWords);
    this.pendingBits = new Int32Array(peerWords);
    // This step's ready uploaders (receiveFromPeers drops the spent ones from `ready`), to be put back on the wheel.
    this.readyThisStep = new Int32Array(peers);
    this.readyBits = new Int32Array(peerWords);
    this.snapshotAll = true;
    this.copies = new Int32Array(chunks);
    this.step = 0;
    this.now = 0;

    // The scheduler's own draws, and the places the peers probe: two sfc32 streams seeded by
    // `random`. The probes are drawn PROBE_BATCH at a time so that the rows they lead to can
    // be fetched together (see prepareProbes).
    this.sfc = seededSfc32(random);
    this.probeState = seededSfc32(random);
    this.probeOpen = new Int32Array(PROBE_BATCH);
    this.probeReady = new Int32Array(PROBE_BATCH);
    this.probeNext = PROBE_BATCH;
    this.fetched = new Int32Array(1);
  }

  next32(): number {
    return sfc32(this.sfc);
  }

  /** Uniform integer on [0, n). */
  below(n: number): number {
    return Math.floor((this.next32() * n) / 4294967296);
  }

  /** The probe stream: sfc32 as next32, on its own state. */
  probe32(): number {
    return sfc32(this.probeState);
  }

  /** Uniform integer on [0, n) from the probe stream. */
  probeBelow(n: number): number {
    return Math.floor((this.probe32() * n) / 4294967296);
  }

  /**
   * Draws the next PROBE_BATCH random places in the open list (and, for open peers looking
   * for an uploader, in the ready list), and reads the rows they lead to. With 100,000 peers
   * a row is a cache miss, and a probe's row was one at every chunk sent: read together,
   * the misses of a batch overlap, and the probes then find their rows in the cache. A place
   * past the end of its list by the time it is used (the lists shrink) is drawn afresh.
   */
  prepareProbes(withUploaders: boolean): void {
    const { probeOpen, probeReady, open, ready, row, rowLength } = this;
    // The closed peers found at a place are dropped now, as openAt would at the probe, so
    // that the row fetched is that of the open peer the probe will meet (late in a step
    // most of the list may be closed peers).
    for (let i = 0; i < PROBE_BATCH; i++) {
      let index = 0;
      while (this.openCount > 0) {
        index = this.probeBelow(this.openCount);
        if (this.openAt(index) >= 0) break;
      }
      probeOpen[i] = index;
    }
    const readyCount = this.readyCount;
    if (withUploaders) for (let i = 0; i < PROBE_BATCH; i++) probeReady[i] = this.probeBelow(readyCount);
    // Both ends of the part of each row that the probe reads (it may straddle cache lines):
    // a receiver's bucket to its received bits; an uploader's arrival step to its usable
    // bits. The reads are summed into a field, so that the compiler keeps them.
    const receivedEnd = this.receivedBits + this.words - 1;
    const usableEnd = this.usableBits + this.words - 1;
    let fetched = 0;
    for (let i = 0; i < PROBE_BATCH; i++) {
      const base = (open[probeOpen[i] as number] as number) * rowLength;
      fetched ^= (row[base] as number) ^ (row[base + receivedEnd] as number);
    }
    if (withUploaders) {
      for (let i = 0; i < PROBE_BATCH; i++) {
        const base = (ready[probeReady[i] as number] as number) * rowLength;
        fetched ^= (row[base + ROW_ARRIVAL_STEP] as number) ^ (row[base + receivedEnd] as number) ^ (row[base + usableEnd] as number);
      }
    }
    this.fetched[0] = (this.fetched[0] as number) ^ fetched;
    this.probeNext = 0;
  }

  isOpen(peer: number): boolean {
    return ((this.openBits[peer >>> 5] as number) & (1 << (peer & 31))) !== 0;
  }

  close(peer: number): void {
    const openBits = this.openBits;
    openBits[peer >>> 5] = (openBits[peer >>> 5] as number) & ~(1 << (peer & 31));
  }

  /**
   * The open peer at this place of the open list, or −1 past its end or when the peer there is
   * closed: that one is dropped (the list's last entry takes its place), and the caller draws
   * another place. Taking the entry moved in instead would favour the end of the list, which
   * is in the same order every step: the same few peers would get a chunk at almost every
   * probe that met a closed peer, and finish at about F/d while the rest wait.
   */
  openAt(index: number): number {
    if (index >= this.openCount) return -1;
    const open = this.open;
    const peer = open[index] as number;
    if (this.isOpen(peer)) return peer;
    open[index] = open[--this.openCount] as number;
    return -1;
  }

  /** The peer's download credit now, its bucket filled up to this step. */
  downloadCreditOf(peer: number): number {
    const row = this.row;
    const base = peer * this.rowLength;
    const missed = this.step - (row[base + ROW_STAMP] as number);
    const at = peer * this.creditStride;
    let credit = this.rowCredit[at] as number;
    if (missed > 0) {
      credit += missed * this.downloadStep;
      if (credit > this.downloadCap) credit = this.downloadCap;
      this.rowCredit[at] = credit;
      row[base + ROW_STAMP] = this.step;
    }
    return credit;
  }

  /** The uploader's upload credit now, its bucket filled up to this step. */
  uploadCreditOf(uploader: number): number {
    const missed = this.step - (this.uploadStamp[uploader] as number);
    let credit = this.uploadCredit[uploader] as number;
    if (missed > 0) {
      const rate = this.peerUploads[uploader] as number;
      credit += missed * rate * this.dt;
      const cap = rate * this.dt + this.chunkSize;
      if (credit > cap) credit = cap;
      this.uploadCredit[uploader] = credit;
      this.uploadStamp[uploader] = this.step;
    }
    return credit;
  }

  /**
   * The uploader's bucket brought up to step `target` (not beyond) as a visit at every step
   * would have filled it: one step's earnings at a time, capped.
   */
  replayUpload(uploader: number, target: number): number {
    let credit = this.uploadCredit[uploader] as number;
    const stamp = this.uploadStamp[uploader] as number;
    if (stamp < target) {
      const rate = this.peerUploads[uploader] as number;
      const earning = rate * this.dt;
      const cap = rate * this.dt + this.chunkSize;
      for (let at = stamp; at < target && credit < cap; at++) {
        credit += earning;
        if (credit > cap) credit = cap;
      }
      this.uploadCredit[uploader] = credit;
      this.uploadStamp[uploader] = target;
    }
    return credit;
  }

  /**
   * Puts an uploader whose bucket is current in the slot of the first later step at which it
   * holds a chunk's worth (or the farthest slot), and keeps the bucket's level at that step
   * in futureCredit (its current level stays in uploadCredit, for a flush).
   */
  schedule(uploader: number): void {
    let credit = this.uploadCredit[uploader] as number;
    const rate = this.peerUploads[uploader] as number;
    const earning = rate * this.dt;
    const cap = rate * this.dt + this.chunkSize;
    const chunkSize = this.chunkSize;
    let ahead = 0;
    do {
      ahead++;
      credit += earning;
      if (credit > cap) credit = cap;
    } while (credit < chunkSize && ahead < WHEEL_SLOTS - 1);
    this.futureCredit[uploader] = credit;
    const wheel = this.wheel;
    const index = ((this.step + ahead) & (WHEEL_SLOTS - 1)) * this.peerWords + (uploader >>> 5);
    wheel[index] = (wheel[index] as number) | (1 << (uploader & 31));
  }

  /** Empties the wheel into pendingBits, each bucket brought up to step `target`. */
  flushWheel(target: number): void {
    const { usefulBits, pendingBits, peerWords } = this;
    for (let word = 0; word < peerWords; word++) {
      const useful = usefulBits[word] as number;
      let bits = useful & ~(pendingBits[word] as number);
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        this.replayUpload(word * WORD_BITS + 31 - Math.clz32(low), target);
      }
      pendingBits[word] = (pendingBits[word] as number) | useful;
    }
    this.wheel.fill(0);
  }

  /** The k-th (0-based) chunk set in `candidate`, k below their number (candidateBefore filled). */
  candidateAt(k: number): number {
    const candidateBefore = this.candidateBefore;
    // The word is the number of words after the first with at most k bits before them,
    // counted without a branch (the word is random, so a test would often be mispredicted).
    let w = 0;
    for (let i = 1; i < this.words; i++) w += ((candidateBefore[i] as number) - k - 1) >>> 31;
    return w * WORD_BITS + nthSetBit(this.candidate[w] as number, this.candidateRunning[w] as number, k - (candidateBefore[w] as number));
  }

  /** The first chunk the peer lacks, -1 when none. */
  firstLacking(peer: number): number {
    const { row, allChunks } = this;
    const base = peer * this.rowLength + this.receivedBits;
    for (let w = 0; w < this.words; w++) {
      const bits = (allChunks[w] as number) & ~(row[base + w] as number);
      if (bits !== 0) return w * WORD_BITS + (31 - Math.clz32(bits & -bits));
    }
    return -1;
  }

  /**
   * Picks a chunk set in `candidate` (filled by offers, `total` of them), the rarer of two
   * random ones: most of the gain of BitTorrent's rarest-first at a fraction of its cost.
   * -1 when none.
   */
  pickCandidate(total: number): number {
    const { candidate, candidateBefore, candidateRunning, copies } = this;
    if (total === 0) return -1;
    if (total === 1) return this.candidateAt(0);
    // Two picks from one 32-bit draw, 16 bits each (total ≤ 256, so the bias is below 0.4%),
    // their words found together (see candidateAt).
    const draw = this.next32();
    const k1 = ((draw & 0xffff) * total) >>> 16;
    const k2 = ((draw >>> 16) * total) >>> 16;
    let w1 = 0;
    let w2 = 0;
    for (let i = 1; i < this.words; i++) {
      const before = candidateBefore[i] as number;
      w1 += (before - k1 - 1) >>> 31;
      w2 += (before - k2 - 1) >>> 31;
    }
    const first = w1 * WORD_BITS + nthSetBit(candidate[w1] as number, candidateRunning[w1] as number, k1 - (candidateBefore[w1] as number));
    const second =
      w2 * WORD_BITS + nthSetBit(candidate[w2] as number, candidateRunning[w2] as number, k2 - (candidateBefore[w2] as number));
    // The rarer of the two (the first on a tie), selected by a mask rather than a branch.
    const secondRarer = ((copies[second] as number) - (copies[first] as number)) >> 31;
    return first ^ ((first ^ second) & secondRarer);
  }

  /** Where the peer's usable (forwardable) bitset is in `row` during this step. */
  usableAt(peer: number): number {
    const base = peer * this.rowLength;
    return base + ((this.row[base + ROW_ARRIVAL_STEP] as number) === this.step ? this.usableBits : this.receivedBits);
  }

  /** The row's usable bits become its received ones (rare paths are methods of their own, so that the hot ones stay small enough for V8 to inline). */
  snapshotUsable(base: number): void {
    const row = this.row;
    row[base + ROW_ARRIVAL_STEP] = this.step;
    const usable = base + this.usableBits;
    const received = base + this.receivedBits;
    for (let w = 0; w < this.words; w++) row[usable + w] = row[received + w] as number;
  }

  growArrived(): void {
    const grown = new Int32Array(Math.min(this.peers * this.chunks, 2 * this.arrived.length));
    grown.set(this.arrived);
    this.arrived = grown;
  }

  /** Gives `peer` the chunk, sent by the server (sender −1) or by peer `sender`. */
  deliver(peer: number, chunk: number, sender: number): void {
    if (this.observer) this.observer.transfer(sender, peer, chunk);
    const { row, chunks, chunkSize } = this;
    const base = peer * this.rowLength;
    // Only an uploader forwards, so only an uploader needs its usable bits; and in the peers'
    // turn, only one that is ready and has not had its turn yet (nobody else reads them
    // before the step ends, when every chunk received becomes usable).
    const word = peer >>> 5;
    const bit = 1 << (peer & 31);
    const uploading = ((this.uploadingBits[word] as number) & bit) !== 0;
    // The first arrival this step: what it had received so far is what it may forward.
    if (
      uploading &&
      (this.snapshotAll || ((this.readyBits[word] as number) & bit) !== 0) &&
      (row[base + ROW_ARRIVAL_STEP] as number) !== this.step
    ) {
      this.snapshotUsable(base);
    }
    const index = base + this.receivedBits + (chunk >>> 5);
    row[index] = (row[index] as number) | (1 << (chunk & 31));
    const count = (row[base + ROW_RECEIVED] as number) + 1;
    row[base + ROW_RECEIVED] = count;
    this.copies[chunk] = (this.copies[chunk] as number) + 1;
    this.lackingCount[chunk] = (this.lackingCount[chunk] as number) - 1;
    const credit = this.downloadCreditOf(peer) - chunkSize;
    this.rowCredit[peer * this.creditStride] = credit;
    if (uploading) {
      if (this.arrivedCount === this.arrived.length) this.growArrived();
      this.arrived[this.arrivedCount++] = (peer << CHUNK_CODE_BITS) | chunk;
    }
    if (count === chunks) this.finishedThisStep[this.finishedCount++] = peer;
    if (credit < chunkSize || count === chunks) this.close(peer);
  }

  /**
   * Fills `candidate` with the chunks `have[haveBase…]` offers that `peer` lacks, with the
   * byte counts pickCandidate needs; returns their number.
   */
  offers(have: Int32Array, haveBase: number, peer: number): number {
    const { row, candidate, candidateBefore, candidateRunning } = this;
    const base = peer * this.rowLength + this.receivedBits;
    let total = 0;
    for (let w = 0; w < this.words; w++) {
      const bits = (have[haveBase + w] as number) & ~(row[base + w] as number);
      candidate[w] = bits;
      const running = runningByteCounts(bits);
      candidateRunning[w] = running;
      candidateBefore[w] = total;
      total += running >>> 24;
    }
    return total;
  }

  /**
   * Gives an open peer one chunk from a ready uploader that holds a chunk it lacks,
   * probing up to RECEIVER_PROBES ready uploaders from the place `start`. False when none
   * of them can serve it (others may: the uploaders' own pass settles that).
   */
  receiveFromPeers(peer: number, start: number): boolean {
    const { ready, uploadCredit, chunkSize } = this;
    const probes = Math.min(this.readyCount, RECEIVER_PROBES);
    for (let i = 0; i < probes; i++) {
      let index = start + i;
      if (index >= this.readyCount) index -= this.readyCount;
      const uploader = ready[index] as number;
      const total = this.offers(this.row, this.usableAt(uploader), peer);
      if (total > 0) {
        this.deliver(peer, this.pickCandidate(total), uploader);
        const credit = (uploadCredit[uploader] as number) - chunkSize;
        uploadCredit[uploader] = credit;
        if (credit < chunkSize) ready[index] = ready[--this.readyCount] as number;
        return true;
      }
    }
    return false;
  }

  /**
   * Sends one chunk from an uploader to an open peer that lacks one of its chunks,
   * scanning every open peer from a random place. False when no open peer can use it.
   */
  sendFromPeer(uploader: number): boolean {
    const row = this.row;
    const base = this.usableAt(uploader);
    if (this.everyoneHasAny && this.covered(base)) return false;
    if (this.probeNext === PROBE_BATCH) this.prepareProbes(false);
    let index = this.probeOpen[this.probeNext++] as number;
    if (index >= this.openCount) index = this.probeBelow(this.openCount);
    // A probe counts only when it meets an open peer: each closed one met is dropped for good.
    for (let probe = 0; probe < SENDER_PROBES && this.openCount > 0;) {
      if (index >= this.openCount) index = 0;
      const peer = this.openAt(index);
      if (peer < 0) {
        index = this.probeBelow(this.openCount);
        continue;
      }
      probe++;
      const total = this.offers(row, base, peer);
      if (total > 0) {
        this.deliver(peer, this.pickCandidate(total), uploader);
        return true;
      }
      index++;
    }
    return this.openCount > 0 && this.searchAndSend(uploader, base);
  }

  /** Whether every chunk in row[base…] is one that no open peer lacks (found so by a failed search this step). */
  covered(base: number): boolean {
    const { row, everyoneHas } = this;
    for (let w = 0; w < this.words; w++) if (((row[base + w] as number) & ~(everyoneHas[w] as number)) !== 0) return false;
    return true;
  }

  /**
   * The probes missed (most open peers already have this sender's chunks): looks up, chunk
   * by chunk, an open peer that lacks one, from a random place in the chunk's bitset, and
   * sends it one. This search is exhaustive, so a sender is idle only when no open peer can use it.
   */
  searchAndSend(uploader: number, base: number): boolean {
    if (this.lacking.length === 0) {
      const lacking = new Int32Array(this.chunks * this.peerWords);
      for (let chunk = 0; chunk < this.chunks; chunk++) lacking.set(this.needyBits, chunk * this.peerWords);
      this.lacking = lacking;
    }
    const { row, everyoneHas, words, lacking, lackingCount, openBits, peerWords, rowLength } = this;
    for (let w = 0; w < words; w++) {
      let bits = (row[base + w] as number) & ~(everyoneHas[w] as number);
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const chunk = w * WORD_BITS + 31 - Math.clz32(low);
        if ((lackingCount[chunk] as number) === 0) continue;
        const offset = chunk * peerWords;
        const from = this.below(peerWords);
        const chunkWord = this.receivedBits + (chunk >>> 5);
        const chunkBit = 1 << (chunk & 31);
        for (let i = 0; i < peerWords; i++) {
          let word = from + i;
          if (word >= peerWords) word -= peerWords;
          let found = (lacking[offset + word] as number) & (openBits[word] as number);
          while (found !== 0) {
            const lowPeer = found & -found;
            found ^= lowPeer;
            const peer = word * WORD_BITS + 31 - Math.clz32(lowPeer);
            if (((row[peer * rowLength + chunkWord] as number) & chunkBit) !== 0) {
              // It has received the chunk since the bitset was last cleared.
              lacking[offset + word] = (lacking[offset + word] as number) & ~lowPeer;
              continue;
            }
            this.deliver(peer, this.pickCandidate(this.offers(row, base, peer)), uploader);
            return true;
          }
        }
        // No open peer lacks this chunk, for the rest of the step: no sender searches for it again.
        everyoneHas[w] = (everyoneHas[w] as number) | low;
        this.everyoneHasAny = true;
      }
    }
    // Nobody open can use this uploader: every chunk it holds is now in everyoneHas.
    return false;
  }

  /** Whether every peer still downloading has every chunk in uploadersHold (a stall). */
  stallHolds(): boolean {
    const { uploadersHold, lackingCount } = this;
    for (let w = 0; w < this.words; w++) {
      let bits = uploadersHold[w] as number;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        if ((lackingCount[w * WORD_BITS + 31 - Math.clz32(low)] as number) > 0) return false;
      }
    }
    return true;
  }

  /** The ready uploaders of this step, found with the timing wheel or by the plain scan; returns the chunks they could send. */
  findReady(): number {
    const {
      chunks,
      words,
      peerWords,
      everyoneNeedyHas,
      lackingCount,
      pendingBits,
      uploadingBits,
      usefulBits,
      wheel,
      ready,
      row,
      chunkSize,
    } = this;
    const { futureCredit, uploadCredit, uploadStamp } = this;
    const step = this.step;
    this.readyCount = 0;
    let readySends = 0;
    for (let w = 0; w < words; w++) everyoneNeedyHas[w] = 0;
    for (let chunk = 0; chunk < chunks; chunk++) {
      if ((lackingCount[chunk] as number) === 0)
        everyoneNeedyHas[chunk >>> 5] = (everyoneNeedyHas[chunk >>> 5] as number) | (1 << (chunk & 31));
    }
    if (this.wheelMode) {
      let anyEveryone = 0;
      for (let w = 0; w < words; w++) anyEveryone |= everyoneNeedyHas[w] as number;
      if (anyEveryone !== 0) {
        // Usefulness must now be checked uploader by uploader: back to the plain scan.
        this.flushWheel(step - 1);
        pendingBits.fill(0);
        this.wheelMode = false;
      }
    }
    if (this.wheelMode) {
      const slot = (step & (WHEEL_SLOTS - 1)) * peerWords;
      // Uploaders newly useful: the visit the scan would make now, then checked with this step's slot.
      for (let word = 0; word < peerWords; word++) {
        let bits = pendingBits[word] as number;
        if (bits === 0) continue;
        pendingBits[word] = 0;
        while (bits !== 0) {
          const low = bits & -bits;
          bits ^= low;
          if (((uploadingBits[word] as number) & low) === 0) {
            usefulBits[word] = (usefulBits[word] as number) & ~low;
            continue;
          }
          const uploader = word * WORD_BITS + 31 - Math.clz32(low);
          futureCredit[uploader] = this.uploadCreditOf(uploader);
          wheel[slot + word] = (wheel[slot + word] as number) | low;
        }
      }
      for (let word = 0; word < peerWords; word++) {
        let bits = wheel[slot + word] as number;
        if (bits === 0) continue;
        wheel[slot + word] = 0;
        while (bits !== 0) {
          const low = bits & -bits;
          bits ^= low;
          if (((uploadingBits[word] as number) & low) === 0) {
            usefulBits[word] = (usefulBits[word] as number) & ~low;
            continue;
          }
          const uploader = word * WORD_BITS + 31 - Math.clz32(low);
          // The bucket as schedule left it for this step: the same additions replayUpload would make.
          const credit = futureCredit[uploader] as number;
          uploadCredit[uploader] = credit;
          uploadStamp[uploader] = step;
          if (credit < chunkSize) {
            this.schedule(uploader);
            continue;
          }
          ready[this.readyCount++] = uploader;
          readySends += Math.floor(credit / chunkSize);
        }
      }
      this.readyThisStep.set(ready.subarray(0, this.readyCount));
    } else {
      for (let peerWord = 0; peerWord < peerWords; peerWord++) {
        let candidates = usefulBits[peerWord] as number;
        while (candidates !== 0) {
          const low = candidates & -candidates;
          candidates ^= low;
          const uploader = peerWord * WORD_BITS + 31 - Math.clz32(low);
          let useful = 0;
          if (((uploadingBits[peerWord] as number) & low) !== 0) {
            const usable = this.usableAt(uploader);
            for (let w = 0; w < words; w++) useful |= (row[usable + w] as number) & ~(everyoneNeedyHas[w] as number);
          }
          if (useful === 0) {
            usefulBits[peerWord] = (usefulBits[peerWord] as number) & ~low;
            continue;
          }
          const credit = this.uploadCreditOf(uploader);
          if (credit < chunkSize) continue;
          ready[this.readyCount++] = uploader;
          readySends += Math.floor(credit / chunkSize);
        }
      }
    }
    return readySends;
  }

  run(): SwarmOutcome {
    const { chunks, chunkSize, peerDownload, bound, needy, uploaders } = this;
    // A run far above its bound (peers that leave with nothing left to give) doubles its step
    // after every `stepsPerStage` steps, so that it keeps its relative time resolution and
    // ends in a bounded number of steps; rates are kept exactly as before.
    const stepsPerStage = Math.max(2 * Math.ceil(bound / this.dt), 16 * chunks) + 100;
    const maxStages = 64;
    for (; this.needyCount > 0; this.step++) {
      if (this.step > 0 && this.step % stepsPerStage === 0) {
        if (this.step / stepsPerStage > maxStages) throw new Error('swarm simulation did not converge');
        // Fill every bucket up to the last step at the old rate per step, then change it.
        this.step--;
        if (this.wheelMode) this.flushWheel(this.step);
        for (let i = 0; i < this.needyCount; i++) this.downloadCreditOf(needy[i] as number);
        for (let i = 0; i < this.uploaderCount; i++) this.uploadCreditOf(uploaders[i] as number);
        this.step++;
        this.dt *= 2;
        this.downloadStep = peerDownload * this.dt;
        this.downloadCap = this.downloadStep + chunkSize;
      }
      // Each part of a step is a method called once a step, not a loop body of this method:
      // V8 compiles a loop of a function that runs once on the fly, and throws that code
      // away each time the loop is left, so the simulation would mostly run unoptimized.
      const everyoneOpens = this.openPeers();
      this.serverTurn();
      const peerSends = this.stalled ? 0 : this.peersTurn(everyoneOpens);
      this.endStep(peerSends);
    }
    this.completionTimes.sort();
    return { time: this.now, completionTimes: this.completionTimes, bound, steps: this.step };
  }

  /**
   * When a step's download fills a chunk's worth, every peer still downloading starts the
   * step open: the open list is then a copy of the needy list, made before the server
   * sends (whose deliveries close the peers they fill), and buckets are filled as touched.
   * Returns whether it did so.
   */
  openPeers(): boolean {
    this.openCount = 0;
    const everyoneOpens = !this.stalled && this.downloadStep >= this.chunkSize;
    if (everyoneOpens) {
      this.open.set(this.needy.subarray(0, this.needyCount));
      this.openBits.set(this.needyBits);
      this.openCount = this.needyCount;
    }
    return everyoneOpens;
  }

  /**
   * The server holds every chunk, so any peer with download credit can use one: fresh
   * chunks first so the swarm gets every chunk early, then the rarer of two the peer
   * lacks. It stops after a whole round finds nobody that can take a chunk.
   */
  serverTurn(): void {
    const { chunks, chunkSize, serverUpload, needy, row, rowLength, allChunks } = this;
    const dt = this.dt;
    this.serverCredit = Math.min(this.serverCredit + serverUpload * dt, serverUpload * dt + chunkSize);
    if (!this.anyUploader) {
      this.serveAlone();
      return;
    }
    let passed = 0;
    while (this.serverCredit >= chunkSize && passed < this.needyCount) {
      if (this.serverCursor >= this.needyCount) this.serverCursor = 0;
      const peer = needy[this.serverCursor++] as number;
      if ((row[peer * rowLength + ROW_RECEIVED] as number) === chunks || this.downloadCreditOf(peer) < chunkSize) {
        passed++;
        continue;
      }
      passed = 0;
      const chunk = this.serverFreshChunk < chunks ? this.serverFreshChunk++ : this.pickCandidate(this.offers(allChunks, 0, peer));
      this.deliver(peer, chunk, SERVER);
      this.serverCredit -= chunkSize;
    }
  }

  /**
   * The server's turn when no peer uploads (client-server): serverTurn's round, with
   * deliver's work for a peer that never forwards written out in the loop, which is the
   * whole of such a run. Rarity only matters to a swarm: when nobody forwards, any missing
   * chunk will do, so a peer gets the first it lacks.
   */
  serveAlone(): void {
    const {
      chunks,
      chunkSize,
      needy,
      row,
      rowLength,
      rowCredit,
      creditStride,
      copies,
      lackingCount,
      finishedThisStep,
      openBits,
      observer,
    } = this;
    const step = this.step;
    const downloadStep = this.downloadStep;
    const downloadCap = this.downloadCap;
    const received = this.receivedBits;
    let serverCredit = this.serverCredit;
    let cursor = this.serverCursor;
    let passed = 0;
    while (serverCredit >= chunkSize && passed < this.needyCount) {
      if (cursor >= this.needyCount) cursor = 0;
      const peer = needy[cursor++] as number;
      const base = peer * rowLength;
      const had = row[base + ROW_RECEIVED] as number;
      if (had === chunks) {
        passed++;
        continue;
      }
      // The bucket filled up to this step, as downloadCreditOf does.
      const at = peer * creditStride;
      let credit = rowCredit[at] as number;
      const missed = step - (row[base + ROW_STAMP] as number);
      if (missed > 0) {
        credit += missed * downloadStep;
        if (credit > downloadCap) credit = downloadCap;
        row[base + ROW_STAMP] = step;
      }
      if (credit < chunkSize) {
        rowCredit[at] = credit;
        passed++;
        continue;
      }
      passed = 0;
      const chunk = this.serverFreshChunk < chunks ? this.serverFreshChunk++ : this.firstLacking(peer);
      if (observer) observer.transfer(SERVER, peer, chunk);
      const index = base + received + (chunk >>> 5);
      row[index] = (row[index] as number) | (1 << (chunk & 31));
      const count = had + 1;
      row[base + ROW_RECEIVED] = count;
      copies[chunk] = (copies[chunk] as number) + 1;
      lackingCount[chunk] = (lackingCount[chunk] as number) - 1;
      credit -= chunkSize;
      rowCredit[at] = credit;
      if (count === chunks) finishedThisStep[this.finishedCount++] = peer;
      if (credit < chunkSize || count === chunks) openBits[peer >>> 5] = (openBits[peer >>> 5] as number) & ~(1 << (peer & 31));
      serverCredit -= chunkSize;
    }
    this.serverCredit = serverCredit;
    this.serverCursor = cursor;
  }

  /** The peers' turn (when not stalled); returns the chunks they sent. */
  peersTurn(everyoneOpens: boolean): number {
    const { chunks, chunkSize, needy, row, rowLength, open, openBits, everyoneHas, ready, uploadCredit, readyThisStep } = this;
    let peerSends = 0;
    // Open peers: still downloading, with a chunk's worth of download credit. (Every peer
    // open has at least downloadStep of it, which is all the slot count needs: it only
    // decides which side goes first below.)
    const slotsEach = Math.floor(this.downloadStep / chunkSize);
    let openSlots = this.openCount * slotsEach;
    if (!everyoneOpens) {
      openBits.fill(0);
      for (let i = 0; i < this.needyCount; i++) {
        const peer = needy[i] as number;
        if ((row[peer * rowLength + ROW_RECEIVED] as number) === chunks) continue;
        const credit = this.downloadCreditOf(peer);
        if (credit >= chunkSize) {
          open[this.openCount++] = peer;
          openBits[peer >>> 5] = (openBits[peer >>> 5] as number) | (1 << (peer & 31));
          openSlots += Math.floor(credit / chunkSize);
        }
      }
    }
    everyoneHas.fill(0);
    this.everyoneHasAny = false;

    // Uploaders with a chunk's worth of credit and something to forward are ready.
    const readySends = this.findReady();
    const readyScanned = this.readyCount;
    const readyBits = this.readyBits;
    for (let i = 0; i < readyScanned; i++) {
      const uploader = ready[i] as number;
      readyBits[uploader >>> 5] = (readyBits[uploader >>> 5] as number) | (1 << (uploader & 31));
    }
    this.snapshotAll = false;
    // With no uploader ready, only the server could have served anyone, and it has had its
    // turn. (A peer that no ready uploader can serve is left open: a sender's search passes
    // it over, and it costs nothing else.)
    if (this.readyCount === 0) this.openCount = 0;

    // Download is the scarce side when the ready uploaders could send more than the open
    // peers can take: then each open peer, picked at random, looks for a ready uploader
    // holding a chunk it lacks, a few probes at most (cheap when holdings are diverse).
    // Whatever is left, or when upload is the scarce side, the uploaders send: each, from a
    // random place in the list, until no open peer lacks a chunk it holds (no cap), so no
    // sender is idle while some open peer could use it.
    if (readySends > openSlots) {
      this.probeNext = PROBE_BATCH;
      while (this.openCount > 0 && this.readyCount > 0) {
        if (this.probeNext === PROBE_BATCH) this.prepareProbes(true);
        const next = this.probeNext++;
        let index = this.probeOpen[next] as number;
        if (index >= this.openCount) index = this.probeBelow(this.openCount);
        const peer = this.openAt(index);
        if (peer < 0) continue;
        let start = this.probeReady[next] as number;
        if (start >= this.readyCount) start = this.probeBelow(this.readyCount);
        if (!this.receiveFromPeers(peer, start)) break;
        peerSends++;
      }
    }
    const readyCount = this.readyCount;
    const start = readyCount > 0 ? this.below(readyCount) : 0;
    this.probeNext = PROBE_BATCH;
    for (let offset = 0; offset < readyCount && this.openCount > 0; offset++) {
      let index = start + offset;
      if (index >= readyCount) index -= readyCount;
      const uploader = ready[index] as number;
      let credit = uploadCredit[uploader] as number;
      while (credit >= chunkSize && this.openCount > 0 && this.sendFromPeer(uploader)) {
        credit -= chunkSize;
        peerSends++;
      }
      uploadCredit[uploader] = credit;
      readyBits[uploader >>> 5] = (readyBits[uploader >>> 5] as number) & ~(1 << (uploader & 31));
    }
    readyBits.fill(0);
    this.snapshotAll = true;
    this.openCount = 0;
    if (this.wheelMode) for (let i = 0; i < readyScanned; i++) this.schedule(readyThisStep[i] as number);
    return peerSends;
  }

  /** End of step: arrivals become forwardable; finished peers are recorded (and leave); a stall is looked for. */
  endStep(peerSends: number): void {
    const {
      words,
      rowLength,
      row,
      completionTimes,
      finishedThisStep,
      needy,
      needyPosition,
      needyBits,
      usefulBits,
      uploadingBits,
      uploaders,
      uploaderPosition,
      uploadersHold,
      pendingBits,
    } = this;
    const dt = this.dt;
    const now = this.now + dt;
    this.now = now;
    for (let f = 0; f < this.finishedCount; f++) {
      const peer = finishedThisStep[f] as number;
      completionTimes[peer] = now;
      needyBits[peer >>> 5] = (needyBits[peer >>> 5] as number) & ~(1 << (peer & 31));
      const position = needyPosition[peer] as number;
      const last = needy[--this.needyCount] as number;
      needy[position] = last;
      needyPosition[last] = position;
      if (this.leaveWhenDone && (uploaderPosition[peer] as number) >= 0) {
        const at = uploaderPosition[peer] as number;
        const lastUploader = uploaders[--this.uploaderCount] as number;
        uploaders[at] = lastUploader;
        uploaderPosition[lastUploader] = at;
        uploaderPosition[peer] = -1;
        uploadingBits[peer >>> 5] = (uploadingBits[peer >>> 5] as number) & ~(1 << (peer & 31));
      }
    }
    this.finishedCount = 0;
    // (Rows need no visit: a step's arrivals are usable as soon as the step number moves on.)
    const arrived = this.arrived;
    for (let a = 0; a < this.arrivedCount; a++) {
      const code = arrived[a] as number;
      const peer = code >>> CHUNK_CODE_BITS;
      const peerBit = 1 << (peer & 31);
      if (((uploadingBits[peer >>> 5] as number) & peerBit) === 0) continue;
      const chunk = code & ((1 << CHUNK_CODE_BITS) - 1);
      const word = chunk >>> 5;
      const bit = 1 << (chunk & 31);
      if (((usefulBits[peer >>> 5] as number) & peerBit) === 0) {
        usefulBits[peer >>> 5] = (usefulBits[peer >>> 5] as number) | peerBit;
        if (this.wheelMode) pendingBits[peer >>> 5] = (pendingBits[peer >>> 5] as number) | peerBit;
      }
      // An uploader still here with a chunk no uploader had: the swarm may move again.
      if (((uploadersHold[word] as number) & bit) === 0) {
        uploadersHold[word] = (uploadersHold[word] as number) | bit;
        this.stalled = false;
      }
    }
    this.arrivedCount = 0;
    // A step in which no peer could send may be the start of a stall: check it, and if a
    // chunk whose holders have all left keeps it from holding, check again with the chunks
    // the uploaders still here hold.
    if (!this.stalled && peerSends === 0) {
      if (this.stallHolds()) this.stalled = true;
      else {
        uploadersHold.fill(0);
        for (let i = 0; i < this.uploaderCount; i++) {
          // Every chunk received is usable now that the step has ended.
          const base = (uploaders[i] as number) * rowLength + this.receivedBits;
          for (let w = 0; w < words; w++) uploadersHold[w] = (uploadersHold[w] as number) | (row[base + w] as number);
        }
        this.stalled = this.stallHolds();
      }
      // No scan while stalled: the buckets are brought up to this step's, and filled in one go afterwards.
      if (this.stalled && this.wheelMode) this.flushWheel(this.step);
    }
    if (this.observer) this.observer.stepEnd(now, dt, this.receivedCounts());
  }

  /** Chunks each peer holds, for the observer (a copy, made only when observed). */
  receivedCounts(): Int32Array {
    const counts = new Int32Array(this.peers);
    for (let peer = 0; peer < this.peers; peer++) counts[peer] = this.row[peer * this.rowLength + ROW_RECEIVED] as number;
    return counts;
  }
}

export type FileDistributionParams = {
  peers: number;
  fileSize: number;
  serverUpload: number;
  peerDownload: number;
  peerUpload: number;
  uploadSpread: number;
  chunks: number;
  afterDone: string;
};

/** Upload rates drawn uniformly within ±spread of the mean. */
export function drawUploads(peers: number, mean: number, spread: number, random: Random): Float64Array {
  const uploads = new Float64Array(peers);
  for (let i = 0; i < peers; i++) uploads[i] = mean * (1 - spread + 2 * spread * random.next());
  return uploads;
}

const GBIT = 1000; // Mbit per Gbit

/**
 * "P2P is not bottlenecked" holds when the swarm's time grows no faster than √N over the
 * last decade of N: behind a bottleneck of fixed capacity (one server) time grows in
 * proportion to N, exponent 1; a swarm whose peers bring the capacity they ask for
 * levels off, exponent near 0.
 */
export const NOT_BOTTLENECKED_EXPONENT = 0.5;
/** Below this growth exponent, neither architecture's time grows noticeably with N. */
export const FLAT_EXPONENT = 0.1;

/**
 * Independent runs per simulated N: fewer where one run is already costly, but at least
 * two, so that every point has an interval and the page's workers can share the largest N.
 */
export function replicationsAt(peers: number, chunks: number): number {
  const work = peers * chunks;
  if (work <= 100_000) return 5;
  if (work <= 300_000) return 3;
  return 2;
}

/**
 * How time grows with N over the last decade of simulated N: the least-squares slope of
 * log time against log N over the points with N at least a tenth of the largest (1 means
 * in proportion to N, as behind a fixed bottleneck; 0 means flat). NaN with one point.
 */
export function growthExponent(points: ReadonlyArray<Point>): number {
  if (points.length < 2) return NaN;
  const largest = (points[points.length - 1] as Point)[0];
  const used = points.filter(([x]) => x >= largest / 10);
  let sx = 0;
  let sy = 0;
  for (const [x, y] of used) {
    sx += Math.log(x);
    sy += Math.log(y);
  }
  const mx = sx / used.length;
  const my = sy / used.length;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of used) {
    sxy += (Math.log(x) - mx) * (Math.log(y) - my);
    sxx += (Math.log(x) - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : NaN;
}

/** A number as the verdict prints it (three significant figures), so comparisons use what the reader sees. */
const asPrinted = (value: number): number => Number(value.toPrecision(3));
/** An exponent as printed, two decimals. */
const exponentText = (value: number): string => value.toFixed(2);
const asPrintedExponent = (value: number): number => Number(value.toFixed(2));

/** Share of peers done over time, for a log time axis (so no point at time 0). */
function completionCurve(times: Float64Array, maxPoints = 120): Point[] {
  const curve: Point[] = [];
  const count = times.length;
  const stride = Math.max(1, Math.floor(count / maxPoints));
  for (let i = 0; i < count; i += stride) curve.push([times[i] as number, ((i + 1) / count) * 100]);
  const last = curve[curve.length - 1] as Point;
  if (last[1] < 100) curve.push([times[count - 1] as number, 100]);
  return curve;
}

export interface FileDistributionVerdictInput {
  peers: number;
  /** u_s/d: beyond it the server's upload is the client-server bottleneck. */
  crossover: number;
  fileSize: number;
  serverUpload: number;
  peerDownload: number;
  csTime: number;
  p2pTime: number;
  p2pBound: number;
  swarmGrowth: number;
  serverGrowth: number;
}

/**
 * The three claims, each tested as the lesson defines it; every comparison is made on
 * the numbers as the sentence prints them.
 */
export function fileDistributionVerdict(v: FileDistributionVerdictInput): string {
  const { peers, crossover, fileSize, serverUpload, peerDownload } = v;
  const n = formatCount(peers);
  const overloaded =
    peers > asPrinted(crossover)
      ? `“A server may become overloaded” holds here: N = ${n} is more than u_s/d = ${formatSig(crossover)}, so the server's upload is the bottleneck; each extra peer adds F/u_s = ${formatDuration(fileSize / serverUpload)}, and client-server takes ${formatDuration(v.csTime)} where one download needs F/d = ${formatDuration(fileSize / peerDownload)}.`
      : `“A server may become overloaded” does not show here: N = ${n} is at most u_s/d = ${formatSig(crossover)}, so each peer's own download rate (F/d = ${formatDuration(fileSize / peerDownload)}) sets the time, not the server.`;

  const ratio = v.p2pTime / v.p2pBound;
  let bottleneck: string;
  if (Number.isNaN(v.swarmGrowth)) {
    bottleneck = `“P2P is not bottlenecked” cannot be judged with a single peer: its test is how the swarm's time grows with N.`;
  } else {
    const growth = `over the last decade of N the swarm's time grows as N^${exponentText(v.swarmGrowth)}`;
    const near = `at N = ${n} it takes ${formatDuration(v.p2pTime)}, ${formatSig(ratio)}× its bound`;
    bottleneck =
      asPrintedExponent(v.swarmGrowth) <= NOT_BOTTLENECKED_EXPONENT
        ? `“P2P is not bottlenecked” holds: ${growth}, no faster than √N (exponent ${NOT_BOTTLENECKED_EXPONENT}); ${near}.`
        : `“P2P is not bottlenecked” fails for these settings: ${growth}, faster than √N (exponent ${NOT_BOTTLENECKED_EXPONENT}), as behind a bottleneck; ${near}.`;
  }

  let scalable: string;
  if (Number.isNaN(v.swarmGrowth) || Number.isNaN(v.serverGrowth)) {
    scalable = '“P2P is less scalable” cannot be judged with a single peer.';
  } else {
    const swarm = asPrintedExponent(v.swarmGrowth);
    const server = asPrintedExponent(v.serverGrowth);
    const exponents = `the swarm's time grows as N^${exponentText(v.swarmGrowth)} over the last decade of N, the server's as N^${exponentText(v.serverGrowth)}`;
    if (swarm <= FLAT_EXPONENT && server <= FLAT_EXPONENT) {
      scalable = `“P2P is less scalable” is not tested at these sizes: ${exponents}; neither grows noticeably (both exponents at most ${FLAT_EXPONENT}).`;
    } else if (swarm < server) {
      scalable = `“P2P is less scalable” is contradicted: ${exponents}, so the swarm scales better.`;
    } else {
      scalable = `“P2P is less scalable” holds here: ${exponents}, so the swarm's time grows at least as fast.`;
    }
  }
  return [overloaded, bottleneck, scalable].join(' ');
}

/** Peers in the network view's small copy of the runs. */
export const VIEW_PEERS = 20;

export interface FileDistributionNetwork extends FileDistributionTrace {
  /** The small runs the trace was recorded from. */
  clientServer: SwarmOutcome;
  swarm: SwarmOutcome;
}

/**
 * The network view: both runs again with min(N, 20) peers and every other parameter as set,
 * on their own seed (so the charts' numbers do not change), each recorded by its simulation
 * as it runs.
 */
export function fileDistributionNetwork(params: FileDistributionParams, seed: number): FileDistributionNetwork {
  const peers = Math.min(VIEW_PEERS, params.peers);
  const config = {
    peers,
    fileSize: params.fileSize * GBIT,
    chunks: params.chunks,
    serverUpload: params.serverUpload,
    peerDownload: params.peerDownload,
    leaveWhenDone: params.afterDone === 'leave',
  };
  const random = createRandom(deriveSeed(seed, 0xfeed));
  const uploads = drawUploads(peers, params.peerUpload, params.uploadSpread, random);
  const swarmLog = new SwarmStepLog(peers);
  const swarm = simulateSwarm({ ...config, peerUploads: uploads }, random, swarmLog);
  const clientServerLog = new SwarmStepLog(peers);
  const clientServer = simulateSwarm(
    { ...config, peerUploads: new Float64Array(peers) },
    createRandom(deriveSeed(seed, 0xfeed, 1)),
    clientServerLog,
  );
  const recorded = buildFileDistributionTrace(clientServerLog, swarmLog, {
    readerPeers: params.peers,
    chunks: params.chunks,
    leaving: config.leaveWhenDone,
  });
  return { ...recorded, clientServer, swarm };
}

/** One task of a run: one swarm run (a replication) at one simulated N, or its client-server run. */
export interface FileDistributionTask {
  /** Index of the simulated N. */
  point: number;
  peers: number;
  /** The swarm's replication, or CLIENT_SERVER_RUN for the client-server run. */
  replication: number;
  /** Whether this run's completion times are drawn (the largest N: client-server and the swarm's first run). */
  curve: boolean;
}

/** A task's result: small plain data, cloned across workers. */
export interface FileDistributionPart {
  time: number;
  /** The bound of the peers this run drew. */
  bound: number;
  /** Share of peers done over time, for the largest N only. */
  completion?: Point[];
}

const CLIENT_SERVER_RUN = -1;

/** The simulated N: nine log-spaced sizes from 1 to the largest. */
function simulatedPeers(params: FileDistributionParams): number[] {
  return logSpacedIntegers(1, params.peers, 9);
}

function planRun(params: FileDistributionParams): Array<SweepTask<FileDistributionTask>> {
  const simulated = simulatedPeers(params);
  const tasks: Array<SweepTask<FileDistributionTask>> = [];
  simulated.forEach((peers, point) => {
    const largest = point === simulated.length - 1;
    // Weights: a run costs about one unit per peer and chunk; client-server, with its
    // empty peer side, about a tenth of that. The constant is the fixed cost of a run.
    const work = peers * params.chunks;
    for (let replication = 0; replication < replicationsAt(peers, params.chunks); replication++) {
      tasks.push({ task: { point, peers, replication, curve: largest && replication === 0 }, weight: 1_000 + work });
    }
    tasks.push({ task: { point, peers, replication: CLIENT_SERVER_RUN, curve: largest }, weight: 1_000 + work / 10 });
  });
  return tasks;
}

function runOne(params: FileDistributionParams, task: FileDistributionTask, seed: number): FileDistributionPart {
  const random = createRandom(seed);
  const clientServer = task.replication === CLIENT_SERVER_RUN;
  const uploads = clientServer ? new Float64Array(task.peers) : drawUploads(task.peers, params.peerUpload, params.uploadSpread, random);
  const outcome = simulateSwarm(
    {
      peers: task.peers,
      fileSize: params.fileSize * GBIT,
      chunks: params.chunks,
      serverUpload: params.serverUpload,
      peerDownload: params.peerDownload,
      peerUploads: uploads,
      leaveWhenDone: params.afterDone === 'leave',
    },
    random,
  );
  const part: FileDistributionPart = { time: outcome.time, bound: outcome.bound };
  if (task.curve) part.completion = completionCurve(outcome.completionTimes);
  return part;
}

function assembleRun(params: FileDistributionParams, results: ReadonlyArray<FileDistributionPart | undefined>): LabResult {
  const tasks = planRun(params);
  const fileSize = params.fileSize * GBIT;
  const common = { fileSize, serverUpload: params.serverUpload, peerDownload: params.peerDownload };
  const simulated = simulatedPeers(params);
  const swarmTimes = simulated.map((): number[] => []);
  const swarmBounds = simulated.map((): number[] => []);
  const swarmRuns = simulated.map(() => 0);
  const csTimes = simulated.map((): number | undefined => undefined);
  let csDone: Point[] | undefined;
  let p2pDone: Point[] | undefined;
  tasks.forEach(({ task }, index) => {
    const part = results[index];
    if (task.replication !== CLIENT_SERVER_RUN) swarmRuns[task.point] = (swarmRuns[task.point] as number) + 1;
    if (!part) return;
    if (task.replication === CLIENT_SERVER_RUN) {
      csTimes[task.point] = part.time;
      if (task.curve) csDone = part.completion;
    } else {
      swarmTimes[task.point]!.push(part.time);
      swarmBounds[task.point]!.push(part.bound);
      if (task.curve) p2pDone = part.completion;
    }
  });

  // A point is drawn once all its runs are in. The bound of the peers actually drawn,
  // averaged as the simulation is, so that the dashed line is a lower bound of each
  // simulated mean at its own N.
  const csSim: Point[] = [];
  const p2pSim: Point[] = [];
  const drawnBound = new Map<number, number>();
  simulated.forEach((n, point) => {
    const times = swarmTimes[point]!;
    if (times.length === swarmRuns[point]) {
      p2pSim.push(meanPoint(n, times));
      drawnBound.set(n, swarmBounds[point]!.reduce((sum, bound) => sum + bound, 0) / times.length);
    }
    const cs = csTimes[point];
    if (cs !== undefined) csSim.push([n, cs]);
  });
  const dense = [...new Set([...logSpacedIntegers(1, params.peers, 60), ...simulated])].sort((a, b) => a - b);
  const csBound: Point[] = dense.map((n) => [n, clientServerBound({ ...common, peers: n })]);
  const p2pBound: Point[] = dense.map((n) => [
    n,
    drawnBound.get(n) ?? peerToPeerBound({ ...common, peers: n, peerUploads: params.peerUpload }),
  ]);
  const bounds = { csBound, p2pBound };

  const n = params.peers;
  const lastCs = csSim[csSim.length - 1];
  const lastP2p = p2pSim[p2pSim.length - 1];
  if (!lastCs || !lastP2p || lastCs[0] !== n || lastP2p[0] !== n || !csDone || !p2pDone || results.some((part) => part === undefined)) {
    // Still streaming: the charts only.
    return {
      series: { ...bounds, csSim, p2pSim, csDone: csDone ?? [], p2pDone: p2pDone ?? [] },
      summary: `Simulating ${plural(n, 'peer')}: ${formatCount(results.filter(Boolean).length)} of ${formatCount(tasks.length)} runs done.`,
      verdict: '',
    };
  }

  const csTime = lastCs[1];
  const p2pTime = lastP2p[1];
  const p2pAtN = drawnBound.get(n) as number;
  const crossover = params.serverUpload / params.peerDownload;
  const ceiling =
    params.peerUpload > 0 ? Math.max(fileSize / params.serverUpload, fileSize / params.peerDownload, fileSize / params.peerUpload) : NaN;
  const swarmGrowth = growthExponent(p2pSim);
  const serverGrowth = growthExponent(csSim);
  const largestRuns = swarmRuns[swarmRuns.length - 1] as number;
  const replicationsText = largestRuns === 1 ? 'one run of the swarm' : `the swarm's mean over ${largestRuns} runs`;
  const summary =
    `With ${plural(n, 'peer')} (${replicationsText}), client-server distribution takes ${formatDuration(csTime)} (bound ${formatDuration(clientServerBound({ ...common, peers: n }))}) ` +
    `and the P2P swarm ${formatDuration(p2pTime)} (bound ${formatDuration(p2pAtN)}). ` +
    `Client-server time grows in proportion to N once N exceeds u_s/d = ${formatSig(crossover)}; ` +
    (params.peerUpload > 0
      ? `the P2P bound keeps rising with N towards max(F/u_s, F/d, F/u) = ${formatDuration(ceiling)}, never above it.`
      : 'with peers that do not upload, P2P is client-server.');

  const verdict = fileDistributionVerdict({
    peers: n,
    crossover,
    ...common,
    csTime,
    p2pTime,
    p2pBound: p2pAtN,
    swarmGrowth,
    serverGrowth,
  });

  return {
    series: { ...bounds, csSim, p2pSim, csDone, p2pDone },
    summary,
    verdict,
    outputs: {
      crossover,
      csTime,
      p2pTime,
      speedup: csTime / p2pTime,
      p2pCeiling: ceiling,
      p2pOverBound: p2pTime / p2pAtN,
      swarmGrowth,
      serverGrowth,
    },
  };
}

/**
 * The lab as a sweep: every swarm run (each replication at each simulated N) and every
 * client-server run is a task of its own, so the page can share the largest N's runs
 * among its workers; `run` does them in order.
 */
export const fileDistribution: LabModel = defineSweepLab<FileDistributionParams, FileDistributionTask, FileDistributionPart>({
  manifest,
  benchCases: [1_000, 10_000, 100_000].map((size) => ({ size, params: { ...defaults(manifest), peers: size } })),
  sweep: {
    plan: planRun,
    runTask: (params, task, context) => runOne(params, task, context.seed),
    assemble: (params, results) => assembleRun(params, results),
    network: (params, seed) => fileDistributionNetwork(params, seed).trace,
  },
});
