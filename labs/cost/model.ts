import { createRandom, type Random } from '../kernel/random';
import { logSpacedIntegers } from '../kernel/stats';
import { formatPercent, formatSig } from '../kernel/format';
import type { LabModel, LabResult, Point } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import { manifest } from './manifest';

export const HOURS_PER_DAY = 24;
export const DAYS_PER_MONTH = 30;
export const HOURS_PER_MONTH = HOURS_PER_DAY * DAYS_PER_MONTH;
export const SECONDS_PER_HOUR = 3600;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * SECONDS_PER_HOUR;
/** Decimal gigabytes, as providers bill them. */
export const MBIT_PER_GB = 8000;
/** Size of one download in the simulation; only its granularity matters. */
export const DOWNLOAD_GB = 1;
/** Hour of the daily demand peak (21:00, evening viewing). */
const PEAK_HOUR = 21;
/** Break-even search limit, far beyond any chart so that "never" means never in practice. */
export const BREAK_EVEN_LIMIT = 1e9;

export type Billing = 'peak' | 'hourly';

export interface CostParams {
  downloadPerUser: number;
  peakToMean: number;
  serverCapacity: number;
  serverPrice: number;
  egressPrice: number;
  billing: Billing;
  csBaseCost: number;
  p2pFixedCost: number;
  trackerPrice: number;
  peersPerTracker: number;
  peerUpload: number;
  peerAvailability: number;
  swarms: number;
}

/** Parameters with what every formula derives from them, computed once per run. */
export interface CostSetup extends CostParams {
  /** Demand of each hour of the day relative to the daily mean: 24 values, mean 1, max peakToMean. */
  profile: Float64Array;
  /** Mean demand of one user, Mbit/s. */
  ratePerUser: number;
  /** Peers' upload capacity relative to demand, a·u / r̄: caps the share peers can serve in an hour. */
  uploadRatio: number;
}

/** Daily curve of a von Mises bump, exp(κ cos θ), normalized to mean 1; its max/mean grows with κ. */
function vonMisesProfile(kappa: number): Float64Array {
  const profile = new Float64Array(HOURS_PER_DAY);
  let sum = 0;
  for (let h = 0; h < HOURS_PER_DAY; h++) {
    // exp(κ(cos θ − 1)) instead of exp(κ cos θ) keeps large κ from overflowing; the scale cancels.
    const value = Math.exp(kappa * (Math.cos((2 * Math.PI * (h - PEAK_HOUR)) / HOURS_PER_DAY) - 1));
    profile[h] = value;
    sum += value;
  }
  const mean = sum / HOURS_PER_DAY;
  for (let h = 0; h < HOURS_PER_DAY; h++) profile[h] = (profile[h] as number) / mean;
  return profile;
}

function profileMax(profile: Float64Array): number {
  let max = 0;
  for (let h = 0; h < profile.length; h++) max = Math.max(max, profile[h] as number);
  return max;
}

/**
 * The 24-hour demand curve whose busiest hour is `peakToMean` times the mean. With 24 hours the
 * ratio can approach 24 (all demand in one hour); the manifest stops at 12.
 */
export function dailyProfile(peakToMean: number): Float64Array {
  if (peakToMean < 1 || peakToMean >= HOURS_PER_DAY) throw new RangeError(`peak-to-mean must be in [1, 24), got ${peakToMean}`);
  if (peakToMean === 1) return new Float64Array(HOURS_PER_DAY).fill(1);
  let low = 0;
  let high = 1;
  while (profileMax(vonMisesProfile(high)) < peakToMean) high *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (profileMax(vonMisesProfile(mid)) < peakToMean) low = mid;
    else high = mid;
  }
  return vonMisesProfile(high);
}

/** Mean rate at which one user downloads D GB a month, in Mbit/s. */
export function meanRatePerUser(downloadPerUser: number): number {
  return (MBIT_PER_GB * downloadPerUser) / SECONDS_PER_MONTH;
}

export function costSetup(params: CostParams): CostSetup {
  const ratePerUser = meanRatePerUser(params.downloadPerUser);
  const upload = params.peerAvailability * params.peerUpload;
  return {
    ...params,
    profile: dailyProfile(params.peakToMean),
    ratePerUser,
    uploadRatio: ratePerUser > 0 ? upload / ratePerUser : upload > 0 ? Infinity : 0,
  };
}

/**
 * Servers needed for a load, at least one. The tiny tolerance keeps a load that is an exact
 * multiple of the capacity (up to rounding in the profile) from buying one server too many.
 */
export function serversFor(loadMbps: number, capacityMbps: number): number {
  return Math.max(1, Math.ceil(loadMbps / capacityMbps - 1e-9));
}

/**
 * Probability that a download finds an online peer holding its item: each of N users is online
 * with probability a and holds the item with probability 1/K, independently.
 */
export function swarmCoverage(users: number, availability: number, swarms: number): number {
  return 1 - Math.pow(1 - availability / swarms, users);
}

/** Share of the month's bytes that peers serve, s(N) = mean over hours of min(φ w_h, a u / r̄). */
export function peerShare(users: number, setup: CostSetup): number {
  return peerShareAtCoverage(swarmCoverage(users, setup.peerAvailability, setup.swarms), setup);
}

function peerShareAtCoverage(coverage: number, setup: CostSetup): number {
  let served = 0;
  for (let h = 0; h < HOURS_PER_DAY; h++) served += Math.min(coverage * (setup.profile[h] as number), setup.uploadRatio);
  return served / HOURS_PER_DAY;
}

/** Monthly cost of a fleet carrying a daily load curve (Mbit/s per hour of the day). */
function fleetCost(hourlyLoad: Float64Array, setup: CostSetup): { servers: number; cost: number } {
  if (setup.billing === 'peak') {
    const servers = serversFor(profileMax(hourlyLoad), setup.serverCapacity);
    return { servers, cost: servers * setup.serverPrice };
  }
  let serverHours = 0;
  for (let h = 0; h < HOURS_PER_DAY; h++) serverHours += serversFor(hourlyLoad[h] as number, setup.serverCapacity);
  const meanServers = serverHours / HOURS_PER_DAY;
  return { servers: meanServers, cost: meanServers * setup.serverPrice };
}

export interface ClientServerCost {
  /** Servers paid for: the fleet with peak billing, the mean hourly count with hourly billing. */
  servers: number;
  serverCost: number;
  egressGB: number;
  egressCost: number;
  total: number;
}

export interface PeerToPeerCost {
  share: number;
  trackers: number;
  trackerCost: number;
  /** Seed servers, counted as `servers` is for client-server. */
  seeds: number;
  seedCost: number;
  originGB: number;
  egressCost: number;
  total: number;
}

export function clientServerCost(users: number, setup: CostSetup): ClientServerCost {
  const load = new Float64Array(HOURS_PER_DAY);
  for (let h = 0; h < HOURS_PER_DAY; h++) load[h] = users * setup.ratePerUser * (setup.profile[h] as number);
  const fleet = fleetCost(load, setup);
  const egressGB = users * setup.downloadPerUser;
  const egressCost = egressGB * setup.egressPrice;
  return { servers: fleet.servers, serverCost: fleet.cost, egressGB, egressCost, total: setup.csBaseCost + fleet.cost + egressCost };
}

export function peerToPeerCost(users: number, setup: CostSetup): PeerToPeerCost {
  const coverage = swarmCoverage(users, setup.peerAvailability, setup.swarms);
  const originLoad = new Float64Array(HOURS_PER_DAY);
  for (let h = 0; h < HOURS_PER_DAY; h++) {
    const weight = setup.profile[h] as number;
    originLoad[h] = users * setup.ratePerUser * (weight - Math.min(coverage * weight, setup.uploadRatio));
  }
  const fleet = fleetCost(originLoad, setup);
  const trackers = serversFor(users * setup.peerAvailability, setup.peersPerTracker);
  const trackerCost = trackers * setup.trackerPrice;
  const share = peerShare(users, setup);
  const originGB = (1 - share) * users * setup.downloadPerUser;
  const egressCost = originGB * setup.egressPrice;
  return {
    share,
    trackers,
    trackerCost,
    seeds: fleet.servers,
    seedCost: fleet.cost,
    originGB,
    egressCost,
    total: setup.p2pFixedCost + trackerCost + fleet.cost + egressCost,
  };
}

/** P2P cost minus client-server cost: negative where P2P is cheaper. */
export function costGap(users: number, setup: CostSetup): number {
  return peerToPeerCost(users, setup).total - clientServerCost(users, setup).total;
}

export type BreakEven =
  | { status: 'always'; users: 1 }
  | { status: 'at'; users: number }
  | { status: 'never' };

/**
 * The first N at which P2P is no dearer than client-server. Server counts are step functions,
 * so the gap is not monotone: a log grid finds the first bracket where it turns non-positive,
 * and integer bisection inside it finds an N with gap(N − 1) > 0 ≥ gap(N).
 */
export function breakEvenUsers(setup: CostSetup, limit = BREAK_EVEN_LIMIT): BreakEven {
  if (costGap(1, setup) <= 0) return { status: 'always', users: 1 };
  const grid = logSpacedIntegers(1, limit, 1200);
  let below = 1;
  for (const users of grid) {
    if (users <= below) continue;
    if (costGap(users, setup) <= 0) {
      let positive = below;
      let nonPositive = users;
      while (nonPositive - positive > 1) {
        const mid = Math.floor((positive + nonPositive) / 2);
        if (costGap(mid, setup) <= 0) nonPositive = mid;
        else positive = mid;
      }
      return { status: 'at', users: nonPositive };
    }
    below = users;
  }
  return { status: 'never' };
}

/**
 * Cost per extra user once the swarm has formed (coverage 1), ignoring the whole-server steps:
 * the slopes of the two cost lines for large N, used to explain the break-even.
 */
export function marginalCostPerUser(setup: CostSetup): { clientServer: number; peerToPeer: number; egressSaved: number; shareLimit: number } {
  const meanOrPeak = (values: (h: number) => number): number => {
    let max = 0;
    let sum = 0;
    for (let h = 0; h < HOURS_PER_DAY; h++) {
      const value = values(h);
      max = Math.max(max, value);
      sum += value;
    }
    return setup.billing === 'peak' ? max : sum / HOURS_PER_DAY;
  };
  const weight = (h: number): number => setup.profile[h] as number;
  const shareLimit = peerShareAtCoverage(1, setup);
  const serverPerMbps = setup.serverPrice / setup.serverCapacity;
  const clientServer = setup.egressPrice * setup.downloadPerUser + serverPerMbps * setup.ratePerUser * meanOrPeak(weight);
  const peerToPeer =
    setup.egressPrice * setup.downloadPerUser * (1 - shareLimit) +
    serverPerMbps * setup.ratePerUser * meanOrPeak((h) => weight(h) - Math.min(weight(h), setup.uploadRatio)) +
    (setup.trackerPrice * setup.peerAvailability) / setup.peersPerTracker;
  return { clientServer, peerToPeer, egressSaved: setup.egressPrice * setup.downloadPerUser * shareLimit, shareLimit };
}

/** Poisson draw: Knuth's product method for small means, a rounded normal above 30 (skew < 0.2). */
export function samplePoisson(mean: number, random: Random): number {
  if (mean <= 0) return 0;
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let count = 0;
    let product = random.next();
    while (product > limit) {
      count++;
      product *= random.next();
    }
    return count;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.normal()));
}

/** Binomial draw: exact trials for small n, Poisson for a rare outcome, a rounded normal otherwise. */
export function sampleBinomial(trials: number, probability: number, random: Random): number {
  if (trials <= 0 || probability <= 0) return 0;
  if (probability >= 1) return trials;
  if (trials <= 50) {
    let successes = 0;
    for (let i = 0; i < trials; i++) if (random.next() < probability) successes++;
    return successes;
  }
  const expected = trials * probability;
  const expectedFailures = trials - expected;
  if (expected < 30) return Math.min(trials, samplePoisson(expected, random));
  if (expectedFailures < 30) return Math.max(0, trials - samplePoisson(expectedFailures, random));
  const spread = Math.sqrt(expected * (1 - probability));
  return Math.min(trials, Math.max(0, Math.round(expected + spread * random.normal())));
}

export interface SimulatedMonth {
  clientServer: { servers: number; serverCost: number; egressGB: number; total: number };
  peerToPeer: { trackers: number; seeds: number; seedCost: number; originGB: number; peerGB: number; total: number };
  /** Busiest hour's load over the daily mean of the formula (the observed peak-to-mean ratio). */
  observedPeakToMean: number;
}

/**
 * One month, hour by hour: random downloads around the daily curve (times a random day factor),
 * random online peers, each download served by peers when an online peer holds its item and
 * their upload that hour allows. Fleets are sized for the month's observed busiest hour, or
 * paid hour by hour when billing is hourly.
 */
export function simulateMonth(users: number, setup: CostSetup, dailySwing: number, random: Random): SimulatedMonth {
  const downloadsPerHour = (users * setup.downloadPerUser) / DOWNLOAD_GB / HOURS_PER_MONTH;
  const mbpsPerGBHour = MBIT_PER_GB / SECONDS_PER_HOUR;
  const peerGBPerHour = (setup.peerUpload * SECONDS_PER_HOUR) / MBIT_PER_GB;
  const missPerPeer = 1 - 1 / setup.swarms;
  let totalGB = 0;
  let originGB = 0;
  let csPeak = 0;
  let originPeak = 0;
  let onlinePeak = 0;
  let csServerHours = 0;
  let seedServerHours = 0;
  for (let day = 0; day < DAYS_PER_MONTH; day++) {
    // Log-normal with mean 1, so the swing changes peaks but not the expected bytes.
    const dayFactor = dailySwing > 0 ? Math.exp(dailySwing * random.normal() - (dailySwing * dailySwing) / 2) : 1;
    for (let h = 0; h < HOURS_PER_DAY; h++) {
      const downloads = samplePoisson(downloadsPerHour * (setup.profile[h] as number) * dayFactor, random);
      const hourGB = downloads * DOWNLOAD_GB;
      const online = sampleBinomial(users, setup.peerAvailability, random);
      // Chance that at least one of the online peers holds a given item.
      const coverage = 1 - Math.pow(missPerPeer, online);
      const found = sampleBinomial(downloads, coverage, random);
      const servedByPeers = Math.min(found * DOWNLOAD_GB, online * peerGBPerHour);
      const hourOriginGB = hourGB - servedByPeers;
      totalGB += hourGB;
      originGB += hourOriginGB;
      const csLoad = hourGB * mbpsPerGBHour;
      const originLoad = hourOriginGB * mbpsPerGBHour;
      csPeak = Math.max(csPeak, csLoad);
      originPeak = Math.max(originPeak, originLoad);
      onlinePeak = Math.max(onlinePeak, online);
      csServerHours += serversFor(csLoad, setup.serverCapacity);
      seedServerHours += serversFor(originLoad, setup.serverCapacity);
    }
  }
  const hourly = setup.billing === 'hourly';
  const csServers = hourly ? csServerHours / HOURS_PER_MONTH : serversFor(csPeak, setup.serverCapacity);
  const seeds = hourly ? seedServerHours / HOURS_PER_MONTH : serversFor(originPeak, setup.serverCapacity);
  const trackers = serversFor(onlinePeak, setup.peersPerTracker);
  const csServerCost = csServers * setup.serverPrice;
  const seedCost = seeds * setup.serverPrice;
  const meanLoad = users * setup.ratePerUser;
  return {
    clientServer: {
      servers: csServers,
      serverCost: csServerCost,
      egressGB: totalGB,
      total: setup.csBaseCost + csServerCost + totalGB * setup.egressPrice,
    },
    peerToPeer: {
      trackers,
      seeds,
      seedCost,
      originGB,
      peerGB: totalGB - originGB,
      total: setup.p2pFixedCost + trackers * setup.trackerPrice + seedCost + originGB * setup.egressPrice,
    },
    observedPeakToMean: meanLoad > 0 ? csPeak / meanLoad : 0,
  };
}

export type CostLabParams = CostParams & { maxUsers: number; dailySwing: number };

export function formatDollars(amount: number): string {
  const abs = Math.abs(amount);
  if (abs >= 1e9) return `$${formatSig(amount / 1e9)} billion`;
  if (abs >= 1e6) return `$${formatSig(amount / 1e6)} million`;
  // Cents read better than $5.00e-4 for the cost per user of a large swarm.
  if (abs > 0 && abs < 0.01) return `${formatSig(amount * 100)}¢`;
  return `$${formatSig(amount)}`;
}

export function formatUsers(users: number): string {
  if (users >= 1e9) return `${formatSig(users / 1e9)} billion`;
  if (users >= 1e6) return `${formatSig(users / 1e6)} million`;
  return formatSig(users, 4);
}

/** Points of the simulation: four per decade, the largest N included. */
function simulatedUsers(maxUsers: number): number[] {
  const decades = Math.log10(maxUsers);
  return logSpacedIntegers(1, maxUsers, Math.max(2, Math.round(decades * 4) + 1));
}

function describeVerdict(setup: CostSetup, breakEven: BreakEven, maxUsers: number): string {
  const marginal = marginalCostPerUser(setup);
  const extraFixed = setup.p2pFixedCost + setup.trackerPrice - setup.csBaseCost;
  const slopeGap = marginal.clientServer - marginal.peerToPeer;
  const atMax = { cs: clientServerCost(maxUsers, setup), p2p: peerToPeerCost(maxUsers, setup) };
  const parts: string[] = [];
  if (breakEven.status === 'always') {
    parts.push(
      `“Client-server is more expensive” holds at every N here: P2P is already cheaper with one user, because its fixed costs ` +
        `(${formatDollars(setup.p2pFixedCost)} engineering + ${formatDollars(setup.trackerPrice)} tracker) are no higher than client-server’s ${formatDollars(setup.csBaseCost)}.`,
    );
  } else if (breakEven.status === 'at') {
    const shareThere = peerShare(breakEven.users, setup);
    parts.push(
      `“Client-server is more expensive” holds only beyond N ≈ ${formatUsers(breakEven.users)} users with these prices. ` +
        `Below it P2P is dearer: its fixed costs (${formatDollars(setup.p2pFixedCost)} engineering, ${formatDollars(setup.trackerPrice)} per tracker, a seed server) outweigh what the peers save. ` +
        `Beyond it the bytes the peers serve save more egress and servers than P2P’s fixed costs: ${formatPercent(shareThere)} of all bytes at the break-even` +
        (breakEven.users <= maxUsers ? `, ${formatPercent(atMax.p2p.share)} at N = ${formatUsers(maxUsers)}.` : '.'),
    );
    if (breakEven.users > maxUsers) {
      parts.push(`That is beyond this chart: for every N up to ${formatUsers(maxUsers)}, client-server is the cheaper one.`);
    }
  } else {
    parts.push(
      `“Client-server is more expensive” fails here at any size up to ${formatUsers(BREAK_EVEN_LIMIT)} users: ` +
        (marginal.shareLimit <= 0
          ? 'the peers serve nothing (zero upload or availability), so P2P is client-server plus its fixed costs.'
          : slopeGap <= 0
            ? `even with ${formatPercent(marginal.shareLimit)} of the bytes served by peers, each extra user costs ${formatDollars(marginal.peerToPeer)} a month with P2P against ${formatDollars(marginal.clientServer)} with client-server, so P2P’s extra fixed cost (${formatDollars(extraFixed)} a month) is never recovered. What P2P can save is only the egress and servers a user causes, so these prices decide it.`
            : `peers can serve at most ${formatPercent(marginal.shareLimit)} of the bytes, and what that saves per user does not pay for P2P’s extra costs.`),
    );
  }
  if (breakEven.status !== 'always' && slopeGap > 0) {
    const estimate = extraFixed / slopeGap;
    const egressPart = marginal.egressSaved / slopeGap;
    parts.push(
      `What decides it is P2P’s extra fixed cost (${formatDollars(extraFixed)} a month) against what each user saves once the swarm has formed ` +
        `(${formatDollars(slopeGap)} a month, ${formatPercent(Math.min(1, egressPart), 0)} of it egress: price ${formatDollars(setup.egressPrice)}/GB × ${formatSig(setup.downloadPerUser)} GB × ${formatPercent(marginal.shareLimit)} served by peers): ` +
        `their ratio, ${formatUsers(Math.max(1, estimate))} users, would be the break-even if every item already had an online holder and servers came in any fraction. ` +
        `Doubling the egress price or the download volume roughly halves it; doubling the engineering cost roughly doubles it.`,
    );
  }
  if (breakEven.status !== 'never' && slopeGap < 0) {
    parts.push(
      `Each extra user costs more with P2P here (${formatDollars(marginal.peerToPeer)} against ${formatDollars(marginal.clientServer)} a month, its trackers outweighing what peers save), so client-server wins again at a large enough N.`,
    );
  }
  if (marginal.shareLimit < 0.999 && marginal.shareLimit > 0) {
    parts.push(
      `The peers’ upload caps their share: a·u = ${formatSig(setup.peerAvailability * setup.peerUpload)} Mbit/s per user against a demand of ${formatSig(setup.ratePerUser * setup.peakToMean)} Mbit/s in the busiest hour.`,
    );
  }
  return parts.join(' ');
}

export const cost: LabModel = {
  manifest,
  benchCases: [1_000, 100_000, 10_000_000].map((size) => ({ size, params: { ...defaults(manifest), maxUsers: size } })),
  run(raw, context): LabResult {
    const params = raw as unknown as CostLabParams;
    const random = createRandom(context.seed);
    const setup = costSetup(params);
    const maxUsers = params.maxUsers;

    const csTotal: Point[] = [];
    const p2pTotal: Point[] = [];
    const csPerUser: Point[] = [];
    const p2pPerUser: Point[] = [];
    const peerShareLine: Point[] = [];
    for (const users of logSpacedIntegers(1, maxUsers, 120)) {
      const cs = clientServerCost(users, setup).total;
      const p2p = peerToPeerCost(users, setup);
      csTotal.push([users, cs]);
      p2pTotal.push([users, p2p.total]);
      csPerUser.push([users, cs / users]);
      p2pPerUser.push([users, p2p.total / users]);
      peerShareLine.push([users, p2p.share * 100]);
    }
    context.progress(0.05);

    const csTotalSim: Point[] = [];
    const p2pTotalSim: Point[] = [];
    const csPerUserSim: Point[] = [];
    const p2pPerUserSim: Point[] = [];
    const peerShareSim: Point[] = [];
    const points = simulatedUsers(maxUsers);
    let largest: SimulatedMonth | null = null;
    points.forEach((users, index) => {
      const month = simulateMonth(users, setup, params.dailySwing, random);
      csTotalSim.push([users, month.clientServer.total]);
      p2pTotalSim.push([users, month.peerToPeer.total]);
      csPerUserSim.push([users, month.clientServer.total / users]);
      p2pPerUserSim.push([users, month.peerToPeer.total / users]);
      // A month without a single download has no share to show.
      if (month.clientServer.egressGB > 0) peerShareSim.push([users, (month.peerToPeer.peerGB / month.clientServer.egressGB) * 100]);
      largest = month;
      context.progress(0.05 + (0.9 * (index + 1)) / points.length);
    });
    const largestMonth = largest as SimulatedMonth | null;
    if (!largestMonth) throw new Error('no user counts to simulate');

    const breakEven = breakEvenUsers(setup);
    const breakEvenLine: Point[] = [];
    if (breakEven.status === 'at' && breakEven.users <= maxUsers) {
      const perUser = [...csPerUser, ...p2pPerUser].map((point) => point[1]).filter((value) => value > 0);
      breakEvenLine.push([breakEven.users, Math.min(...perUser)], [breakEven.users, Math.max(...perUser)]);
    }

    const csAtMax = clientServerCost(maxUsers, setup);
    const p2pAtMax = peerToPeerCost(maxUsers, setup);
    const breakEvenText =
      breakEven.status === 'at'
        ? `P2P becomes the cheaper one from N = ${formatUsers(breakEven.users)} users`
        : breakEven.status === 'always'
          ? 'P2P is cheaper at every N'
          : 'P2P never becomes the cheaper one';
    const summary =
      `At N = ${formatUsers(maxUsers)} users, client-server costs ${formatDollars(csAtMax.total)} a month (${formatDollars(csAtMax.total / maxUsers)} per user; simulated ${formatDollars(largestMonth.clientServer.total)}) ` +
      `and P2P ${formatDollars(p2pAtMax.total)} (${formatDollars(p2pAtMax.total / maxUsers)} per user; simulated ${formatDollars(largestMonth.peerToPeer.total)}), with peers serving ${formatPercent(p2pAtMax.share)} of the bytes. ` +
      `${breakEvenText}; with one user client-server costs ${formatDollars(csTotal[0]?.[1] ?? NaN)} and P2P ${formatDollars(p2pTotal[0]?.[1] ?? NaN)}.` +
      (params.dailySwing > 0 && params.billing === 'peak'
        ? ` The simulated busiest hour was ${formatSig(largestMonth.observedPeakToMean)}× the mean load against ${formatSig(params.peakToMean)}× in the formula, because random demand (day-to-day swings, hour-to-hour noise) makes the busiest hour busier than the curve’s.`
        : '');

    // The verdict's numbers: the saving per user once the swarm has formed, and P2P's extra fixed cost over it.
    const marginal = marginalCostPerUser(setup);
    const savingPerUser = marginal.clientServer - marginal.peerToPeer;
    const extraFixed = setup.p2pFixedCost + setup.trackerPrice - setup.csBaseCost;

    context.progress(1);
    return {
      series: {
        csTotal,
        csTotalSim,
        p2pTotal,
        p2pTotalSim,
        csPerUser,
        csPerUserSim,
        p2pPerUser,
        p2pPerUserSim,
        breakEven: breakEvenLine,
        peerShare: peerShareLine,
        peerShareSim,
      },
      summary,
      verdict: describeVerdict(setup, breakEven, maxUsers),
      outputs: {
        breakEven: breakEven.status === 'never' ? NaN : breakEven.users,
        shareAtBreakEven: breakEven.status === 'never' ? NaN : peerShare(breakEven.users, setup) * 100,
        savingPerUser,
        // As in the verdict: without a saving per user the cost lines never converge.
        breakEvenEstimate: savingPerUser > 0 ? Math.max(1, extraFixed / savingPerUser) : NaN,
        csCostAtMax: csAtMax.total,
        p2pCostAtMax: p2pAtMax.total,
      },
    };
  },
};
