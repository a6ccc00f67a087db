import { createRandom, type Random } from '../kernel/random';
import { logSpacedIntegers } from '../kernel/stats';
import { formatDuration, formatSig } from '../kernel/format';
import type { LabModel, LabResult, Point } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import { manifest } from './manifest';

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
  return Math.max(
    fileSize / serverUpload,
    fileSize / peerDownload,
    (peers * fileSize) / (serverUpload + totalUpload(input)),
  );
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

/** Index of the k-th (0-based) set bit of a word. */
function nthSetBit(word: number, k: number): number {
  let w = word;
  for (let skip = k; skip > 0; skip--) w &= w - 1;
  return 31 - Math.clz32(w & -w);
}

/**
 * Chunk-level swarm. Credits model rates exactly: a node earns rate·dt bits per
 * step and may bank at most one chunk's worth beyond a step, so no node ever sends
 * faster than its rate, and the simulated time can never beat the bound.
 */
export function simulateSwarm(config: SwarmConfig, random: Random): SwarmOutcome {
  const { peers, fileSize, chunks, serverUpload, peerDownload, peerUploads, leaveWhenDone } = config;
  const chunkSize = fileSize / chunks;
  const words = Math.ceil(chunks / WORD_BITS);
  const lastWordMask = chunks % WORD_BITS === 0 ? 0xffffffff : (1 << chunks % WORD_BITS) - 1;

  let uploadSum = 0;
  for (let i = 0; i < peers; i++) uploadSum += peerUploads[i] as number;
  const meanUpload = uploadSum / peers;
  const bound = peerToPeerBound({ peers, fileSize, serverUpload, peerDownload, peerUploads });

  // A step short enough that a typical peer moves about one chunk, but never so short
  // that a run takes more than ~24 steps per chunk of the bound.
  const stepsPerChunkCap = 24;
  const dt = Math.max(chunkSize / Math.max(meanUpload, peerDownload), bound / (stepsPerChunkCap * chunks));

  // received: chunks a peer has, including those that arrived this step;
  // usable: chunks it may forward (arrived before this step).
  const received = new Uint32Array(peers * words);
  const usable = new Uint32Array(peers * words);
  const receivedCount = new Int32Array(peers);
  const uploadCredit = new Float64Array(peers);
  const downloadCredit = new Float64Array(peers);
  const completionTimes = new Float64Array(peers);
  const arrivedPeer: number[] = [];
  const arrivedChunk: number[] = [];

  // Peers still downloading, with a position map for O(1) removal.
  const needy = Int32Array.from({ length: peers }, (_, i) => i);
  const needyPosition = Int32Array.from({ length: peers }, (_, i) => i);
  let needyCount = peers;
  // Peers that upload; a peer that leaves when done is removed.
  const uploaders = Int32Array.from({ length: peers }, (_, i) => i);
  let uploaderCount = peers;
  const uploaderPosition = Int32Array.from({ length: peers }, (_, i) => i);
  const leavingThisStep: number[] = [];

  let serverCredit = 0;
  let serverFreshChunk = 0;
  const candidate = new Uint32Array(words);
  const copies = new Int32Array(chunks);

  const removeNeedy = (peer: number): void => {
    const position = needyPosition[peer] as number;
    const last = needy[--needyCount] as number;
    needy[position] = last;
    needyPosition[last] = position;
  };
  const removeUploader = (peer: number): void => {
    const position = uploaderPosition[peer] as number;
    const last = uploaders[--uploaderCount] as number;
    uploaders[position] = last;
    uploaderPosition[last] = position;
  };

  const candidateAt = (k: number): number => {
    let rest = k;
    for (let w = 0; w < words; w++) {
      const bits = popcount(candidate[w] as number);
      if (rest < bits) return w * WORD_BITS + nthSetBit(candidate[w] as number, rest);
      rest -= bits;
    }
    return -1;
  };

  /**
   * Picks a chunk set in `candidate`, the rarer of two random ones: most of the gain
   * of BitTorrent's rarest-first at a fraction of its cost. -1 when none.
   */
  const pickCandidate = (): number => {
    let total = 0;
    for (let w = 0; w < words; w++) total += popcount(candidate[w] as number);
    if (total === 0) return -1;
    const first = candidateAt(random.int(total));
    if (total === 1) return first;
    const second = candidateAt(random.int(total));
    return (copies[second] as number) < (copies[first] as number) ? second : first;
  };

  const deliver = (peer: number, chunk: number): void => {
    const index = peer * words + (chunk >>> 5);
    received[index] = (received[index] as number) | (1 << (chunk & 31));
    receivedCount[peer] = (receivedCount[peer] as number) + 1;
    copies[chunk] = (copies[chunk] as number) + 1;
    downloadCredit[peer] = (downloadCredit[peer] as number) - chunkSize;
    arrivedPeer.push(peer);
    arrivedChunk.push(chunk);
  };

  /** Tries a few random needy peers that can take a chunk this uploader holds. */
  const findRecipient = (uploader: number): { peer: number; chunk: number } | null => {
    const attempts = Math.min(6, needyCount);
    for (let attempt = 0; attempt < attempts; attempt++) {
      const peer = needy[random.int(needyCount)] as number;
      if (peer === uploader || (downloadCredit[peer] as number) < chunkSize) continue;
      const base = peer * words;
      for (let w = 0; w < words; w++) {
        const have = uploader < 0 ? (w === words - 1 ? lastWordMask : 0xffffffff) : (usable[uploader * words + w] as number);
        candidate[w] = have & ~(received[base + w] as number);
      }
      const chunk = pickCandidate();
      if (chunk >= 0) return { peer, chunk };
    }
    return null;
  };

  const maxSteps = Math.ceil((bound / dt) * 50) + 10 * chunks + 100;
  let step = 0;
  for (; needyCount > 0; step++) {
    if (step > maxSteps) throw new Error('swarm simulation did not converge');
    const uploadCap = (rate: number): number => Math.max(rate * dt, chunkSize);
    for (let i = 0; i < needyCount; i++) {
      const peer = needy[i] as number;
      downloadCredit[peer] = Math.min((downloadCredit[peer] as number) + peerDownload * dt, uploadCap(peerDownload));
    }

    // The server: fresh chunks first so the swarm gets every chunk early, then any chunk a peer lacks.
    serverCredit = Math.min(serverCredit + serverUpload * dt, uploadCap(serverUpload));
    while (serverCredit >= chunkSize && needyCount > 0) {
      let sent = false;
      if (serverFreshChunk < chunks) {
        const chunk = serverFreshChunk;
        const attempts = Math.min(6, needyCount);
        for (let attempt = 0; attempt < attempts && !sent; attempt++) {
          const peer = needy[random.int(needyCount)] as number;
          const bit = received[peer * words + (chunk >>> 5)]! & (1 << (chunk & 31));
          if ((downloadCredit[peer] as number) >= chunkSize && bit === 0) {
            deliver(peer, chunk);
            serverFreshChunk++;
            sent = true;
          }
        }
      } else {
        const target = findRecipient(-1);
        if (target) {
          deliver(target.peer, target.chunk);
          sent = true;
        }
      }
      if (!sent) break;
      serverCredit -= chunkSize;
    }

    // Peers, starting at a random place in the list so no peer is always first.
    const start = uploaderCount > 0 ? random.int(uploaderCount) : 0;
    for (let offset = 0; offset < uploaderCount && needyCount > 0; offset++) {
      const uploader = uploaders[(start + offset) % uploaderCount] as number;
      const rate = peerUploads[uploader] as number;
      if (rate <= 0) continue;
      let credit = Math.min((uploadCredit[uploader] as number) + rate * dt, uploadCap(rate));
      while (credit >= chunkSize && needyCount > 0) {
        const target = findRecipient(uploader);
        if (!target) break;
        deliver(target.peer, target.chunk);
        credit -= chunkSize;
      }
      uploadCredit[uploader] = credit;
    }

    // End of step: arrivals become forwardable; finished peers are recorded.
    const now = (step + 1) * dt;
    for (let a = 0; a < arrivedPeer.length; a++) {
      const peer = arrivedPeer[a] as number;
      const chunk = arrivedChunk[a] as number;
      const index = peer * words + (chunk >>> 5);
      usable[index] = (usable[index] as number) | (1 << (chunk & 31));
      if (receivedCount[peer] === chunks && needyPosition[peer]! < needyCount && needy[needyPosition[peer]!] === peer) {
        completionTimes[peer] = now;
        removeNeedy(peer);
        if (leaveWhenDone) leavingThisStep.push(peer);
      }
    }
    arrivedPeer.length = 0;
    arrivedChunk.length = 0;
    for (const peer of leavingThisStep) removeUploader(peer);
    leavingThisStep.length = 0;
  }

  completionTimes.sort();
  return { time: step * dt, completionTimes, bound, steps: step };
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

function completionCurve(times: Float64Array, maxPoints = 120): Point[] {
  const curve: Point[] = [[0, 0]];
  const count = times.length;
  const stride = Math.max(1, Math.floor(count / maxPoints));
  for (let i = stride - 1; i < count; i += stride) curve.push([times[i] as number, ((i + 1) / count) * 100]);
  const last = curve[curve.length - 1] as Point;
  if (last[1] < 100) curve.push([times[count - 1] as number, 100]);
  return curve;
}

export const fileDistribution: LabModel = {
  manifest,
  benchCases: [100, 1_000, 10_000].map((size) => ({ size, params: { ...defaults(manifest), peers: size } })),
  run(raw, context): LabResult {
    const params = raw as FileDistributionParams;
    const random = createRandom(context.seed);
    const fileSize = params.fileSize * GBIT;
    const common = { fileSize, serverUpload: params.serverUpload, peerDownload: params.peerDownload };

    const dense = logSpacedIntegers(1, params.peers, 60);
    const csBound: Point[] = dense.map((n) => [n, clientServerBound({ ...common, peers: n })]);
    const p2pBound: Point[] = dense.map((n) => [n, peerToPeerBound({ ...common, peers: n, peerUploads: params.peerUpload })]);

    const simulated = logSpacedIntegers(1, params.peers, 9);
    const totalWork = simulated.reduce((sum, n) => sum + 2 * n, 0);
    let doneWork = 0;
    const csSim: Point[] = [];
    const p2pSim: Point[] = [];
    let largestCs: SwarmOutcome | null = null;
    let largestP2p: SwarmOutcome | null = null;
    for (const n of simulated) {
      const uploads = drawUploads(n, params.peerUpload, params.uploadSpread, random);
      const swarm = { ...common, peers: n, chunks: params.chunks, leaveWhenDone: params.afterDone === 'leave' };
      const p2p = simulateSwarm({ ...swarm, peerUploads: uploads }, random);
      doneWork += n;
      context.progress(doneWork / totalWork);
      const cs = simulateSwarm({ ...swarm, peerUploads: new Float64Array(n) }, random);
      doneWork += n;
      context.progress(doneWork / totalWork);
      p2pSim.push([n, p2p.time]);
      csSim.push([n, cs.time]);
      largestCs = cs;
      largestP2p = p2p;
    }
    if (!largestCs || !largestP2p) throw new Error('no peers to simulate');

    const n = params.peers;
    const csAtN = clientServerBound({ ...common, peers: n });
    const p2pAtN = largestP2p.bound;
    const crossover = params.serverUpload / params.peerDownload;
    const ceiling = Math.max(fileSize / params.serverUpload, fileSize / params.peerDownload, params.peerUpload > 0 ? fileSize / params.peerUpload : Infinity);
    const summary =
      `With ${n} peers, client-server distribution takes ${formatDuration(largestCs.time)} (bound ${formatDuration(csAtN)}) ` +
      `and the P2P swarm ${formatDuration(largestP2p.time)} (bound ${formatDuration(p2pAtN)}). ` +
      `Client-server time grows in proportion to N once N exceeds u_s/d = ${formatSig(crossover)}; ` +
      (params.peerUpload > 0
        ? `P2P time levels off below max(F/u_s, F/d, F/u) = ${formatDuration(ceiling)}.`
        : 'with peers that do not upload, P2P is client-server.');

    const serverOverloaded = n > crossover;
    const p2pFaster = largestP2p.time < largestCs.time;
    const verdict = [
      serverOverloaded
        ? `“A server may become overloaded” holds here: beyond ${formatSig(crossover)} peers the server's upload is the bottleneck, and each extra peer adds F/u_s = ${formatDuration(fileSize / params.serverUpload)}.`
        : `“A server may become overloaded” does not show here: with at most ${n} peers the server (u_s/d = ${formatSig(crossover)}) is never the bottleneck.`,
      p2pFaster
        ? `“P2P is not bottlenecked” holds: every peer adds upload capacity, so the swarm is ${formatSig(largestCs.time / largestP2p.time)}× faster at N = ${n}.`
        : `“P2P is not bottlenecked” fails for these settings: the peers add too little upload (or leave too soon) to beat the server.`,
      p2pFaster
        ? '“P2P is less scalable” is contradicted: the swarm’s time grows more slowly with N than the server’s.'
        : '“P2P is less scalable” is not contradicted here, because the peers contribute (almost) nothing.',
    ].join(' ');

    return {
      series: {
        csBound,
        p2pBound,
        csSim,
        p2pSim,
        csDone: completionCurve(largestCs.completionTimes),
        p2pDone: completionCurve(largestP2p.completionTimes),
      },
      summary,
      verdict,
      outputs: {
        crossover,
        csTime: largestCs.time,
        p2pTime: largestP2p.time,
        speedup: largestCs.time / largestP2p.time,
        p2pCeiling: ceiling,
      },
    };
  },
};
