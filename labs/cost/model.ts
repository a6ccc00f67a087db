import { createRandom, type Random } from '../kernel/random';
import { deriveSeed, logSpacedIntegers, meanPoint } from '../kernel/stats';
import { formatPercent, formatSig } from '../kernel/format';
import type { LabModel, LabResult, Point } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import { manifest } from './manifest';
import { MonthLog, buildCostTrace, type CostTrace, type MonthObserver } from './network';

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

export type BreakEven = { status: 'always'; users: 1 } | { status: 'at'; users: number } | { status: 'never' };

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
export function marginalCostPerUser(setup: CostSetup): {
  clientServer: number;
  peerToPeer: number;
  egressSaved: number;
  shareLimit: number;
} {
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
 * paid hour by hour when billing is hourly. An observer (the network view's log) hears each
 * hour's numbers as they are computed.
 */
export function simulateMonth(
  users: number,
  setup: CostSetup,
  dailySwing: number,
  random: Random,
  observer?: MonthObserver,
): SimulatedMonth {
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
      const csServersNeeded = serversFor(csLoad, setup.serverCapacity);
      const seedServersNeeded = serversFor(originLoad, setup.serverCapacity);
      csServerHours += csServersNeeded;
      seedServerHours += seedServersNeeded;
      // The network view hears the hour as computed; it draws nothing and changes nothing.
      if (observer) {
        observer.hour({
          day,
          hour: h,
          downloads,
          online,
          found,
          peerGB: servedByPeers,
          originGB: hourOriginGB,
          csLoad,
          originLoad,
          csServersNeeded,
          seedServersNeeded,
        });
      }
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

/** Dollars as printed, and the value the text stands for, so a comparison agrees with what the reader sees. */
export interface PrintedAmount {
  text: string;
  value: number;
}

/** Three significant figures in the unit that reads best: $1.03 million, $651, 0.42¢. */
export function printedDollars(amount: number): PrintedAmount {
  const abs = Math.abs(amount);
  const sig = (value: number): number => Number(value.toPrecision(3));
  if (abs >= 1e9) return { text: `$${formatSig(amount / 1e9)} billion`, value: sig(amount / 1e9) * 1e9 };
  if (abs >= 1e6) return { text: `$${formatSig(amount / 1e6)} million`, value: sig(amount / 1e6) * 1e6 };
  // Cents read better than $5.00e-4 for the cost per user of a large swarm.
  if (abs > 0 && abs < 0.01) return { text: `${formatSig(amount * 100)}¢`, value: sig(amount * 100) / 100 };
  return { text: `$${formatSig(amount)}`, value: amount === 0 ? 0 : sig(amount) };
}

export function formatDollars(amount: number): string {
  return printedDollars(amount).text;
}

/** A number of Mbit/s as printed (three significant figures), with its value. */
function printedRate(mbps: number): PrintedAmount {
  return { text: `${formatSig(mbps)} Mbit/s`, value: Number(mbps.toPrecision(3)) };
}

export function formatUsers(users: number): string {
  if (users >= 1e9) return `${formatSig(users / 1e9)} billion`;
  if (users >= 1e6) return `${formatSig(users / 1e6)} million`;
  return formatSig(users, 4);
}

/** Points of the simulation: four per decade, the largest N included. */
export function simulatedUsers(maxUsers: number): number[] {
  const decades = Math.log10(maxUsers);
  return logSpacedIntegers(1, maxUsers, Math.max(2, Math.round(decades * 4) + 1));
}

/**
 * The least any month can cost: the fixed costs and one server (client-server), or one tracker
 * and one seed server (P2P), since every fleet has at least one. An interval is cut there, so a
 * wide interval never reaches values no month can have (nor zero, which a log axis cannot show).
 */
export function cheapestMonth(setup: CostSetup): { clientServer: number; peerToPeer: number } {
  return {
    clientServer: setup.csBaseCost + setup.serverPrice,
    peerToPeer: setup.p2pFixedCost + setup.trackerPrice + setup.serverPrice,
  };
}

/** Simulated months per point; their spread gives each point its 95% interval. */
export const MONTHS_PER_POINT = 5;

/**
 * A mean over simulated months with its 95% Student t interval, cut at `floor` and `ceiling`:
 * the mean is a cost (never below the cheapest possible month) or a share, so a t interval's
 * part beyond them holds no possible value.
 */
function boundedMeanPoint(x: number, values: number[], floor: number, ceiling = Infinity): Point {
  return meanPoint(x, values, { min: floor, max: ceiling });
}

// ---------------------------------------------------------------------------
// Sentences, each comparison chosen by the numbers it prints
// ---------------------------------------------------------------------------

/** At the chart's largest N: which architecture costs more, as printed. */
export function costAtSizeSentence(users: number, clientServer: PrintedAmount, peerToPeer: PrintedAmount): string {
  const costs = `At N = ${formatUsers(users)} users client-server costs ${clientServer.text} a month and P2P ${peerToPeer.text}`;
  if (clientServer.value > peerToPeer.value) return `${costs}: “client-server is more expensive” holds at this size.`;
  if (clientServer.value < peerToPeer.value)
    return `${costs}: “client-server is more expensive” fails at this size, where client-server is the cheaper one.`;
  return `${costs}: the two cost the same to three figures.`;
}

/** P2P is no dearer from the first user (status "always"), or, should rounding say otherwise, just the numbers. */
export function fromFirstUserSentence(clientServer: PrintedAmount, peerToPeer: PrintedAmount): string {
  if (peerToPeer.value <= clientServer.value) {
    return `P2P is no dearer than client-server from the very first user (${peerToPeer.text} against ${clientServer.text} a month with one user).`;
  }
  return `With one user P2P costs ${peerToPeer.text} a month and client-server ${clientServer.text}.`;
}

/** Why P2P never catches up: peers serve nothing, or each user costs no less with P2P, or the saving is too small. */
export function neverSentence(
  shareLimit: number,
  perUserClientServer: PrintedAmount,
  perUserPeerToPeer: PrintedAmount,
  extraFixed: PrintedAmount,
): string {
  const head = `P2P never becomes the cheaper one up to ${formatUsers(BREAK_EVEN_LIMIT)} users`;
  const share = formatPercent(shareLimit);
  if (Number(share.replace('%', '')) === 0) {
    return `${head}: the peers serve ${share} of the bytes (zero upload or availability), so P2P is client-server plus its own fixed costs.`;
  }
  const perUser = `each extra user costs ${perUserPeerToPeer.text} a month with P2P against ${perUserClientServer.text} with client-server, even with ${share} of the bytes served by peers`;
  if (perUserPeerToPeer.value >= perUserClientServer.value) {
    return `${head}: ${perUser}, so P2P’s extra fixed cost (${extraFixed.text} a month) is never recovered.`;
  }
  return `${head}: ${perUser}, and over the server steps and the swarm’s slow start that saving does not pay back P2P’s extra fixed cost (${extraFixed.text} a month) within that range.`;
}

/**
 * What decides: the saving per user once the swarm has formed, against P2P's extra fixed cost.
 * Chosen by the printed marginal costs: a saving gives an estimate of the break-even; none means
 * client-server wins back at a large enough N.
 */
export function savingSentence(
  perUserClientServer: PrintedAmount,
  perUserPeerToPeer: PrintedAmount,
  extraFixed: number,
  estimate: number,
  egressShareOfSaving: number,
  details: string,
): string {
  if (perUserClientServer.value > perUserPeerToPeer.value) {
    const extra = printedDollars(extraFixed);
    if (extra.value <= 0) {
      const lower =
        extra.value === 0 ? 'its fixed costs are the same' : `its fixed costs are ${printedDollars(-extraFixed).text} a month lower`;
      return `Once the swarm has formed each user costs ${perUserPeerToPeer.text} a month with P2P against ${perUserClientServer.text} with client-server, and P2P has no extra fixed cost to pay back: ${lower}.`;
    }
    return (
      `What decides it is P2P’s extra fixed cost (${extra.text} a month) against what each user saves once the swarm has formed: ` +
      `${perUserClientServer.text} with client-server against ${perUserPeerToPeer.text} with P2P, ${formatPercent(Math.min(1, Math.max(0, egressShareOfSaving)), 0)} of the difference egress (${details}). ` +
      `Their ratio, about ${formatUsers(Math.max(1, estimate))} users, would be the break-even if every item already had an online holder and servers came in any fraction.`
    );
  }
  return `Once the swarm has formed each extra user costs no less with P2P (${perUserPeerToPeer.text} a month, against ${perUserClientServer.text} with client-server: its trackers and seeds outweigh what peers save), so client-server is the cheaper one again at a large enough N.`;
}

/** The peers' upload caps their share when a·u, as printed, is below the busiest hour's demand per user. */
export function uploadCapSentence(uploadPerUser: PrintedAmount, peakDemandPerUser: PrintedAmount): string {
  if (uploadPerUser.value < peakDemandPerUser.value) {
    return `The peers’ upload caps their share: a·u = ${uploadPerUser.text} per user against a demand of ${peakDemandPerUser.text} in the busiest hour.`;
  }
  return '';
}

/** Read as written, "to implement": the fixed costs alone, as printed. */
export function implementSentence(peerToPeerFixed: PrintedAmount, clientServerFixed: PrintedAmount): string {
  const head = `Read as written, about implementing, the fixed costs decide: P2P’s are ${peerToPeerFixed.text} a month (engineering and a tracker), client-server’s ${clientServerFixed.text}`;
  if (peerToPeerFixed.value > clientServerFixed.value) return `${head}, so it is P2P that costs more to build.`;
  if (peerToPeerFixed.value < clientServerFixed.value) return `${head}, so client-server costs more to build too.`;
  return `${head}: the same to three figures.`;
}

function describeVerdict(setup: CostSetup, breakEven: BreakEven, maxUsers: number): string {
  const marginal = marginalCostPerUser(setup);
  const extraFixed = setup.p2pFixedCost + setup.trackerPrice - setup.csBaseCost;
  const perUserCs = printedDollars(marginal.clientServer);
  const perUserP2p = printedDollars(marginal.peerToPeer);
  const parts: string[] = [
    costAtSizeSentence(
      maxUsers,
      printedDollars(clientServerCost(maxUsers, setup).total),
      printedDollars(peerToPeerCost(maxUsers, setup).total),
    ),
  ];
  if (breakEven.status === 'always') {
    parts.push(fromFirstUserSentence(printedDollars(clientServerCost(1, setup).total), printedDollars(peerToPeerCost(1, setup).total)));
  } else if (breakEven.status === 'at') {
    parts.push(
      `“Client-server is more expensive” holds only from N ≈ ${formatUsers(breakEven.users)} users${breakEven.users > maxUsers ? ', beyond this chart' : ''}, where P2P first becomes no dearer ` +
        `and peers serve ${formatPercent(peerShare(breakEven.users, setup))} of the bytes; below that P2P’s fixed costs (${formatDollars(setup.p2pFixedCost)} engineering, ${formatDollars(setup.trackerPrice)} per tracker, a seed server) are not paid back.`,
    );
  } else {
    parts.push(neverSentence(marginal.shareLimit, perUserCs, perUserP2p, printedDollars(extraFixed)));
  }
  if (breakEven.status !== 'never') {
    const slopeGap = marginal.clientServer - marginal.peerToPeer;
    const details = `${formatDollars(setup.egressPrice)}/GB × ${formatSig(setup.downloadPerUser)} GB × ${formatPercent(marginal.shareLimit)} served by peers`;
    parts.push(
      savingSentence(
        perUserCs,
        perUserP2p,
        extraFixed,
        slopeGap > 0 ? extraFixed / slopeGap : NaN,
        slopeGap > 0 ? marginal.egressSaved / slopeGap : 0,
        details,
      ),
    );
  }
  parts.push(uploadCapSentence(printedRate(setup.peerAvailability * setup.peerUpload), printedRate(setup.ratePerUser * setup.peakToMean)));
  parts.push(implementSentence(printedDollars(setup.p2pFixedCost + setup.trackerPrice), printedDollars(setup.csBaseCost)));
  parts.push('This P2P is optimistic: its peers may carry all of the bytes, and nothing here pays for seeding each item once.');
  return parts.filter((part) => part !== '').join(' ');
}

/** The simulated busiest hour against the formula's, as printed; the reason only when it was busier. */
export function busiestHourSentence(observed: number, formula: number): string {
  const seen = Number(observed.toPrecision(3));
  const expected = Number(formula.toPrecision(3));
  const head = ` The simulated busiest hour at the largest N was ${formatSig(observed)}× the mean load, against ${formatSig(formula)}× in the formula`;
  if (seen > expected)
    return `${head}: random demand (day-to-day swings, hour-to-hour noise) makes the busiest hour busier than the curve’s.`;
  if (seen < expected) return `${head}: with so few downloads, the month’s busiest hour fell short of the curve’s.`;
  return `${head}.`;
}

export interface CostNetwork extends CostTrace {
  /** The month the view was recorded from, and its hours. */
  month: SimulatedMonth;
  log: MonthLog;
}

/**
 * The network view: one more month at the reader's N, on its own seed (so the charts' numbers
 * do not change), heard hour by hour by a MonthLog; a day of it drawn with 30 sampled users.
 */
export function costNetwork(params: CostLabParams, seed: number, setup: CostSetup = costSetup(params)): CostNetwork {
  const users = params.maxUsers;
  const log = new MonthLog();
  const month = simulateMonth(users, setup, params.dailySwing, createRandom(deriveSeed(seed, 0xfeed)), log);
  const drawn = buildCostTrace({
    users,
    setup,
    month,
    log,
    random: createRandom(deriveSeed(seed, 0xfeed, 1)),
    binomial: sampleBinomial,
    dollars: formatDollars,
    usersText: formatUsers,
  });
  return { ...drawn, month, log };
}

export const cost: LabModel = {
  manifest,
  benchCases: [1_000, 100_000, 10_000_000].map((size) => ({ size, params: { ...defaults(manifest), maxUsers: size } })),
  run(raw, context): LabResult {
    const params = raw as unknown as CostLabParams;
    const setup = costSetup(params);
    const maxUsers = params.maxUsers;
    const points = simulatedUsers(maxUsers);

    const csTotal: Point[] = [];
    const p2pTotal: Point[] = [];
    const csPerUser: Point[] = [];
    const p2pPerUser: Point[] = [];
    const peerShareLine: Point[] = [];
    // The formula's grid holds every simulated N too, so the data table lines them up.
    const grid = [...new Set([...logSpacedIntegers(1, maxUsers, 120), ...points])].sort((a, b) => a - b);
    for (const users of grid) {
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
    let largest: SimulatedMonth[] = [];
    const floors = cheapestMonth(setup);
    points.forEach((users, index) => {
      // Each month's seed comes from (seed, N, month), so a point does not depend on the chart's range.
      const months = Array.from({ length: MONTHS_PER_POINT }, (_, month) =>
        simulateMonth(users, setup, params.dailySwing, createRandom(deriveSeed(context.seed, users, month))),
      );
      csTotalSim.push(
        boundedMeanPoint(
          users,
          months.map((m) => m.clientServer.total),
          floors.clientServer,
        ),
      );
      p2pTotalSim.push(
        boundedMeanPoint(
          users,
          months.map((m) => m.peerToPeer.total),
          floors.peerToPeer,
        ),
      );
      csPerUserSim.push(
        boundedMeanPoint(
          users,
          months.map((m) => m.clientServer.total / users),
          floors.clientServer / users,
        ),
      );
      p2pPerUserSim.push(
        boundedMeanPoint(
          users,
          months.map((m) => m.peerToPeer.total / users),
          floors.peerToPeer / users,
        ),
      );
      // A month without a single download has no share to show.
      const shares = months.filter((m) => m.clientServer.egressGB > 0).map((m) => (m.peerToPeer.peerGB / m.clientServer.egressGB) * 100);
      if (shares.length > 0) peerShareSim.push(boundedMeanPoint(users, shares, 0, 100));
      largest = months;
      context.progress(0.05 + (0.9 * (index + 1)) / points.length);
    });
    if (largest.length === 0) throw new Error('no user counts to simulate');
    const meanOfLargest = (value: (month: SimulatedMonth) => number): number =>
      largest.reduce((sum, m) => sum + value(m), 0) / largest.length;

    const breakEven = breakEvenUsers(setup);
    const breakEvenLine: Point[] = [];
    if (breakEven.status === 'at' && breakEven.users <= maxUsers) {
      const perUser = [...csPerUser, ...p2pPerUser].map((point) => point[1]).filter((value) => value > 0);
      if (perUser.length > 0) breakEvenLine.push([breakEven.users, Math.min(...perUser)], [breakEven.users, Math.max(...perUser)]);
    }

    const csAtMax = clientServerCost(maxUsers, setup);
    const p2pAtMax = peerToPeerCost(maxUsers, setup);
    const breakEvenText =
      breakEven.status === 'at'
        ? `P2P first becomes no dearer than client-server at N = ${formatUsers(breakEven.users)} users`
        : breakEven.status === 'always'
          ? 'P2P is no dearer than client-server from the first user'
          : `P2P never becomes the cheaper one up to ${formatUsers(BREAK_EVEN_LIMIT)} users`;
    const summary =
      `At N = ${formatUsers(maxUsers)} users, client-server costs ${formatDollars(csAtMax.total)} a month (${formatDollars(csAtMax.total / maxUsers)} per user; simulated ${formatDollars(meanOfLargest((m) => m.clientServer.total))}, mean of ${MONTHS_PER_POINT} months) ` +
      `and P2P ${formatDollars(p2pAtMax.total)} (${formatDollars(p2pAtMax.total / maxUsers)} per user; simulated ${formatDollars(meanOfLargest((m) => m.peerToPeer.total))}), with peers serving ${formatPercent(p2pAtMax.share)} of the bytes. ` +
      `${breakEvenText}; with one user client-server costs ${formatDollars(csTotal[0]?.[1] ?? 0)} and P2P ${formatDollars(p2pTotal[0]?.[1] ?? 0)}.` +
      (params.dailySwing > 0 && params.billing === 'peak'
        ? busiestHourSentence(
            meanOfLargest((m) => m.observedPeakToMean),
            params.peakToMean,
          )
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
      network: costNetwork(params, context.seed, setup).trace,
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
