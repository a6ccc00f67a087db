import { createRandom, type Random } from '../kernel/random';
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

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Index of the k-th (0-based) set bit of a word: halve the search twice, then step. */
function nthSetBit(word: number, k: number): number {
  let w = word >>> 0;
  let rest = k;
  let base = 0;
  const low16 = popcount(w & 0xffff);
  if (rest >= low16) {
    rest -= low16;
    w >>>= 16;
    base = 16;
  }
  const low8 = popcount(w & 0xff);
  if (rest >= low8) {
    rest -= low8;
    w >>>= 8;
    base += 8;
  }
  for (; rest > 0; rest--) w &= w - 1;
  return base + 31 - Math.clz32(w & -w);
}

// A peer's row in one flat Int32Array, so that the few numbers a transfer touches share a
// cache line: its download bucket (a float64 over two slots), the step it was filled to,
// the chunks it has received and may forward, whether it uploads (and is still here), then
// the bitsets of the chunks received (including this step's) and usable (forwardable).
// The bucket is the row's first float64 (slots 0–1).
const ROW_STAMP = 2;
const ROW_RECEIVED = 3;
const ROW_USABLE = 4;
const ROW_UPLOADING = 5;
const ROW_BITS = 6;
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
 * The cost is kept to the work done, so that 100,000 peers run in about a second: chunk
 * maps are bitsets in one flat array, a row per peer, queues are typed arrays, nothing is
 * allocated per transfer, and buckets are filled lazily (a bucket's level after k steps
 * is min(depth, level + k·rate·dt), the same as filling it every step). While no uploader
 * holds a chunk that some peer still lacks (the swarm waits for the server, as when peers
 * leave as soon as they are done), the peers' side of a step is skipped: only the server
 * can change anything, and the check is made again when an uploader gets a new chunk.
 *
 * An observer (the network view's recorder) hears of every chunk sent and of the end of
 * every step; it draws no random numbers and changes nothing. Without one, the cost is a
 * null check per chunk and per step.
 */
export function simulateSwarm(config: SwarmConfig, random: Random, observer?: SwarmObserver): SwarmOutcome {
  const { peers, fileSize, chunks, serverUpload, peerDownload, peerUploads, leaveWhenDone } = config;
  if (chunks > 1 << CHUNK_CODE_BITS) throw new RangeError(`at most ${1 << CHUNK_CODE_BITS} chunks, got ${chunks}`);
  const chunkSize = fileSize / chunks;
  const words = Math.ceil(chunks / WORD_BITS);
  const lastWordMask = chunks % WORD_BITS === 0 ? -1 : (1 << (chunks % WORD_BITS)) - 1;

  let uploadSum = 0;
  for (let i = 0; i < peers; i++) uploadSum += peerUploads[i] as number;
  const meanUpload = uploadSum / peers;
  const bound = peerToPeerBound({ peers, fileSize, serverUpload, peerDownload, peerUploads });

  // A step short enough that a typical peer moves about one chunk, but never so short
  // that the bound takes more than 8 steps per chunk or 1,000 steps in all (a time
  // resolution of 0.1% of the bound or better, finer than the simulation's own spread).
  const stepsForBound = Math.min(8 * chunks, 1000);
  let dt = Math.max(chunkSize / Math.max(meanUpload, peerDownload), bound / stepsForBound);
  // A bucket one chunk deeper than a step's earnings: a node idle for a step keeps at
  // most the chunk it could have had in flight, never a backlog to burst later.
  let downloadStep = peerDownload * dt;
  let downloadCap = downloadStep + chunkSize;

  // Rows of an even length (the float64 bucket stays aligned), a cache line when they fit.
  const rowLength = ROW_BITS + 2 * words <= 16 ? 16 : ROW_BITS + 2 * words + ((ROW_BITS + 2 * words) & 1);
  const RECEIVED_BITS = ROW_BITS;
  const USABLE_BITS = ROW_BITS + words;
  const buffer = new ArrayBuffer(peers * rowLength * 4);
  const row = new Int32Array(buffer);
  const rowCredit = new Float64Array(buffer);
  const creditStride = rowLength / 2;
  for (let peer = 0; peer < peers; peer++) row[peer * rowLength + ROW_STAMP] = -1;

  // Upload buckets, by uploader, filled lazily like the download ones.
  const uploadCredit = new Float64Array(peers);
  const uploadStamp = new Int32Array(peers).fill(-1);
  const completionTimes = new Float64Array(peers);
  // Chunks that arrived this step, as peer·chunks + chunk (grown when full).
  let arrived = new Int32Array(Math.min(peers * chunks, 4 * peers + 1024));
  let arrivedCount = 0;
  const finishedThisStep = new Int32Array(peers);
  let finishedCount = 0;

  // Peers still downloading, with a position map for O(1) removal.
  const needy = new Int32Array(peers);
  const needyPosition = new Int32Array(peers);
  for (let i = 0; i < peers; i++) {
    needy[i] = i;
    needyPosition[i] = i;
  }
  let needyCount = peers;
  // Open peers: still downloading and with a chunk's worth of download credit this step.
  // openBits is the set; the list holds every open peer and perhaps some closed since (a
  // peer is closed by clearing its bit, and dropped from the list when a probe finds it).
  const open = new Int32Array(peers);
  let openCount = 0;
  // The needy and open sets as bitsets over the peers, and for each chunk the peers still
  // downloading that lack it (chunk · peerWords + word) with their number: so that a sender
  // whose random probes miss can go straight to a peer that lacks one of its chunks.
  const peerWords = Math.ceil(peers / WORD_BITS);
  const lastPeerMask = peers % WORD_BITS === 0 ? -1 : (1 << (peers % WORD_BITS)) - 1;
  const needyBits = new Int32Array(peerWords).fill(-1);
  needyBits[peerWords - 1] = lastPeerMask;
  const openBits = new Int32Array(peerWords);
  const lacking = new Int32Array(chunks * peerWords);
  for (let chunk = 0; chunk < chunks; chunk++) lacking.set(needyBits, chunk * peerWords);
  const lackingCount = new Int32Array(chunks).fill(peers);
  // Uploaders that may hold a chunk some peer still lacks, as a bitset over the peers: set
  // when an uploader gets a chunk, cleared when it is found to hold only chunks every peer
  // still downloading has (which stays so until it gets another) or has left. The ready
  // uploaders are looked for among these only, so a swarm in which a few peers still have
  // something to give costs no visit to the others.
  const usefulBits = new Int32Array(peerWords);
  // Chunks that every peer still downloading has, this step.
  const everyoneNeedyHas = new Int32Array(words);
  // Peers that upload at a positive rate; a peer that leaves when done is removed.
  const uploaders = new Int32Array(peers);
  const uploaderPosition = new Int32Array(peers).fill(-1);
  let uploaderCount = 0;
  for (let i = 0; i < peers; i++) {
    if ((peerUploads[i] as number) > 0) {
      uploaderPosition[i] = uploaderCount;
      uploaders[uploaderCount++] = i;
      row[i * rowLength + ROW_UPLOADING] = 1;
    }
  }
  const anyUploader = uploaderCount > 0;

  let serverCredit = 0;
  let serverFreshChunk = 0;
  // Round robin over the peers still downloading, kept across steps, so the server
  // shares itself fairly (as TCP would) and no peer is starved.
  let serverCursor = 0;
  const candidate = new Int32Array(words);
  const candidateBits = new Int32Array(words);
  const allChunks = new Int32Array(words).fill(-1);
  allChunks[words - 1] = lastWordMask;
  // Chunks every open peer already has, each found by a search that failed this step.
  // Within a step the open set only shrinks and holdings only grow, so it stays a subset
  // of the truth: a sender whose chunks all lie in it has nothing for anyone.
  const everyoneHas = new Int32Array(words);
  // Every chunk some uploader still in the swarm may forward (it may also keep chunks
  // whose holders have left until the next check: a superset, so a stall found with it
  // is a real one).
  const uploadersHold = new Int32Array(words);
  // True while no peer still downloading lacks a chunk in uploadersHold: then no peer
  // can send anything until an uploader gets a new chunk. So it holds at the start.
  let stalled = true;
  // Uploaders with a chunk's worth of credit and something to forward, this step.
  const ready = new Int32Array(peers);
  let readyCount = 0;
  const copies = new Int32Array(chunks);
  let step = 0;

  // The scheduler's own draws, from a stream seeded by `random`: sfc32 (as in
  // kernel/random.ts) kept in local variables, since it runs a few times per chunk sent.
  let sa = random.int(0x100000000);
  let sb = random.int(0x100000000);
  let sc = random.int(0x100000000);
  let sd = 1;
  const next32 = (): number => {
    const t = (((sa + sb) >>> 0) + sd) >>> 0;
    sd = (sd + 1) >>> 0;
    sa = sb ^ (sb >>> 9);
    sb = (sc + (sc << 3)) >>> 0;
    sc = (sc << 21) | (sc >>> 11);
    sc = (sc + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next32();
  /** Uniform integer on [0, n). */
  const below = (n: number): number => Math.floor((next32() * n) / 4294967296);

  const isOpen = (peer: number): boolean => ((openBits[peer >>> 5] as number) & (1 << (peer & 31))) !== 0;
  const close = (peer: number): void => {
    openBits[peer >>> 5] = (openBits[peer >>> 5] as number) & ~(1 << (peer & 31));
  };
  /** The open peer at this place of the open list, dropping closed ones found there; -1 past its end. */
  const openAt = (index: number): number => {
    while (index < openCount) {
      const peer = open[index] as number;
      if (isOpen(peer)) return peer;
      open[index] = open[--openCount] as number;
    }
    return -1;
  };

  /** The peer's download credit now, its bucket filled up to this step. */
  const downloadCreditOf = (peer: number): number => {
    const base = peer * rowLength;
    const missed = step - (row[base + ROW_STAMP] as number);
    let credit = rowCredit[peer * creditStride] as number;
    if (missed > 0) {
      credit += missed * downloadStep;
      if (credit > downloadCap) credit = downloadCap;
      rowCredit[peer * creditStride] = credit;
      row[base + ROW_STAMP] = step;
    }
    return credit;
  };
  /** The uploader's upload credit now, its bucket filled up to this step. */
  const uploadCreditOf = (uploader: number): number => {
    const missed = step - (uploadStamp[uploader] as number);
    let credit = uploadCredit[uploader] as number;
    if (missed > 0) {
      const rate = peerUploads[uploader] as number;
      credit += missed * rate * dt;
      const cap = rate * dt + chunkSize;
      if (credit > cap) credit = cap;
      uploadCredit[uploader] = credit;
      uploadStamp[uploader] = step;
    }
    return credit;
  };

  const candidateAt = (k: number): number => {
    let rest = k;
    for (let w = 0; w < words; w++) {
      const bits = candidateBits[w] as number;
      if (rest < bits) return w * WORD_BITS + nthSetBit(candidate[w] as number, rest);
      rest -= bits;
    }
    return -1;
  };

  const firstCandidate = (): number => {
    for (let w = 0; w < words; w++) {
      const bits = candidate[w] as number;
      if (bits !== 0) return w * WORD_BITS + (31 - Math.clz32(bits & -bits));
    }
    return -1;
  };

  /**
   * Picks a chunk set in `candidate`, the rarer of two random ones: most of the gain
   * of BitTorrent's rarest-first at a fraction of its cost. -1 when none.
   */
  const pickCandidate = (): number => {
    let total = 0;
    for (let w = 0; w < words; w++) {
      const bits = popcount(candidate[w] as number);
      candidateBits[w] = bits;
      total += bits;
    }
    if (total === 0) return -1;
    if (total === 1) return candidateAt(0);
    // Two picks from one 32-bit draw, 16 bits each (total ≤ 256, so the bias is below 0.4%).
    const draw = next32();
    const first = candidateAt(((draw & 0xffff) * total) >>> 16);
    const second = candidateAt(((draw >>> 16) * total) >>> 16);
    return (copies[second] as number) < (copies[first] as number) ? second : first;
  };

  /** Gives `peer` the chunk, sent by the server (sender −1) or by peer `sender`. */
  const deliver = (peer: number, chunk: number, sender: number): void => {
    if (observer) observer.transfer(sender, peer, chunk);
    const base = peer * rowLength;
    const index = base + RECEIVED_BITS + (chunk >>> 5);
    row[index] = (row[index] as number) | (1 << (chunk & 31));
    const count = (row[base + ROW_RECEIVED] as number) + 1;
    row[base + ROW_RECEIVED] = count;
    copies[chunk] = (copies[chunk] as number) + 1;
    const lackingIndex = chunk * peerWords + (peer >>> 5);
    lacking[lackingIndex] = (lacking[lackingIndex] as number) & ~(1 << (peer & 31));
    lackingCount[chunk] = (lackingCount[chunk] as number) - 1;
    const credit = downloadCreditOf(peer) - chunkSize;
    rowCredit[peer * creditStride] = credit;
    if (arrivedCount === arrived.length) {
      const grown = new Int32Array(Math.min(peers * chunks, 2 * arrived.length));
      grown.set(arrived);
      arrived = grown;
    }
    arrived[arrivedCount++] = (peer << CHUNK_CODE_BITS) | chunk;
    if (count === chunks) finishedThisStep[finishedCount++] = peer;
    if (credit < chunkSize || count === chunks) close(peer);
  };

  /** Fills `candidate` with the chunks `have[haveBase…]` offers that `peer` lacks; false when none. */
  const offers = (have: Int32Array, haveBase: number, peer: number): boolean => {
    const base = peer * rowLength + RECEIVED_BITS;
    let any = 0;
    for (let w = 0; w < words; w++) {
      const bits = (have[haveBase + w] as number) & ~(row[base + w] as number);
      candidate[w] = bits;
      any |= bits;
    }
    return any !== 0;
  };

  /**
   * Gives an open peer one chunk from a ready uploader that holds a chunk it lacks,
   * probing up to `receiverProbes` ready uploaders from a random place. False when none
   * of them can serve it (others may: the uploaders' own pass settles that).
   */
  const receiverProbes = 16;
  const receiveFromPeers = (peer: number): boolean => {
    const start = below(readyCount);
    const probes = Math.min(readyCount, receiverProbes);
    for (let i = 0; i < probes; i++) {
      let index = start + i;
      if (index >= readyCount) index -= readyCount;
      const uploader = ready[index] as number;
      if (offers(row, uploader * rowLength + USABLE_BITS, peer)) {
        deliver(peer, pickCandidate(), uploader);
        const credit = (uploadCredit[uploader] as number) - chunkSize;
        uploadCredit[uploader] = credit;
        if (credit < chunkSize) ready[index] = ready[--readyCount] as number;
        return true;
      }
    }
    return false;
  };

  /**
   * Sends one chunk from an uploader to an open peer that lacks one of its chunks,
   * scanning every open peer from a random place. False when no open peer can use it.
   */
  const senderProbes = 8;
  const sendFromPeer = (uploader: number): boolean => {
    const base = uploader * rowLength + USABLE_BITS;
    let covered = true;
    for (let w = 0; w < words; w++) {
      if (((row[base + w] as number) & ~(everyoneHas[w] as number)) !== 0) {
        covered = false;
        break;
      }
    }
    if (covered) return false;
    let index = below(openCount);
    for (let probe = 0; probe < senderProbes && openCount > 0; probe++) {
      if (index >= openCount) index = 0;
      const peer = openAt(index);
      if (peer < 0) continue;
      if (offers(row, base, peer)) {
        deliver(peer, pickCandidate(), uploader);
        return true;
      }
      index++;
    }
    // The probes missed (most open peers already have this sender's chunks): look up, chunk
    // by chunk, an open peer that lacks one, from a random place in the chunk's bitset.
    // This search is exhaustive, so a sender is idle only when no open peer can use it.
    if (openCount > 0) {
      for (let w = 0; w < words; w++) {
        let bits = (row[base + w] as number) & ~(everyoneHas[w] as number);
        while (bits !== 0) {
          const low = bits & -bits;
          bits ^= low;
          const chunk = w * WORD_BITS + 31 - Math.clz32(low);
          if ((lackingCount[chunk] as number) === 0) continue;
          const offset = chunk * peerWords;
          const from = below(peerWords);
          for (let i = 0; i < peerWords; i++) {
            let word = from + i;
            if (word >= peerWords) word -= peerWords;
            const found = (lacking[offset + word] as number) & (openBits[word] as number);
            if (found !== 0) {
              const peer = word * WORD_BITS + 31 - Math.clz32(found & -found);
              offers(row, base, peer);
              deliver(peer, pickCandidate(), uploader);
              return true;
            }
          }
          // No open peer lacks this chunk, for the rest of the step: no sender searches for it again.
          everyoneHas[w] = (everyoneHas[w] as number) | low;
        }
      }
    }
    // Nobody open can use this uploader: every chunk it holds is now in everyoneHas.
    return false;
  };

  /** Whether every peer still downloading has every chunk in uploadersHold (a stall). */
  const stallHolds = (): boolean => {
    for (let w = 0; w < words; w++) {
      let bits = uploadersHold[w] as number;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        if ((lackingCount[w * WORD_BITS + 31 - Math.clz32(low)] as number) > 0) return false;
      }
    }
    return true;
  };

  // A run far above its bound (peers that leave with nothing left to give) doubles its step
  // after every `stepsPerStage` steps, so that it keeps its relative time resolution and
  // ends in a bounded number of steps; rates are kept exactly as before.
  const stepsPerStage = Math.max(2 * Math.ceil(bound / dt), 16 * chunks) + 100;
  const maxStages = 64;
  let now = 0;
  for (; needyCount > 0; step++) {
    if (step > 0 && step % stepsPerStage === 0) {
      if (step / stepsPerStage > maxStages) throw new Error('swarm simulation did not converge');
      // Fill every bucket up to the last step at the old rate per step, then change it.
      step--;
      for (let i = 0; i < needyCount; i++) downloadCreditOf(needy[i] as number);
      for (let i = 0; i < uploaderCount; i++) uploadCreditOf(uploaders[i] as number);
      step++;
      dt *= 2;
      downloadStep = peerDownload * dt;
      downloadCap = downloadStep + chunkSize;
    }
    openCount = 0;
    // When a step's download fills a chunk's worth, every peer still downloading starts the
    // step open: the open list is then a copy of the needy list, made before the server
    // sends (whose deliveries close the peers they fill), and buckets are filled as touched.
    const everyoneOpens = !stalled && downloadStep >= chunkSize;
    if (everyoneOpens) {
      open.set(needy.subarray(0, needyCount));
      openBits.set(needyBits);
      openCount = needyCount;
    }

    // The server holds every chunk, so any peer with download credit can use one: fresh
    // chunks first so the swarm gets every chunk early, then the rarer of two the peer
    // lacks. It stops after a whole round finds nobody that can take a chunk.
    serverCredit = Math.min(serverCredit + serverUpload * dt, serverUpload * dt + chunkSize);
    let passed = 0;
    while (serverCredit >= chunkSize && passed < needyCount) {
      if (serverCursor >= needyCount) serverCursor = 0;
      const peer = needy[serverCursor++] as number;
      if ((row[peer * rowLength + ROW_RECEIVED] as number) === chunks || downloadCreditOf(peer) < chunkSize) {
        passed++;
        continue;
      }
      passed = 0;
      let chunk: number;
      if (serverFreshChunk < chunks) chunk = serverFreshChunk++;
      else {
        offers(allChunks, 0, peer);
        // Rarity only matters to a swarm; when nobody forwards, any missing chunk will do.
        chunk = anyUploader ? pickCandidate() : firstCandidate();
      }
      deliver(peer, chunk, SERVER);
      serverCredit -= chunkSize;
    }

    let peerSends = 0;
    if (!stalled) {
      // Open peers: still downloading, with a chunk's worth of download credit. (Every peer
      // open has at least downloadStep of it, which is all the slot count needs: it only
      // decides which side goes first below.)
      const slotsEach = Math.floor(downloadStep / chunkSize);
      let openSlots = openCount * slotsEach;
      if (!everyoneOpens) {
        openBits.fill(0);
        for (let i = 0; i < needyCount; i++) {
          const peer = needy[i] as number;
          if ((row[peer * rowLength + ROW_RECEIVED] as number) === chunks) continue;
          const credit = downloadCreditOf(peer);
          if (credit >= chunkSize) {
            open[openCount++] = peer;
            openBits[peer >>> 5] = (openBits[peer >>> 5] as number) | (1 << (peer & 31));
            openSlots += Math.floor(credit / chunkSize);
          }
        }
      }
      everyoneHas.fill(0);

      // Uploaders with a chunk's worth of credit and something to forward are ready.
      readyCount = 0;
      let readySends = 0;
      for (let w = 0; w < words; w++) everyoneNeedyHas[w] = 0;
      for (let chunk = 0; chunk < chunks; chunk++) {
        if ((lackingCount[chunk] as number) === 0)
          everyoneNeedyHas[chunk >>> 5] = (everyoneNeedyHas[chunk >>> 5] as number) | (1 << (chunk & 31));
      }
      for (let peerWord = 0; peerWord < peerWords; peerWord++) {
        let candidates = usefulBits[peerWord] as number;
        while (candidates !== 0) {
          const low = candidates & -candidates;
          candidates ^= low;
          const uploader = peerWord * WORD_BITS + 31 - Math.clz32(low);
          const uploaderBase = uploader * rowLength;
          let useful = 0;
          if ((row[uploaderBase + ROW_UPLOADING] as number) === 1) {
            for (let w = 0; w < words; w++) useful |= (row[uploaderBase + USABLE_BITS + w] as number) & ~(everyoneNeedyHas[w] as number);
          }
          if (useful === 0) {
            usefulBits[peerWord] = (usefulBits[peerWord] as number) & ~low;
            continue;
          }
          const credit = uploadCreditOf(uploader);
          if (credit < chunkSize) continue;
          ready[readyCount++] = uploader;
          readySends += Math.floor(credit / chunkSize);
        }
      }
      // With no uploader ready, only the server could have served anyone, and it has had its
      // turn. (A peer that no ready uploader can serve is left open: a sender's search passes
      // it over, and it costs nothing else.)
      if (readyCount === 0) openCount = 0;

      // Download is the scarce side when the ready uploaders could send more than the open
      // peers can take: then each open peer, picked at random, looks for a ready uploader
      // holding a chunk it lacks, a few probes at most (cheap when holdings are diverse).
      // Whatever is left, or when upload is the scarce side, the uploaders send: each, from a
      // random place in the list, until no open peer lacks a chunk it holds (no cap), so no
      // sender is idle while some open peer could use it.
      if (readySends > openSlots) {
        while (openCount > 0 && readyCount > 0) {
          const peer = openAt(below(openCount));
          if (peer < 0) continue;
          if (!receiveFromPeers(peer)) break;
          peerSends++;
        }
      }
      const start = readyCount > 0 ? below(readyCount) : 0;
      for (let offset = 0; offset < readyCount && openCount > 0; offset++) {
        let index = start + offset;
        if (index >= readyCount) index -= readyCount;
        const uploader = ready[index] as number;
        let credit = uploadCredit[uploader] as number;
        while (credit >= chunkSize && openCount > 0 && sendFromPeer(uploader)) {
          credit -= chunkSize;
          peerSends++;
        }
        uploadCredit[uploader] = credit;
      }
      openCount = 0;
    }

    // End of step: arrivals become forwardable; finished peers are recorded (and leave).
    now += dt;
    for (let f = 0; f < finishedCount; f++) {
      const peer = finishedThisStep[f] as number;
      completionTimes[peer] = now;
      needyBits[peer >>> 5] = (needyBits[peer >>> 5] as number) & ~(1 << (peer & 31));
      const position = needyPosition[peer] as number;
      const last = needy[--needyCount] as number;
      needy[position] = last;
      needyPosition[last] = position;
      if (leaveWhenDone && (uploaderPosition[peer] as number) >= 0) {
        const at = uploaderPosition[peer] as number;
        const lastUploader = uploaders[--uploaderCount] as number;
        uploaders[at] = lastUploader;
        uploaderPosition[lastUploader] = at;
        uploaderPosition[peer] = -1;
        row[peer * rowLength + ROW_UPLOADING] = 0;
      }
    }
    finishedCount = 0;
    for (let a = 0; a < arrivedCount; a++) {
      const code = arrived[a] as number;
      const peer = code >>> CHUNK_CODE_BITS;
      const chunk = code & ((1 << CHUNK_CODE_BITS) - 1);
      const word = chunk >>> 5;
      const bit = 1 << (chunk & 31);
      const base = peer * rowLength;
      row[base + USABLE_BITS + word] = (row[base + USABLE_BITS + word] as number) | bit;
      row[base + ROW_USABLE] = (row[base + ROW_USABLE] as number) + 1;
      if ((row[base + ROW_UPLOADING] as number) === 1) usefulBits[peer >>> 5] = (usefulBits[peer >>> 5] as number) | (1 << (peer & 31));
      // An uploader still here with a chunk no uploader had: the swarm may move again.
      if ((row[base + ROW_UPLOADING] as number) === 1 && ((uploadersHold[word] as number) & bit) === 0) {
        uploadersHold[word] = (uploadersHold[word] as number) | bit;
        stalled = false;
      }
    }
    arrivedCount = 0;
    // A step in which no peer could send may be the start of a stall: check it, and if a
    // chunk whose holders have all left keeps it from holding, check again with the chunks
    // the uploaders still here hold.
    if (!stalled && peerSends === 0) {
      if (stallHolds()) stalled = true;
      else {
        uploadersHold.fill(0);
        for (let i = 0; i < uploaderCount; i++) {
          const base = (uploaders[i] as number) * rowLength + USABLE_BITS;
          for (let w = 0; w < words; w++) uploadersHold[w] = (uploadersHold[w] as number) | (row[base + w] as number);
        }
        stalled = stallHolds();
      }
    }
    if (observer) observer.stepEnd(now, dt, receivedCounts());
  }

  completionTimes.sort();
  return { time: now, completionTimes, bound, steps: step };

  /** Chunks each peer holds, for the observer (a copy, made only when observed). */
  function receivedCounts(): Int32Array {
    const counts = new Int32Array(peers);
    for (let peer = 0; peer < peers; peer++) counts[peer] = row[peer * rowLength + ROW_RECEIVED] as number;
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
