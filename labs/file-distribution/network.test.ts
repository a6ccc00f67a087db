import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaults } from '../kernel/manifest';
import { quietContext } from '../kernel/model';
import { createRandom } from '../kernel/random';
import { MAX_FRAMES, type NetworkTrace, type TracePanel } from '../kernel/trace';
import {
  VIEW_PEERS,
  drawUploads,
  fileDistribution,
  fileDistributionNetwork,
  simulateSwarm,
  type FileDistributionNetwork,
  type FileDistributionParams,
  type SwarmConfig,
} from './model';
import {
  CLIENT_SERVER_PANEL,
  MESSAGE_BUDGET,
  MESSAGE_KIND,
  NODE_STATE,
  SERVER,
  SWARM_PANEL,
  SwarmStepLog,
  describeFrame,
  type FrameNumbers,
  type SideNumbers,
} from './network';

const base = defaults(fileDistribution.manifest) as FileDistributionParams;
const settings: Record<string, Partial<FileDistributionParams>> = {
  defaults: {},
  'peers that leave': { afterDone: 'leave' },
  '256 chunks': { chunks: 256 },
  'uploads faster than downloads': { peerUpload: 10 },
  'one piece, peers leave': { chunks: 1, afterDone: 'leave' },
  'one peer': { peers: 1 },
  'seven peers, spread uploads': { peers: 7, uploadSpread: 1 },
  'no uploads': { peerUpload: 0 },
  'a data-centre server': { serverUpload: 10_000 },
  'a huge slow file': { fileSize: 1000, chunks: 256, serverUpload: 100_000, peerDownload: 0.01 },
};
const cache = new Map<string, FileDistributionNetwork>();
const network = (name: string, seed = 1): FileDistributionNetwork => {
  const key = `${name}/${seed}`;
  if (!cache.has(key)) cache.set(key, fileDistributionNetwork({ ...base, ...settings[name] } as FileDistributionParams, seed));
  return cache.get(key)!;
};
const paramsOf = (name: string): FileDistributionParams => ({ ...base, ...settings[name] }) as FileDistributionParams;
const names = Object.keys(settings);

const frameStates = (panel: TracePanel, frame: number): number[] =>
  Array.from(panel.states.subarray(frame * panel.nodes, (frame + 1) * panel.nodes));
const frameLevels = (panel: TracePanel, frame: number): number[] =>
  Array.from(panel.levels.subarray(frame * panel.nodes, (frame + 1) * panel.nodes));
const framesOf = (trace: NetworkTrace): number => trace.times.length;

/** The numbers a description states for one side, read back from its words. */
function readSide(text: string, peers: number): { complete: number; serverChunks: number | null; peerChunks: number | null } {
  const single = /the peer (has|does not have) the whole file/.exec(text);
  const counted = /(\d[\d,]*) of (\d[\d,]*) peers? ha(?:s|ve) the whole file/.exec(text);
  let complete: number;
  if (peers === 1) complete = single?.[1] === 'has' ? 1 : 0;
  else {
    expect(counted, text).not.toBeNull();
    expect(Number(counted![2]!.replace(/,/g, ''))).toBe(peers);
    complete = Number(counted![1]!.replace(/,/g, ''));
  }
  const server = /the server sends (\d[\d,]*) chunks?/.exec(text);
  const fromPeers = /peers send (\d[\d,]*) to each other/.exec(text);
  return {
    complete,
    serverChunks: server ? Number(server[1]!.replace(/,/g, '')) : null,
    peerChunks: fromPeers ? Number(fromPeers[1]!.replace(/,/g, '')) : null,
  };
}

describe('the network view of file distribution', () => {
  it('is the same trace for the same seed, and another for another seed', () => {
    // Seven peers would not do: the server alone fills their downloads, so no peer ever uploads and no random choice is made.
    const params = { ...base, uploadSpread: 1 };
    expect(fileDistributionNetwork(params, 5).trace).toEqual(fileDistributionNetwork(params, 5).trace);
    expect(fileDistributionNetwork(params, 6).trace.panels[SWARM_PANEL]).not.toEqual(
      fileDistributionNetwork(params, 5).trace.panels[SWARM_PANEL],
    );
  });

  it('is what the lab run returns, on its own seed', () => {
    const params = { ...base, peers: 100 };
    const result = fileDistribution.run(params, quietContext(3));
    expect(result.network).toEqual(fileDistributionNetwork(params, 3).trace);
    expect(result.network!.caption).toMatch(/^20 of the 100 peers; the file in 100 chunks as set; every other parameter as set\./);
  });

  it.each(names)('keeps within the limits: %s', (name) => {
    const { trace } = network(name);
    const peers = Math.min(VIEW_PEERS, paramsOf(name).peers);
    const frames = framesOf(trace);
    expect(trace.panels).toHaveLength(2);
    expect(frames).toBeGreaterThanOrEqual(2);
    expect(frames).toBeLessThanOrEqual(MAX_FRAMES);
    expect(trace.descriptions).toHaveLength(frames);
    // Frames at multiples of one interval, the same on both sides (one recorder, one clock).
    const frameLength = trace.times[1]!;
    trace.times.forEach((time, frame) => expect(time).toBeCloseTo(frame * frameLength, 6));
    let messages = 0;
    for (const panel of trace.panels) {
      expect(panel.nodes).toBe(peers + 1);
      expect(panel.states).toHaveLength(frames * panel.nodes);
      expect(panel.levels).toHaveLength(frames * panel.nodes);
      expect(panel.messageStart).toHaveLength(frames + 1);
      const count = panel.messageFrom.length;
      messages += count;
      expect(panel.messageStart[frames]).toBe(count);
      // Violations collected, one assertion each (an expect per element is slow).
      const badMessages: number[] = [];
      for (let m = 0; m < count; m++) {
        const from = panel.messageFrom[m]!;
        const to = panel.messageTo[m]!;
        const kind = from === 0 ? MESSAGE_KIND.fromServer : MESSAGE_KIND.fromPeer;
        if (from >= panel.nodes || to >= panel.nodes || to === 0 || to === from || panel.messageKind[m] !== kind) badMessages.push(m);
      }
      expect(badMessages).toEqual([]);
      expect(panel.levels.every((level) => level >= 0 && level <= 1)).toBe(true);
    }
    expect(messages).toBeLessThanOrEqual(MESSAGE_BUDGET);
    expect(trace.panels[CLIENT_SERVER_PANEL]!.messageFrom.every((from) => from === 0)).toBe(true);
    for (const text of [trace.caption, ...trace.descriptions]) expect(text).not.toMatch(/NaN|undefined|Infinity|null|∞/);
  });

  it.each(names)('every frame shows the numbers its description states: %s', (name) => {
    const { trace, frames } = network(name);
    const params = paramsOf(name);
    const peers = Math.min(VIEW_PEERS, params.peers);
    const leaving = params.afterDone === 'leave';
    trace.descriptions.forEach((description, frame) => {
      const numbers = frames[frame]!;
      expect(description).toBe(describeFrame(numbers));
      for (const [panelIndex, side, key] of [
        [CLIENT_SERVER_PANEL, numbers.clientServer, 'Client-server'],
        [SWARM_PANEL, numbers.swarm, 'Swarm'],
      ] as const) {
        const panel = trace.panels[panelIndex]!;
        const states = frameStates(panel, frame);
        const levels = frameLevels(panel, frame);
        expect(states[0]).toBe(NODE_STATE.server);
        const wholeState = panelIndex === SWARM_PANEL && leaving ? NODE_STATE.left : NODE_STATE.complete;
        const whole = states.filter((state) => state === wholeState).length;
        expect(whole).toBe(side.complete);
        expect(states.filter((state) => state === NODE_STATE.empty || state === NODE_STATE.partial || state === wholeState).length).toBe(
          peers,
        );
        const barMismatch = states.slice(1).filter((state, p) => {
          const level = levels[p + 1]!;
          return state === wholeState ? level !== 1 : state === NODE_STATE.empty ? level !== 0 : !(level > 0 && level < 1);
        });
        expect(barMismatch).toEqual([]);
        // Lines of the frame: one per sender and receiver; a kind is drawn only when the words count its chunks.
        const start = panel.messageStart[frame]!;
        const end = panel.messageStart[frame + 1]!;
        const kinds = Array.from(panel.messageKind.subarray(start, end));
        const fromServer = kinds.filter((kind) => kind === MESSAGE_KIND.fromServer).length;
        const fromPeers = kinds.length - fromServer;
        expect(fromServer).toBeLessThanOrEqual(side.serverChunks);
        expect(fromServer > 0).toBe(side.serverChunks > 0);
        expect(fromPeers).toBeLessThanOrEqual(side.peerChunks);
        expect(fromPeers > 0).toBe(side.peerChunks > 0);
        if (frame === 0) continue;
        const words = description.split(' Swarm: ')[panelIndex === SWARM_PANEL ? 1 : 0]!;
        expect(words.startsWith(panelIndex === SWARM_PANEL ? '' : `${key}: `)).toBe(true);
        const read = readSide(words, peers);
        expect(read.complete).toBe(whole);
        if (side.finishedAt === null) {
          expect(read.serverChunks).toBe(side.serverChunks);
          if (panelIndex === SWARM_PANEL && peers > 1) expect(read.peerChunks).toBe(side.peerChunks);
        } else {
          expect(words).toMatch(/finished at t = /);
          expect(whole).toBe(peers);
        }
      }
    });
  });

  it.each(names)('starts empty and ends with every peer holding the file, when the small runs say: %s', (name) => {
    const { trace, frames, clientServer, swarm, frameLength } = network(name);
    const peers = Math.min(VIEW_PEERS, paramsOf(name).peers);
    expect(trace.descriptions[0]).toMatch(
      peers === 1 ? /the peer has none of it yet\.$/ : new RegExp(`none of the ${peers} peers has any of it yet\\.$`),
    );
    for (const panel of trace.panels)
      expect(
        frameStates(panel, 0)
          .slice(1)
          .every((state) => state === NODE_STATE.empty),
      ).toBe(true);
    const last = frames.at(-1)!;
    expect(last.clientServer.complete).toBe(peers);
    expect(last.swarm.complete).toBe(peers);
    expect(clientServer.completionTimes).toHaveLength(peers);
    expect(swarm.completionTimes).toHaveLength(peers);
    const lastWords = readSide(trace.descriptions.at(-1)!.split(' Swarm: ')[1]!, peers);
    expect(lastWords.complete).toBe(peers);
    // Each side is first complete in the frame that closes at or just after its run's own end.
    for (const [outcome, side] of [
      [clientServer, 'clientServer'],
      [swarm, 'swarm'],
    ] as const) {
      const first = frames.findIndex((numbers) => numbers[side].complete === peers);
      expect(trace.times[first]!).toBeGreaterThanOrEqual(outcome.time * (1 - 1e-9));
      expect(trace.times[first]! - frameLength).toBeLessThan(outcome.time);
      // And how many have the whole file at each frame matches the run's completion times.
      frames.forEach((numbers, frame) => {
        const done = outcome.completionTimes.filter((time) => time <= trace.times[frame]! * (1 + 1e-9)).length;
        expect(numbers[side].complete, `frame ${frame}`).toBe(done);
      });
    }
  });

  it.each(names)('its frames add up to every chunk the small runs sent: %s', (name) => {
    const { frames } = network(name);
    const params = paramsOf(name);
    const peers = Math.min(VIEW_PEERS, params.peers);
    const total = (side: 'clientServer' | 'swarm', key: keyof Pick<SideNumbers, 'serverChunks' | 'peerChunks'>): number =>
      frames.reduce((sum, numbers) => sum + numbers[side][key], 0);
    expect(total('clientServer', 'serverChunks')).toBe(peers * params.chunks);
    expect(total('clientServer', 'peerChunks')).toBe(0);
    expect(total('swarm', 'serverChunks') + total('swarm', 'peerChunks')).toBe(peers * params.chunks);
    if (params.peerUpload === 0 || peers === 1) expect(total('swarm', 'peerChunks')).toBe(0);
  });

  it('at the defaults, a frame is one step of each simulation: the time to download one chunk', () => {
    const { frameLength, trace, clientServer, swarm } = network('defaults');
    expect(frameLength).toBeCloseTo(15_000 / 100 / 2, 9);
    expect(framesOf(trace)).toBe(Math.max(clientServer.steps, swarm.steps) + 1);
    expect(trace.caption).toBe(
      '20 of the 1,000 peers; the file in 100 chunks as set; every other parameter as set. One frame = 75 s of simulated time (one step of each simulation); a side that finishes first stays as it ended.',
    );
    // The swarm finishes first and stays as it ended; client-server is still sending.
    const { frames } = network('defaults');
    const swarmDone = frames.findIndex((numbers) => numbers.swarm.complete === 20);
    expect(frames[swarmDone + 1]!.swarm.finishedAt).toBeCloseTo(swarm.time, 9);
    expect(trace.descriptions[swarmDone + 1]).toMatch(/Swarm: finished at t = 2\.08 h; 20 of 20 peers have the whole file\.$/);
    expect(frames[swarmDone + 1]!.clientServer.serverChunks).toBeGreaterThan(0);
  });

  it('merges steps when one per frame would draw more lines than the budget, and says so', () => {
    const { trace, frameLength, clientServer } = network('256 chunks');
    const step = 15_000 / 256 / 2;
    expect(clientServer.steps + 1).toBeLessThanOrEqual(MAX_FRAMES);
    expect(frameLength / step).toBeGreaterThan(1.5);
    expect(Math.abs(frameLength / step - Math.round(frameLength / step))).toBeLessThan(1e-9);
    expect(trace.caption).toMatch(new RegExp(`up to ${Math.round(frameLength / step)} steps of the client-server simulation`));
  });

  it('shows peers that leave as gone on the swarm side only', () => {
    const { trace } = network('peers that leave');
    const last = framesOf(trace) - 1;
    expect(
      frameStates(trace.panels[SWARM_PANEL]!, last)
        .slice(1)
        .every((state) => state === NODE_STATE.left),
    ).toBe(true);
    expect(
      frameStates(trace.panels[CLIENT_SERVER_PANEL]!, last)
        .slice(1)
        .every((state) => state === NODE_STATE.complete),
    ).toBe(true);
    expect(trace.nodeLegend.at(-1)!.tone).toBe('off');
    expect(trace.descriptions.at(-1)).toMatch(/20 of 20 peers have the whole file and have left\.$/);
    expect(network('defaults').trace.nodeLegend.some((entry) => entry.tone === 'off')).toBe(false);
  });

  it('says all the peers when the setting has no more than the view shows', () => {
    expect(network('seven peers, spread uploads').trace.caption).toMatch(/^All 7 peers; /);
    expect(network('one peer').trace.caption).toMatch(/^The one peer; /);
    expect(network('one piece, peers leave').trace.caption).toMatch(/the file in one piece as set/);
  });

  it('describes a frame in words from its numbers', () => {
    const side = (numbers: Partial<SideNumbers>): SideNumbers => ({
      serverChunks: 0,
      peerChunks: 0,
      complete: 0,
      finishedAt: null,
      ...numbers,
    });
    const frame = (numbers: Partial<FrameNumbers>): FrameNumbers => ({
      time: 1500,
      peers: 20,
      chunks: 100,
      leaving: false,
      clientServer: side({ serverChunks: 15 }),
      swarm: side({ serverChunks: 3, peerChunks: 12, complete: 4 }),
      ...numbers,
    });
    expect(describeFrame(frame({}))).toBe(
      'Client-server: the server sends 15 chunks; 0 of 20 peers have the whole file. Swarm: the server sends 3 chunks and peers send 12 to each other; 4 of 20 peers have the whole file.',
    );
    expect(
      describeFrame(
        frame({ leaving: true, swarm: side({ complete: 20, finishedAt: 7500 }), clientServer: side({ serverChunks: 1, complete: 1 }) }),
      ),
    ).toBe(
      'Client-server: the server sends 1 chunk; 1 of 20 peers has the whole file. Swarm: finished at t = 2.08 h; 20 of 20 peers have the whole file and have left.',
    );
    expect(describeFrame(frame({ peers: 1, clientServer: side({ serverChunks: 1 }), swarm: side({ serverChunks: 1, complete: 1 }) }))).toBe(
      'Client-server: the server sends 1 chunk; the peer does not have the whole file. Swarm: the server sends 1 chunk; the peer has the whole file.',
    );
    expect(describeFrame(frame({ time: 0, chunks: 1 }))).toBe(
      'On both sides the server holds the whole file, in one piece; none of the 20 peers has any of it yet.',
    );
  });
});

describe('the swarm simulation, observed', () => {
  const config: SwarmConfig = {
    peers: 30,
    fileSize: 15_000,
    chunks: 64,
    serverUpload: 30,
    peerDownload: 2,
    leaveWhenDone: false,
    peerUploads: new Float64Array(30),
  };

  it.each([
    ['client-server', { uploads: 0, spread: 0, leaveWhenDone: false }],
    ['a swarm with spread uploads', { uploads: 0.7, spread: 0.9, leaveWhenDone: false }],
    ['a swarm whose peers leave', { uploads: 1.5, spread: 0.3, leaveWhenDone: true }],
  ] as const)('the observer changes nothing and sees every chunk and step: %s', (_name, { uploads, spread, leaveWhenDone }) => {
    const peerUploads = drawUploads(config.peers, uploads, spread, createRandom(8));
    const run = { ...config, peerUploads, leaveWhenDone };
    const log = new SwarmStepLog(config.peers);
    const observed = simulateSwarm(run, createRandom(9), log);
    expect(observed).toEqual(simulateSwarm(run, createRandom(9)));
    expect(log.steps).toBe(observed.steps);
    expect(log.end).toBe(observed.time);
    expect(log.senders).toHaveLength(config.peers * config.chunks);
    // Every peer receives each chunk once: its count of receipts is the file's chunks.
    const received = new Array<number>(config.peers).fill(0);
    for (const receiver of log.receivers) received[receiver]!++;
    expect(received.every((count) => count === config.chunks)).toBe(true);
    if (uploads === 0) expect(log.senders.every((sender) => sender === SERVER)).toBe(true);
    else expect(log.senders.some((sender) => sender !== SERVER)).toBe(true);
    // The held counts agree with the transfers step by step, and the completion times with the held counts.
    const holding = new Array<number>(config.peers).fill(0);
    const completion: number[] = [];
    let heldMismatches = 0;
    for (let step = 0; step < log.steps; step++) {
      for (let t = log.transferStart[step]!; t < log.transferStart[step + 1]!; t++) holding[log.receivers[t]!]!++;
      for (let p = 0; p < config.peers; p++) {
        if (log.held[step * config.peers + p] !== holding[p]) heldMismatches++;
        if (holding[p] === config.chunks && (step === 0 || log.held[(step - 1) * config.peers + p] !== config.chunks))
          completion.push(log.times[step]!);
      }
    }
    expect(heldMismatches).toBe(0);
    expect(Float64Array.from(completion).sort()).toEqual(observed.completionTimes);
  });
});

describe('the network view at any valid setting', () => {
  // Each parameter at an end of its range or anywhere between (log-uniform where the slider is logarithmic).
  const arbitraries: Record<string, fc.Arbitrary<number | string>> = {};
  for (const param of fileDistribution.manifest.params) {
    if (param.kind === 'choice') {
      arbitraries[param.name] = fc.constantFrom(...param.options.map((option) => option.value));
      continue;
    }
    const { min, max, kind } = param;
    const low = 'scale' in param && param.scale === 'log' ? Math.max(min, param.step) : min;
    const between = fc
      .double({ min: 0, max: 1, noNaN: true })
      .map((u) => ('scale' in param && param.scale === 'log' ? low * (max / low) ** u : min + u * (max - min)))
      .map((value) => (kind === 'integer' ? Math.round(value) : value));
    arbitraries[param.name] = fc.oneof(fc.constantFrom(min, max), between);
  }

  it('keeps its limits, adds up to the runs and ends complete', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(fc.record(arbitraries), fc.integer({ min: 0, max: 1000 }), (values, seed) => {
        const params = { ...base, ...values } as FileDistributionParams;
        const { trace, frames, clientServer, swarm } = fileDistributionNetwork(params, seed);
        const peers = Math.min(VIEW_PEERS, params.peers);
        const count = framesOf(trace);
        expect(count).toBeGreaterThanOrEqual(2);
        expect(count).toBeLessThanOrEqual(MAX_FRAMES);
        expect(trace.panels.reduce((sum, panel) => sum + panel.messageFrom.length, 0)).toBeLessThanOrEqual(MESSAGE_BUDGET);
        for (const panel of trace.panels) {
          expect(panel.messageFrom.every((from) => from < panel.nodes) && panel.messageTo.every((to) => to > 0 && to < panel.nodes)).toBe(
            true,
          );
        }
        for (const text of [trace.caption, ...trace.descriptions]) expect(text).not.toMatch(/NaN|undefined|Infinity|null|∞/);
        const last = frames.at(-1)!;
        expect([last.clientServer.complete, last.swarm.complete]).toEqual([peers, peers]);
        expect(trace.times.at(-1)).toBeGreaterThanOrEqual(Math.max(clientServer.time, swarm.time) * (1 - 1e-9));
        const sent = frames.reduce((sum, numbers) => sum + numbers.swarm.serverChunks + numbers.swarm.peerChunks, 0);
        expect(sent).toBe(peers * params.chunks);
      }),
      { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 25) },
    );
  });
});

describe('words for each side alone', () => {
  it('exist for every frame, and the frame’s words say the same about each side', () => {
    const params = { ...defaults(fileDistribution.manifest), peers: 12 } as FileDistributionParams;
    const { trace } = fileDistributionNetwork(params, 1);
    const [clientServer, swarm] = trace.panels as [TracePanel, TracePanel];
    expect(clientServer.descriptions).toHaveLength(trace.times.length);
    expect(swarm.descriptions).toHaveLength(trace.times.length);
    for (let frame = 1; frame < trace.times.length; frame++) {
      const words = trace.descriptions[frame] as string;
      // "Client-server: the server sends …. Swarm: …" against "The server sends …."
      const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
      expect(words).toContain(`Client-server: ${lower(clientServer.descriptions![frame]!)}`);
      expect(words).toContain(`Swarm: ${lower(swarm.descriptions![frame]!)}`);
      expect(clientServer.descriptions![frame]).not.toMatch(/swarm|to each other/i);
    }
  });
});
