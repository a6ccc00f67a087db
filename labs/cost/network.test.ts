import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaults } from '../kernel/manifest';
import { quietContext } from '../kernel/model';
import { createRandom } from '../kernel/random';
import { MAX_FRAMES, type TracePanel } from '../kernel/trace';
import { cost, costNetwork, costSetup, formatDollars, simulateMonth, type CostLabParams, type CostNetwork } from './model';
import {
  CLIENT_SERVER_PANEL,
  MOST_SERVER_NODES,
  MESSAGE_KIND,
  MonthLog,
  NODE_STATE,
  P2P_PANEL,
  VIEW_USERS,
  describeHour,
  hourCosts,
  serverGroups,
  shareTexts,
  type HourNumbers,
} from './network';

const base = defaults(cost.manifest) as unknown as CostLabParams;
const settings: Record<string, Partial<CostLabParams>> = {
  defaults: {},
  'hourly billing, peaky': { billing: 'hourly', peakToMean: 8 },
  'a small user base': { maxUsers: 1000 },
  'ten users': { maxUsers: 10 },
  'thirty users': { maxUsers: 30 },
  'reluctant peers': { peerAvailability: 0.02, peerUpload: 0.5, swarms: 10000, maxUsers: 20_000 },
  'no uploads': { peerUpload: 0 },
  'nobody online': { peerAvailability: 0, maxUsers: 50 },
  'a fleet of under 12 servers': { maxUsers: 50_000 },
  'ten million heavy users': { maxUsers: 10_000_000, downloadPerUser: 1000, serverCapacity: 10, peakToMean: 12, dailySwing: 1 },
};
const cache = new Map<string, CostNetwork>();
const network = (name: string, seed = 1): CostNetwork => {
  const key = `${name}/${seed}`;
  if (!cache.has(key)) cache.set(key, costNetwork({ ...base, ...settings[name] } as CostLabParams, seed));
  return cache.get(key)!;
};
const paramsOf = (name: string): CostLabParams => ({ ...base, ...settings[name] }) as CostLabParams;
const names = Object.keys(settings);
const frameSlice = (panel: TracePanel, array: ArrayLike<number>, frame: number): number[] =>
  Array.from(array as ArrayLike<number>).slice(frame * panel.nodes, (frame + 1) * panel.nodes);
const count = (text: string): number => Number(text.replace(/,/g, ''));
/** Equal up to rounding in sums of 720 terms (relative, as the totals reach billions). */
const expectSame = (actual: number, expected: number): void =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));

/** Checks every frame of a view against its words and the run's log: the states, bars, messages and words agree. */
function checkFrames(view: CostNetwork, params: CostLabParams): void {
  const { trace, log, day, month } = view;
  expect(trace.times).toHaveLength(24);
  for (const text of [...trace.descriptions, trace.caption]) expect(text).not.toMatch(/NaN|undefined|Infinity|null|∞/);
  const hours = log.hours.filter((r) => r.day === day);
  const busiest = Math.max(...log.hours.map((r) => r.csLoad));
  expect(hours.some((r) => r.csLoad === busiest)).toBe(true);
  const drawn = Math.min(VIEW_USERS, params.maxUsers);
  const others = params.maxUsers > drawn;
  const cs = trace.panels[CLIENT_SERVER_PANEL]!;
  const p2p = trace.panels[P2P_PANEL]!;
  const csUsers = cs.nodes - drawn;
  const p2pUsers = p2p.nodes - drawn;
  const groups = serverGroups(Math.max(...log.hours.map((r) => r.csServersNeeded)));
  expect(csUsers).toBe(groups.length - 1 + (others ? 1 : 0));
  if (params.billing === 'peak') expect(groups[groups.length - 1]).toBe(month.clientServer.servers);
  let csSoFar = 0;
  trace.descriptions.forEach((text, frame) => {
    const record = hours[frame]!;
    expect(text.startsWith(`${String(record.hour).padStart(2, '0')}:00`)).toBe(true);
    const downloads = record.downloads === 0 ? 0 : count(/([\d,]+) downloads? this hour/.exec(text)![1]!);
    expect(downloads).toBe(record.downloads);
    const [, downloading, ofDrawn, online] = /drawn: ([\d,]+) of ([\d,]+) downloading, ([\d,]+) online/.exec(text)!;
    expect(count(ofDrawn!)).toBe(drawn);
    const csStates = frameSlice(cs, cs.states, frame);
    const p2pStates = frameSlice(p2p, p2p.states, frame);
    const p2pLevels = frameSlice(p2p, p2p.levels, frame);
    const csDownloading = csStates.slice(csUsers).filter((s) => s === NODE_STATE.downloading).length;
    expect(csDownloading).toBe(count(downloading!));
    expect(p2pStates.slice(p2pUsers).filter((s) => s === NODE_STATE.downloading).length).toBe(csDownloading);
    expect(csDownloading).toBeLessThanOrEqual(record.downloads);
    // Online peers carry an upload bar; the rest none.
    expect(p2pLevels.slice(p2pUsers).filter((l) => !Number.isNaN(l)).length).toBe(count(online!));
    expect(count(online!)).toBeLessThanOrEqual(record.online);
    if (drawn === params.maxUsers) expect(count(online!)).toBe(record.online);
    // Servers at work: the nodes whose first server is among those the hour needs.
    const [, working, fleet] = /(?:has|rents) ([\d,]+) of (?:its|the) ([\d,]+) servers?/.exec(text)!;
    expect(count(fleet!)).toBe(groups[groups.length - 1]);
    expect(count(working!)).toBe(params.billing === 'hourly' || record.csLoad > 0 ? record.csServersNeeded : 0);
    const atWork = record.csLoad > 0 ? groups.slice(0, -1).filter((first) => first < record.csServersNeeded).length : 0;
    expect(csStates.slice(0, groups.length - 1).filter((s) => s === NODE_STATE.working).length).toBe(atWork);
    // The share in the words is the hour's.
    if (record.downloads > 0) {
      const share = shareTexts(record.peerGB / (record.peerGB + record.originGB));
      expect(text).toContain(`peers carry ${share.peers} of the bytes, the seed ${share.seed}`);
    }
    csSoFar += hourCosts(record, costSetup(params), month).clientServer;
    expect(text).toContain(`client-server ${formatDollars(csSoFar)}, P2P`);
    // Messages: bytes to every drawn downloader on both sides; peers' bytes only when peers carried some.
    const start = cs.messageStart[frame]!;
    const end = cs.messageStart[frame + 1]!;
    const csReceivers = new Set(Array.from(cs.messageTo.subarray(start, end)).filter((to) => to >= csUsers));
    expect(csReceivers.size).toBe(csDownloading);
    const p2pKinds = Array.from(p2p.messageKind.subarray(p2p.messageStart[frame]!, p2p.messageStart[frame + 1]!));
    if (record.peerGB === 0) expect(p2pKinds).not.toContain(MESSAGE_KIND.fromPeer);
    if (record.originGB === 0) expect(p2pKinds).not.toContain(MESSAGE_KIND.fromServer);
    expect(p2pKinds.filter((k) => k === MESSAGE_KIND.lookup)).toHaveLength(csDownloading);
  });
}

describe('the network view of the cost lab', () => {
  it('is the same trace for the same seed, and another for another seed', () => {
    const params = paramsOf('a small user base');
    expect(costNetwork(params, 5).trace).toEqual(costNetwork(params, 5).trace);
    expect(costNetwork(params, 6).trace.descriptions).not.toEqual(costNetwork(params, 5).trace.descriptions);
  });

  it('is the trace the lab run returns, on its own seed: the charts do not change', () => {
    const params = paramsOf('a small user base');
    const result = cost.run(params as never, quietContext(9));
    expect(result.network).toEqual(costNetwork(params, 9).trace);
  });

  it.each(names)('the log hears the month without changing it (%s)', (name) => {
    const params = paramsOf(name);
    const setup = costSetup(params);
    const log = new MonthLog();
    const heard = simulateMonth(params.maxUsers, setup, params.dailySwing, createRandom(77), log);
    expect(heard).toEqual(simulateMonth(params.maxUsers, setup, params.dailySwing, createRandom(77)));
    expect(log.hours).toHaveLength(720);
    log.hours.forEach((record, index) => {
      expect(record.day * 24 + record.hour).toBe(index);
      expect(record.peerGB).toBeLessThanOrEqual(record.found + 1e-9);
    });
    // The hours add up to the month the simulation billed.
    const sum = (value: (r: (typeof log.hours)[0]) => number): number => log.hours.reduce((total, r) => total + value(r), 0);
    expectSame(
      sum((r) => r.downloads),
      heard.clientServer.egressGB,
    );
    expectSame(
      sum((r) => r.originGB),
      heard.peerToPeer.originGB,
    );
    expectSame(
      sum((r) => r.peerGB),
      heard.peerToPeer.peerGB,
    );
    const costs = log.hours.map((r) => hourCosts(r, setup, heard));
    expectSame(
      costs.reduce((t, c) => t + c.clientServer, 0),
      heard.clientServer.total,
    );
    expectSame(
      costs.reduce((t, c) => t + c.peerToPeer, 0),
      heard.peerToPeer.total,
    );
    const mostServers = Math.max(...log.hours.map((r) => r.csServersNeeded));
    if (setup.billing === 'peak') expect(mostServers).toBe(heard.clientServer.servers);
    else expect(sum((r) => r.csServersNeeded) / 720).toBeCloseTo(heard.clientServer.servers, 9);
  });

  it('draws a large fleet as at most 12 nodes of nearly equal groups', () => {
    for (const servers of [1, 5, 12, 13, 217, 1861]) {
      const groups = serverGroups(servers);
      expect(groups[0]).toBe(0);
      expect(groups[groups.length - 1]).toBe(servers);
      expect(groups.length - 1).toBe(Math.min(servers, MOST_SERVER_NODES));
      const sizes = groups.slice(1).map((end, g) => end - (groups[g] as number));
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it.each(names)('stays within limits: frames, nodes, messages, states, levels, words (%s)', (name) => {
    const { trace } = network(name);
    const frames = trace.times.length;
    expect(frames).toBe(24);
    expect(frames).toBeLessThanOrEqual(MAX_FRAMES);
    expect(Array.from(trace.times)).toEqual(Array.from({ length: 24 }, (_, h) => h * 3600));
    expect(trace.timeFormat).toBe('duration');
    let messages = 0;
    for (const panel of trace.panels) {
      expect(panel.nodes).toBeLessThanOrEqual(MOST_SERVER_NODES + 2 + VIEW_USERS);
      expect(panel.names).toHaveLength(panel.nodes);
      for (const v of [...panel.x, ...panel.y]) expect(v >= 0 && v <= 1).toBe(true);
      expect(panel.states).toHaveLength(frames * panel.nodes);
      for (const state of panel.states) expect(state).toBeLessThan(trace.nodeLegend.length);
      for (const level of panel.levels) if (!Number.isNaN(level)) expect(level >= 0 && level <= 1).toBe(true);
      expect(panel.messageStart).toHaveLength(frames + 1);
      messages += panel.messageFrom.length;
      panel.messageFrom.forEach((from, i) => {
        expect(from).toBeLessThan(panel.nodes);
        expect(panel.messageTo[i]).toBeLessThan(panel.nodes);
        expect(from).not.toBe(panel.messageTo[i]);
        expect(panel.messageKind[i]).toBeLessThan(trace.messageLegend.length);
      });
    }
    expect(messages).toBeLessThan(3000);
    for (const text of [...trace.descriptions, trace.caption]) expect(text).not.toMatch(/NaN|undefined|Infinity|null|∞/);
  });

  it.each(names)('every frame shows what its words say, and the words are the run’s hour (%s)', (name) => {
    checkFrames(network(name), paramsOf(name));
  });

  it('agrees with its words at random valid settings, ends of ranges included', () => {
    const spec = (key: string) => cost.manifest.params.find((p) => p.name === key) as { min: number; max: number };
    const logRange = (key: string, integer = false) => {
      const { min, max } = spec(key);
      const value = fc.double({ min: 0, max: 1, noNaN: true }).map((u) => min * Math.pow(max / min, u));
      return fc.oneof(fc.constantFrom(min, max), integer ? value.map(Math.round) : value);
    };
    const linear = (key: string) => {
      const { min, max } = spec(key);
      return fc.oneof(fc.constantFrom(min, max), fc.double({ min, max, noNaN: true }));
    };
    fc.assert(
      fc.property(
        fc.record({
          maxUsers: logRange('maxUsers', true),
          downloadPerUser: logRange('downloadPerUser'),
          peakToMean: linear('peakToMean'),
          dailySwing: linear('dailySwing'),
          serverCapacity: logRange('serverCapacity'),
          billing: fc.constantFrom('peak' as const, 'hourly' as const),
          peerUpload: linear('peerUpload'),
          peerAvailability: linear('peerAvailability'),
          swarms: logRange('swarms', true),
        }),
        fc.integer({ min: 0, max: 1000 }),
        (overrides, seed) => {
          const params = { ...base, ...overrides } as CostLabParams;
          checkFrames(costNetwork(params, seed), params);
        },
      ),
      { numRuns: 25 },
    );
  }, 20_000);
  it('says which is which: a sample of the N in the picture, the whole N in the words', () => {
    expect(network('defaults').trace.caption).toMatch(
      /^30 users drawn for the picture, a random sample of the lab’s N = 1 million \(the other 999,970 as one node\); the numbers in the words are the whole N\./,
    );
    expect(network('defaults').trace.caption).toMatch(/servers drawn as 12 groups for client-server/);
    expect(network('ten users').trace.caption).toMatch(/^All 10 users drawn; the words and the picture are the same users\./);
    expect(network('a fleet of under 12 servers').trace.caption).not.toMatch(/groups/);
  });

  it('with all users drawn, peers’ bytes come from drawn peers only, never from a node for the rest', () => {
    for (const name of ['ten users', 'thirty users']) {
      const { trace } = network(name);
      for (const panel of trace.panels) expect(panel.names.some((n) => n.startsWith('the other'))).toBe(false);
    }
  });

  it('in a large swarm, the users not drawn send and receive: the servers and peers serve them too', () => {
    const { trace } = network('defaults');
    const cs = trace.panels[CLIENT_SERVER_PANEL]!;
    const othersNode = cs.names.findIndex((n) => n.startsWith('the other'));
    expect(othersNode).toBeGreaterThan(0);
    expect(Array.from(cs.messageTo)).toContain(othersNode);
  });

  it('describes an hour without downloads, and shares that round to 0% or 100%', () => {
    const numbers: HourNumbers = {
      hour: 4,
      users: 10,
      drawn: 10,
      downloads: 0,
      peerShare: 0,
      drawnDownloaders: 0,
      drawnOnline: 1,
      csWorking: 0,
      fleet: 1,
      hourly: false,
      csEgress: 0,
      p2pEgress: 0,
      csSoFar: 3,
      p2pSoFar: 20,
    };
    const options = { dollars: formatDollars, usersText: String };
    expect(describeHour(numbers, options)).toBe(
      '04:00–05:00: no downloads this hour among the 10 users (drawn: 0 of 10 downloading, 1 online); client-server has 0 of its 1 server (sized for the month’s busiest hour) at work. P2P has nothing to carry. Spent today by 05:00: client-server $3, P2P $20.',
    );
    expect(describeHour({ ...numbers, downloads: 1, peerShare: 1, hourly: true, csWorking: 1 }, options)).toContain(
      'client-server rents 1 of the 1 server its busiest hour needs. P2P: peers carry 100% of the bytes, the seed 0%',
    );
    expect(shareTexts(0.003)).toEqual({ peers: 'under 1%', seed: 'over 99%' });
    expect(shareTexts(0.997)).toEqual({ peers: 'over 99%', seed: 'under 1%' });
    expect(shareTexts(0.78)).toEqual({ peers: '78%', seed: '22%' });
    expect(shareTexts(0)).toEqual({ peers: '0%', seed: '100%' });
  });
});
