#!/usr/bin/env python3
"""Checks the churn lab against an independent implementation.

Rebuilds the lab's experiment from its documented semantics (labs/churn/manifest.ts, the
lesson content/lessons/churn.mdx): N peers alternate online sessions and offline periods
drawn with scipy.stats from the exponential, Pareto (x_m = mean (α − 1)/α, α raised to at
least 1.05) or Weibull (λ = mean / Γ(1 + 1/k)) law, each started in the long-run state: a
peer is online with probability p, its current period's length is drawn from the
length-biased law and the time 0 falls uniformly inside it (so age and time left are drawn
jointly). Items are stored on k distinct peers picked at random; an item is available while
one of its holders is online, time-averaged over 25 mean on/off cycles. Smaller networks of
n peers are ⌊min(N, 1000)/n⌋ (at least one) networks of n side by side, each item inside one.

* Without repair, availability is the union of the holders' online time, computed for all
  items at once with numpy (no event loop), against 1 − (1 − p)^k.
* With repair, an event-driven simulation of the documented rule: a holder that has been
  offline for the repair delay loses its copy to a random online peer of the item's network
  that lacks it ('random'), or to the longest-online of 8 such peers sampled ('oldest'); with
  no online holder the copy waits until one returns; with no peer to copy to it stays put
  until its holder or the item returns (the lab's stated choice).
* Overlay maintenance counted message by message in rings of the peers online: a join into a
  ring of m (itself included) builds log₂ m entries and costs (log₂ m)² messages, a leave from
  a ring of m costs (log₂ m)², each entry is pinged every τ from a random timer phase; and the
  lab's dashed line against the formula M(N) of the manifest.
* Servers: the lab's lines against MTBF/(MTBF + MTTR) and 1 − (1 − A)^r, both against a long
  simulation of r alternating renewal servers (exponential, and heavy-tailed up times with
  Pareto repairs); and the servers the network view simulates (its frames say how many are
  up) against the same formula, over several seeds.

The configurations (--configs, names below in CONFIGS) are N = 1000 peers, k = 5 (3 for the
Weibull), delay 0.25 h: exponential, Pareto α = 1.5 and Weibull 0.5 without repair (p = 0.5,
0.5, 0.25); 'random' repair with Pareto and exponential laws at p = 0.2; 'oldest' repair with
Pareto sessions at p = 0.5 (the lab's defaults); optionally 'oldest' with Weibull 0.5. Each
compares the lab's availability against k (k = 1 … 10 on all N peers), against the network
size n (the lab's seven sizes), over time (the tracked k and the peers online, in 8 windows
of the 120 bins, finer at the start where a repair transient shows), the repairs per item
and day, and the counted maintenance per network of n peers.

The lab's numbers come from `npx tsx scripts/print-lab.ts churn '<params>' <seed>` for
--lab-seeds seeds (seed, seed + 1, ...), each 6 independent runs; its chart points carry
95% Student t intervals across those runs, from which the standard error is read back
(half-width / t(0.975, 5), from the side not cut at 0 or 100%). The independent simulation
makes --runs runs of its own. The lab reports repairs per day without an interval: its
standard error is taken as ours scaled to its number of runs.

    python3 scripts/crosscheck_churn.py [--peers 1000] [--runs 8] [--lab-seeds 2]
        [--configs default|all|name,...] [--seed 1] [--tolerance 4] [--separate-age] [--verbose]

Tolerance: every comparison is a two-sample (Welch) t test of the lab's mean against the
independent mean, runs being the independent samples (the items of one run share their
holders' history). Its p-value is turned into the equivalent normal score z, and a check
fails when |z| > --tolerance. With the defaults' ~380 comparisons, 4 keeps the chance of a
false alarm below 2.5% (Bonferroni: 380 · 6.3e-5), less since the comparisons of one
configuration are strongly correlated. An over-time window averages several of the lab's
bins; its standard error is bounded above by the mean of the bins' errors (the sd of a sum
is at most the sum of the sds), which makes that test conservative. Deviations are also
printed in percentage points. Exits with status 1 when a lab result differs from the
independent one beyond the tolerance, or a lab formula line from the manifest's formula.

--separate-age draws each peer's age at time 0 from the same equilibrium law but
independently of the time left in its period, as labs/churn/model.ts did until this check
found it (with 'oldest' repair and Pareto sessions it made about 9.6 repairs per item and
day instead of 6.1-6.5, as the ages it ranked peers by said nothing about their time left):
a diagnostic, to tell that cause of a deviation apart from others.

Runs in about 65 s of CPU with the defaults (about 20 s of it the lab's own runs).
"""

import argparse
import heapq
import math
import random
import re
import sys
import time
import zlib
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

import lab_output
from tally import Tally

CYCLES = 25  # mean on/off cycles per run (manifest: "6 independent runs of 25 mean on/off cycles")
LAB_RUNS = 6
BINS = 120  # the over-time chart's bins
# Over-time windows compared, in bins of the 120: finer at the start, where a repair's
# transient (copies moving off the peers first picked) would show.
WINDOWS = ((0, 1), (1, 2), (2, 4), (4, 8), (8, 16), (16, 32), (32, 64), (64, 120))
SWEEP_ITEMS = 200
TRACKED_ITEMS = 1000
SIZE_PEERS = 1000
PARETO_MIN_SHAPE = 1.05
T975_5 = stats.t.ppf(0.975, LAB_RUNS - 1)

# name: lab parameters (the rest stay at the manifest's defaults)
CONFIGS = {
    "exp-none": dict(sessionDistribution="exponential", meanSession=1, meanOff=1, replicas=5, repair="none"),
    "pareto-none": dict(sessionDistribution="pareto", shape=1.5, meanSession=1, meanOff=1, replicas=5, repair="none"),
    "weibull-none": dict(sessionDistribution="weibull", shape=0.5, meanSession=1, meanOff=3, replicas=3, repair="none"),
    "pareto-random": dict(sessionDistribution="pareto", shape=1.5, meanSession=1, meanOff=4, replicas=5, repair="random", repairDelay=0.25),
    "exp-random": dict(sessionDistribution="exponential", meanSession=1, meanOff=4, replicas=5, repair="random", repairDelay=0.25),
    "pareto-oldest": dict(sessionDistribution="pareto", shape=1.5, meanSession=1, meanOff=1, replicas=5, repair="oldest", repairDelay=0.25),
    "weibull-oldest": dict(sessionDistribution="weibull", shape=0.5, meanSession=1, meanOff=1, replicas=3, repair="oldest", repairDelay=0.25),
}
DEFAULT = ["exp-none", "pareto-none", "weibull-none", "pareto-random", "exp-random", "pareto-oldest", "servers"]


# --------------------------------------------------------------------------- the lab


def lab_result(params: dict, seed: int) -> dict:
    """The lab's own result (see lab_output.py)."""
    return lab_output.lab_result("churn", params, seed)


@dataclass
class Est:
    """A mean with its standard error and degrees of freedom."""

    mean: float
    se: float
    df: float


def from_points(points: list) -> Est:
    """One chart point per lab seed, [x, mean, low, high]: their mean, and its standard error
    from the 95% t intervals (each over the seed's 6 runs)."""
    means = np.array([pt[1] for pt in points], dtype=float)
    ses = np.array([max(pt[1] - pt[2], pt[3] - pt[1]) / T975_5 if len(pt) > 3 else 0.0 for pt in points])
    s = len(points)
    var = float(np.sum(ses**2)) / s**2
    df = (np.sum(ses**2) ** 2 / np.sum(ses**4 / (LAB_RUNS - 1))) if np.any(ses > 0) else 1e9
    return Est(float(means.mean()), math.sqrt(var), float(df))


def from_runs(values) -> Est:
    v = np.asarray(values, dtype=float)
    return Est(float(v.mean()), float(v.std(ddof=1) / math.sqrt(len(v))), len(v) - 1)


def exact(value: float) -> Est:
    return Est(value, 0.0, 1e9)


def zscore(a: Est, b: Est) -> float:
    """Welch t statistic of a − b, as the equivalent normal score (same two-sided p-value)."""
    var = a.se**2 + b.se**2
    diff = a.mean - b.mean
    if var <= 0:
        return 0.0 if abs(diff) < 1e-9 else math.copysign(math.inf, diff)
    terms = [x.se**4 / x.df for x in (a, b) if x.se > 0]
    df = var**2 / sum(terms)
    t = diff / math.sqrt(var)
    p = 2 * stats.t.sf(abs(t), df)
    return math.copysign(float(stats.norm.isf(p / 2)) if p > 0 else math.inf, t)


# --------------------------------------------------------------------------- laws


class Law:
    """A duration law with a given mean, as the manifest parametrises it, and its length-biased
    version (density x f(x)/E[X]) for the period that contains time 0."""

    def __init__(self, kind: str, mean: float, shape: float):
        self.kind, self.mean = kind, mean
        self.shape = max(shape, PARETO_MIN_SHAPE) if kind == "pareto" else shape
        if kind == "pareto":
            alpha = max(shape, PARETO_MIN_SHAPE)
            xm = mean * (alpha - 1) / alpha
            self.law = stats.pareto(b=alpha, scale=xm)
            self.biased = stats.pareto(b=alpha - 1, scale=xm)  # x · x^−(α+1) ∝ x^−α
            self.transform = None
        elif kind == "weibull":
            lam = mean / special.gamma(1 + 1 / shape)
            self.law = stats.weibull_min(c=shape, scale=lam)
            # u = (x/λ)^k: x f(x) dx ∝ u^(1/k) e^−u du, a Gamma(1 + 1/k) in u.
            self.biased = stats.gamma(a=1 + 1 / shape)
            self.transform = lambda u, lam=lam, k=shape: lam * u ** (1 / k)
        else:
            self.law = stats.expon(scale=mean)
            self.biased = stats.gamma(a=2, scale=mean)
            self.transform = None
        assert abs(self.law.mean() - mean) < 1e-9 * mean

    def draw(self, size, rng) -> np.ndarray:
        return self.law.rvs(size=size, random_state=rng)

    def draw_biased(self, size, rng) -> np.ndarray:
        x = self.biased.rvs(size=size, random_state=rng)
        return self.transform(x) if self.transform else x


@dataclass
class Trajectories:
    """Every peer's on/off history over [0, horizon): its toggles in time order per peer."""

    n: int
    horizon: float
    online0: np.ndarray  # bool, online at time 0
    age0: np.ndarray  # time already spent in the period current at 0
    times: np.ndarray  # toggle times, grouped by peer, increasing within a peer
    peer: np.ndarray
    joins: np.ndarray  # bool: the toggle brings the peer online
    ptr: np.ndarray  # peer i's toggles are [ptr[i], ptr[i + 1])


def trajectories(n: int, on: Law, off: Law, horizon: float, rng: np.random.Generator, separate_age: bool = False) -> Trajectories:
    """Started in the long-run state: time 0 falls uniformly inside a length-biased period, so
    its age and the time left are drawn jointly. With separate_age (a diagnostic), the age is
    drawn from the same marginal law but independently of the time left."""
    p = on.mean / (on.mean + off.mean)
    online0 = rng.random(n) < p
    length = np.where(online0, on.draw_biased(n, rng), off.draw_biased(n, rng))
    u = rng.random(n)
    age0, first = u * length, (1 - u) * length
    if separate_age:
        age0 = rng.random(n) * np.where(online0, on.draw_biased(n, rng), off.draw_biased(n, rng))
    blocks = [first[:, None]]
    ends = first.copy()
    j = 0
    while np.any(ends < horizon):
        chunk = max(8, int(2.5 * horizon / (on.mean + off.mean)))
        d_on, d_off = on.draw((n, chunk), rng), off.draw((n, chunk), rng)
        # The period after toggle j is online when online0 XOR (j even).
        state = online0[:, None] ^ ((np.arange(j, j + chunk) % 2) == 0)[None, :]
        block = ends[:, None] + np.cumsum(np.where(state, d_on, d_off), axis=1)
        blocks.append(block)
        ends = block[:, -1]
        j += chunk
    matrix = np.hstack(blocks)
    mask = matrix < horizon
    counts = mask.sum(axis=1)
    # Toggles are increasing along a row, so the ones inside the horizon are a prefix.
    ptr = np.concatenate([[0], np.cumsum(counts)])
    rows, cols = np.nonzero(mask)
    joins = ~online0[rows] ^ ((cols % 2) == 1)  # toggle j brings online iff the peer was offline before it
    return Trajectories(n, float(horizon), online0, age0, matrix[rows, cols], rows, joins, ptr)


def piecewise_bins(start_value: float, times: np.ndarray, deltas: np.ndarray, horizon: float, bins: int) -> np.ndarray:
    """Per-bin average of a step function with value start_value at 0 and jumps `deltas` at `times`."""
    order = np.argsort(times, kind="stable")
    t = np.concatenate([[0.0], times[order], [horizon]])
    values = start_value + np.concatenate([[0.0], np.cumsum(deltas[order])])
    integral = np.concatenate([[0.0], np.cumsum(values * np.diff(t))])
    edges = np.linspace(0, horizon, bins + 1)
    return np.diff(np.interp(edges, t, integral)) / np.diff(edges)


def online_over_time(tr: Trajectories, bins: int) -> np.ndarray:
    return piecewise_bins(float(tr.online0.sum()), tr.times, np.where(tr.joins, 1.0, -1.0), tr.horizon, bins) / tr.n


# --------------------------------------------------------------------------- items


def place_items(copies: int, items: int, size: int, networks: int, rng: np.random.Generator) -> np.ndarray:
    """Holders (items × copies): k distinct peers of a network picked at random."""
    offset = rng.integers(networks, size=items) * size
    within = np.argsort(rng.random((items, size)), axis=1)[:, :copies]
    return offset[:, None] + within


def static_availability(tr: Trajectories, holders: np.ndarray, bins: int = 0):
    """Without repair: each item's online share, the union of its holders' online time (all items
    at once), and the share of items available per time bin."""
    items, k = holders.shape
    slot_item = np.repeat(np.arange(items), k)
    slot_peer = holders.ravel()
    counts = tr.ptr[slot_peer + 1] - tr.ptr[slot_peer]
    ev_item = np.repeat(slot_item, counts)
    starts = np.repeat(tr.ptr[slot_peer], counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    idx = starts + within
    ev_time = tr.times[idx]
    ev_delta = np.where(tr.joins[idx], 1, -1)
    order = np.lexsort((ev_time, ev_item))
    ev_item, ev_time, ev_delta = ev_item[order], ev_time[order], ev_delta[order]
    c0 = np.bincount(slot_item, weights=tr.online0[slot_peer], minlength=items).astype(int)
    per_item = np.bincount(ev_item, minlength=items)
    first = np.cumsum(per_item) - per_item
    cs = np.cumsum(ev_delta)
    before_segment = np.repeat(np.where(first > 0, cs[first - 1], 0) if len(cs) else np.zeros(items, int), per_item)
    after = c0[ev_item] + cs - before_segment
    up_after = after > 0
    nxt = np.append(ev_time[1:], tr.horizon)
    last_of_item = np.zeros(len(ev_time), bool)
    last_of_item[first[per_item > 0] + per_item[per_item > 0] - 1] = True
    nxt[last_of_item] = tr.horizon
    up_time = np.bincount(ev_item, weights=(nxt - ev_time) * up_after, minlength=items)
    first_time = np.full(items, float(tr.horizon))
    first_time[per_item > 0] = ev_time[first[per_item > 0]]
    up_time += first_time * (c0 > 0)
    assert np.all(after >= 0) and np.all(up_time <= tr.horizon * (1 + 1e-9))
    share = up_time / tr.horizon
    if not bins:
        return share, None
    up_before = np.empty_like(up_after)
    up_before[1:] = up_after[:-1]
    up_before[first[per_item > 0]] = c0[per_item > 0] > 0
    flip = up_after != up_before
    over_time = piecewise_bins(float((c0 > 0).sum()), ev_time[flip], np.where(up_after[flip], 1.0, -1.0), tr.horizon, bins) / items
    return share, over_time


def repair_simulation(tr: Trajectories, groups: list, size: int, policy: str, delay: float, tracked: int, bins: int, pyrng: random.Random):
    """With repair: events in time order (the toggles, and each offline holder's timeout).
    groups: a list of holder arrays (items × k), all inside networks of `size` peers.
    Returns per group the availability and the repairs per item and hour, and the tracked
    group's share available per time bin."""
    horizon = tr.horizon
    n = tr.n
    online = tr.online0.tolist()
    since = (-tr.age0).tolist()  # start of each peer's current period
    networks = n // size
    net_of = [peer // size for peer in range(n)]
    members = [[] for _ in range(networks)]  # online peers of each network
    position = [0] * n
    for peer in range(n):
        if online[peer]:
            position[peer] = len(members[net_of[peer]])
            members[net_of[peer]].append(peer)

    holders, group_of, held = [], [], [set() for _ in range(n)]
    for g, array in enumerate(groups):
        for row in array.tolist():
            it = len(holders)
            holders.append(row)
            group_of.append(g)
            for peer in row:
                held[peer].add(it)
    network_of = [net_of[row[0]] for row in holders]
    up = [sum(online[peer] for peer in row) for row in holders]
    available = [0] * len(groups)
    for it, count in enumerate(up):
        available[group_of[it]] += count > 0
    start_tracked = available[tracked]
    integral = [0.0] * len(groups)
    last = [0.0] * len(groups)
    repairs = [0] * len(groups)
    flips_t, flips_d = [], []

    def change(g: int, delta: int, t: float) -> None:
        integral[g] += available[g] * (t - last[g])
        last[g] = t
        available[g] += delta
        if g == tracked:
            flips_t.append(t)
            flips_d.append(delta)

    rand = pyrng.random

    def target(it: int):
        pool = members[network_of[it]]
        eligible = len(pool) - up[it]
        if eligible <= 0:
            return None
        wanted = 1 if policy == "random" else min(8, eligible)
        if eligible < 16 or eligible < 0.3 * len(pool):
            candidates = [peer for peer in pool if it not in held[peer]]
            picked = pyrng.sample(candidates, wanted)
        else:
            chosen = set()
            while len(chosen) < wanted:
                peer = pool[int(rand() * len(pool))]
                if it not in held[peer]:
                    chosen.add(peer)
            picked = list(chosen)
        return picked[0] if wanted == 1 else min(picked, key=lambda peer: since[peer])

    def move(it: int, old: int) -> None:
        new = target(it)
        if new is None:
            return
        row = holders[it]
        row[row.index(old)] = new
        held[old].discard(it)
        held[new].add(it)
        up[it] += 1
        repairs[group_of[it]] += 1

    timeouts = []  # (due, peer, start of the offline period it belongs to)
    for peer in range(n):
        if not online[peer] and held[peer]:
            due = max(0.0, since[peer] + delay)
            if due < horizon:
                heapq.heappush(timeouts, (due, peer, since[peer]))

    def timeout(t: float, peer: int, went: float) -> None:
        if online[peer] or since[peer] != went:
            return  # it came back meanwhile
        for it in list(held[peer]):
            if up[it] > 0:  # else the copy waits until a holder returns
                move(it, peer)

    order = np.argsort(tr.times, kind="stable")
    for t, peer, joining in zip(tr.times[order].tolist(), tr.peer[order].tolist(), tr.joins[order].tolist()):
        while timeouts and timeouts[0][0] <= t:
            due, who, went = heapq.heappop(timeouts)
            timeout(due, who, went)
        pool = members[net_of[peer]]
        mine = held[peer]
        if joining:
            online[peer] = True
            since[peer] = t
            position[peer] = len(pool)
            pool.append(peer)
            if mine:
                for it in list(mine):
                    up[it] += 1
                    if up[it] == 1:
                        change(group_of[it], 1, t)
                        # A source is back: holders offline for the whole delay are replaced now.
                        for other in list(holders[it]):
                            if not online[other] and since[other] + delay <= t:
                                move(it, other)
        else:
            online[peer] = False
            since[peer] = t
            moved = pool.pop()
            if moved != peer:
                pool[position[peer]] = moved
                position[moved] = position[peer]
            if mine:
                for it in mine:
                    up[it] -= 1
                    if up[it] == 0:
                        change(group_of[it], -1, t)
                if t + delay < horizon:
                    heapq.heappush(timeouts, (t + delay, peer, t))
    while timeouts:
        due, who, went = heapq.heappop(timeouts)
        timeout(due, who, went)
    for g in range(len(groups)):
        change(g, 0, horizon)
    counts = [len(array) for array in groups]
    share = [integral[g] / (horizon * counts[g]) for g in range(len(groups))]
    rate = [repairs[g] / (horizon * counts[g]) for g in range(len(groups))]
    over_time = None
    if bins:
        over_time = piecewise_bins(float(start_tracked), np.array(flips_t), np.array(flips_d, float), horizon, bins) / counts[tracked]
    return share, rate, over_time


# --------------------------------------------------------------------------- maintenance


def maintenance(tr: Trajectories, size: int, keep_alive_s: float, rng: np.random.Generator) -> float:
    """Messages per second of one network of `size` peers, counted in the rings of the peers
    online (all ⌊n/size⌋ networks of the population, averaged)."""
    networks = tr.n // size
    tau = keep_alive_s / 3600
    net = tr.peer // size
    order = np.lexsort((tr.times, net))
    delta = np.where(tr.joins, 1, -1)[order]
    m0 = np.bincount(np.arange(tr.n) // size, weights=tr.online0, minlength=networks).astype(int)
    per_net = np.bincount(net, minlength=networks)
    first = np.cumsum(per_net) - per_net
    cs = np.cumsum(delta)
    before = np.repeat(np.where(first > 0, cs[np.maximum(first - 1, 0)], 0), per_net)
    ring_after = m0[net[order]] + cs - before
    assert np.all(ring_after >= 0)
    log2 = lambda m: np.log2(np.maximum(m, 1))
    ring = np.empty(len(order), int)
    ring[order] = np.where(delta > 0, ring_after, ring_after + 1)  # a join: the ring it joined; a leave: the ring it left
    churn_messages = float(np.sum(log2(ring) ** 2))
    # Pings: each session's table (log₂ of its ring at the join, or at 0) times ⌊U + length/τ⌋.
    table0 = log2(m0[np.arange(tr.n) // size])
    pings = 0.0
    joins = np.nonzero(tr.joins)[0]
    ends = joins + 1
    has_end = ends < tr.ptr[tr.peer[joins] + 1]
    end_time = np.where(has_end, tr.times[np.minimum(ends, len(tr.times) - 1)], tr.horizon)
    lengths = end_time - tr.times[joins]
    pings += float(np.sum(np.floor(rng.random(len(joins)) + lengths / tau) * log2(ring[joins])))
    # Sessions under way at 0: until the first toggle (a leave) or the horizon.
    start_on = np.nonzero(tr.online0)[0]
    counts = tr.ptr[start_on + 1] - tr.ptr[start_on]
    end0 = np.where(counts > 0, tr.times[np.minimum(tr.ptr[start_on], len(tr.times) - 1)], tr.horizon)
    pings += float(np.sum(np.floor(rng.random(len(start_on)) + end0 / tau) * table0[start_on]))
    return (churn_messages + pings) / (networks * tr.horizon * 3600)


def maintenance_formula(size: int, p: float, cycle_h: float, keep_alive_s: float) -> float:
    m = p * size
    table = math.log2(m) if m > 1 else 0.0
    return m * table / keep_alive_s + 2 * size * table**2 / (cycle_h * 3600)


# --------------------------------------------------------------------------- one configuration


class Report(Tally):
    def family(self, label: str, rows: list, unit: str = "points", scale: float = 1.0) -> None:
        """rows: (where, lab Est, reference Est). Prints the largest |z| and the largest deviation."""
        if not rows:
            return
        zs = [zscore(a, b) for _, a, b in rows]
        gaps = [abs(a.mean - b.mean) * scale for _, a, b in rows]
        self.count += len(rows)
        at = int(np.argmax(np.abs(zs)))
        at_gap = int(np.argmax(gaps))
        where, a, b = rows[at]
        flag = "  <-- beyond tolerance" if abs(zs[at]) > self.tolerance else ""
        print(
            f"  {label:44} max |z| {abs(zs[at]):5.2f} at {where} ({a.mean * scale:.3f} vs {b.mean * scale:.3f} ± {math.hypot(a.se, b.se) * scale:.3f}); "
            f"max gap {gaps[at_gap]:.3g} {unit} at {rows[at_gap][0]}{flag}"
        )
        self.worst = max(self.worst, abs(zs[at]))
        for (where, a, b), z in zip(rows, zs):
            if abs(z) > self.tolerance:
                self.failures.append(f"{label} at {where}: lab {a.mean * scale:.4g} vs {b.mean * scale:.4g}, z = {z:.2f}")


def check_config(name: str, overrides: dict, args, report: Report) -> None:
    started = time.monotonic()
    params = {"peers": args.peers, **overrides}
    labs = [lab_result(params, args.seed + i) for i in range(args.lab_seeds)]
    lab_seconds = time.monotonic() - started
    values = labs[0]["params"]
    kind, shape = values["sessionDistribution"], values["shape"]
    on, off = Law(kind, values["meanSession"], shape), Law(kind, values["meanOff"], shape)
    cycle = on.mean + off.mean
    horizon = CYCLES * cycle
    p = on.mean / cycle
    k = values["replicas"]
    n = values["peers"]
    k_max = min(n, max(10, k))
    policy = values["repair"]
    delay = values["repairDelay"]
    tau = values["keepAlive"]
    sizes = [int(pt[0]) for pt in labs[0]["series"]["peersSim"]]
    series = lambda key: [lab["series"][key] for lab in labs]

    rng = np.random.default_rng([args.seed, zlib.crc32(name.encode())])
    pyrng = random.Random(int(rng.integers(2**63)))
    copies_runs = np.zeros((args.runs, k_max))
    rate_runs = np.zeros((args.runs, k_max))
    time_runs = np.zeros((args.runs, BINS))
    online_runs = np.zeros((args.runs, BINS))
    size_runs = {size: np.zeros(args.runs) for size in sizes}
    maint_runs = {size: np.zeros(args.runs) for size in sizes}
    for r in range(args.runs):
        tr = trajectories(n, on, off, horizon, rng, args.separate_age)
        online_runs[r] = online_over_time(tr, BINS)
        groups = [place_items(c, TRACKED_ITEMS if c == k else SWEEP_ITEMS, n, 1, rng) for c in range(1, k_max + 1)]
        if policy == "none":
            for c, holders in enumerate(groups, start=1):
                share, over = static_availability(tr, holders, BINS if c == k else 0)
                copies_runs[r, c - 1] = share.mean()
                if c == k:
                    time_runs[r] = over
        else:
            share, rate, over = repair_simulation(tr, groups, n, policy, delay, k - 1, BINS, pyrng)
            copies_runs[r] = share
            rate_runs[r] = rate
            time_runs[r] = over
        size_runs[n][r] = copies_runs[r, k - 1]
        maint_runs[n][r] = maintenance(tr, n, tau, rng)
        for size in sizes:
            if size == n:
                continue
            networks = max(1, min(n, SIZE_PEERS) // size)
            small = trajectories(size * networks, on, off, horizon, rng, args.separate_age)
            holders = place_items(k, SWEEP_ITEMS, size, networks, rng)
            if policy == "none":
                size_runs[size][r] = static_availability(small, holders)[0].mean()
            else:
                size_runs[size][r] = repair_simulation(small, [holders], size, policy, delay, 0, 0, pyrng)[0][0]
            maint_runs[size][r] = maintenance(small, size, tau, rng)

    print(
        f"{name}: {kind}{'' if kind == 'exponential' else f' shape {on.shape:g}'}, "
        f"on {on.mean:g} h / off {off.mean:g} h (p = {p:.3f}), k = {k}, repair {policy}"
        + (f" after {delay:g} h" if policy != "none" else "")
        + f", N = {n}, sizes {sizes}; lab {args.lab_seeds}×6 runs ({lab_seconds:.1f} s), independent {args.runs} runs ({time.monotonic() - started - lab_seconds:.1f} s)"
    )
    pct = 100.0
    # Availability against k on all N peers.
    copies_lab = [from_points([s[c - 1] for s in series("copiesSim")]) for c in range(1, k_max + 1)]
    report.family(
        "availability vs k: lab vs independent",
        [(f"k={c}", copies_lab[c - 1], from_runs(copies_runs[:, c - 1] * pct)) for c in range(1, k_max + 1)],
    )
    if policy == "none":
        report.family(
            "availability vs k: lab vs 1-(1-p)^k",
            [(f"k={c}", copies_lab[c - 1], exact(pct * (1 - (1 - p) ** c))) for c in range(1, k_max + 1)],
        )
        report.family(
            "availability vs k: independent vs 1-(1-p)^k",
            [(f"k={c}", from_runs(copies_runs[:, c - 1] * pct), exact(pct * (1 - (1 - p) ** c))) for c in range(1, k_max + 1)],
        )
    if args.verbose or policy != "none":
        ind = [from_runs(copies_runs[:, c - 1] * pct) for c in range(1, k_max + 1)]
        print("    k:           " + " ".join(f"{c:6d}" for c in range(1, k_max + 1)))
        print("    lab %:       " + " ".join(f"{e.mean:6.2f}" for e in copies_lab))
        print("    independent: " + " ".join(f"{e.mean:6.2f}" for e in ind))
        print("    formula:     " + " ".join(f"{pct * (1 - (1 - p) ** c):6.2f}" for c in range(1, k_max + 1)))
    # Availability against the network size n.
    peers_lab = {size: from_points([s[i] for s in series("peersSim")]) for i, size in enumerate(sizes)}
    report.family(
        f"availability vs network size (k={k}): lab vs indep.",
        [(f"n={size}", peers_lab[size], from_runs(size_runs[size] * pct)) for size in sizes],
    )
    if policy == "none":
        report.family(
            "availability vs network size: lab vs formula",
            [(f"n={size}", peers_lab[size], exact(pct * (1 - (1 - p) ** k))) for size in sizes],
        )
    else:
        print("    n:           " + " ".join(f"{size:6d}" for size in sizes))
        print("    lab %:       " + " ".join(f"{peers_lab[size].mean:6.2f}" for size in sizes))
        print("    independent: " + " ".join(f"{from_runs(size_runs[size] * pct).mean:6.2f}" for size in sizes))
    # Over time, in windows of 20 bins.
    for key, runs, label in (("itemsAvailable", time_runs, f"items available over time (k={k})"), ("peersOnline", online_runs, "peers online over time")):
        per_seed = series(key)
        rows = []
        for lo, hi in WINDOWS:
            cut = slice(lo, hi)
            seed_windows = []
            for s in per_seed:
                pts = s[cut]
                mean = float(np.mean([pt[1] for pt in pts]))
                se = float(np.mean([max(pt[1] - pt[2], pt[3] - pt[1]) / T975_5 for pt in pts]))
                seed_windows.append([0, mean, mean - se * T975_5, mean + se * T975_5])
            hours = f"{lo * horizon / BINS:.3g}-{hi * horizon / BINS:.3g}h"
            rows.append((hours, from_points(seed_windows), from_runs(runs[:, cut].mean(axis=1) * pct)))
        report.family(f"{label}: lab vs indep.", rows)
        if key == "itemsAvailable" and (args.verbose or policy != "none"):
            print("    window:      " + " ".join(f"{w:>11}" for w, _, _ in rows))
            print("    lab %:       " + " ".join(f"{a.mean:11.3f}" for _, a, _ in rows))
            print("    independent: " + " ".join(f"{b.mean:11.3f}" for _, _, b in rows))
        if key == "peersOnline":
            report.family("peers online over time: lab vs p", [(w, a, exact(pct * p)) for w, a, _ in rows])
    # Repairs per item and day.
    if policy != "none":
        lab_rate = float(np.mean([lab["outputs"]["repairsPerDay"] for lab in labs]))
        ind = from_runs(rate_runs[:, k - 1] * 24)
        lab_est = Est(lab_rate, ind.se * math.sqrt(args.runs / (LAB_RUNS * args.lab_seeds)), LAB_RUNS * args.lab_seeds - 1)
        report.family(f"repairs per item per day (k={k}), lab se from ours", [(f"k={k}", lab_est, ind)], unit="copies/day")
        print(f"    repairs/day by k, lab output {lab_rate:.3f} (k={k}); independent: " + " ".join(f"{24 * v:.2f}" for v in rate_runs.mean(axis=0)))
    # Maintenance traffic per network of n peers.
    maint_lab = {size: from_points([s[i] for s in series("maintenanceSim")]) for i, size in enumerate(sizes)}
    report.family(
        "maintenance msgs/s per network: lab vs counted",
        [(f"n={size}", maint_lab[size], from_runs(maint_runs[size])) for size in sizes],
        unit="msgs/s",
    )
    formula_gap = max(
        abs(pt[1] - maintenance_formula(int(pt[0]), p, cycle, tau)) / max(1e-12, maintenance_formula(int(pt[0]), p, cycle, tau) or 1)
        for pt in labs[0]["series"]["maintenanceRef"]
    )
    ratio = " ".join(f"{maint_lab[size].mean / maintenance_formula(size, p, cycle, tau):.3f}" for size in sizes)
    print(f"    maintenance formula M(N): lab's dashed line vs manifest formula, max relative gap {formula_gap:.1e}; counted/formula by n: {ratio}")
    if formula_gap > 1e-9:
        report.failures.append(f"{name}: maintenanceRef differs from the manifest's M(N) by {formula_gap:.2e} (relative)")
    # Exact outputs.
    out = labs[0]["outputs"]
    for key, want in (("itemFormula", pct * (1 - (1 - p) ** k)),):
        if abs(out[key] - want) > 1e-9:
            report.failures.append(f"{name}: output {key} = {out[key]} but the formula gives {want}")


# --------------------------------------------------------------------------- servers


def server_availability(r: int, up: Law, down: Law, horizon: float, groups: int, rng) -> tuple:
    """Time share with at least one of r servers up, and per server, from `groups` independent
    groups of r alternating renewal servers started in their long-run state."""
    tr = trajectories(groups * r, up, down, horizon, rng)
    holders = np.arange(groups * r).reshape(groups, r)
    any_up = static_availability(tr, holders)[0]
    one_up = static_availability(tr, holders[:, :1])[0]
    return from_runs(any_up), from_runs(one_up)


def check_servers(args, report: Report) -> None:
    started = time.monotonic()
    rng = np.random.default_rng([args.seed, 7])
    lab = lab_result({"peers": 20}, args.seed)
    v = lab["params"]
    mtbf, mttr, r = v["serverMtbf"], v["serverMttr"], v["serverReplicas"]
    a = mtbf / (mtbf + mttr)
    ar = 1 - (1 - a) ** r
    single = lab["series"]["serverSingle"][0][1]
    replicated = lab["series"]["serverReplicated"][0][1]
    out = lab["outputs"]["serverAvailability"]
    gaps = max(abs(single - 100 * a), abs(replicated - 100 * ar), abs(out - 100 * a))
    print(f"servers: MTBF {mtbf:g} h, MTTR {mttr:g} h, r = {r}: lab lines {single:.4f}% / {replicated:.4f}%, formulas {100 * a:.4f}% / {100 * ar:.4f}% (gap {gaps:.1e})")
    if gaps > 1e-9:
        report.failures.append(f"server lines differ from MTBF/(MTBF+MTTR), 1-(1-A)^r by {gaps:.2e} points")
    cases = (
        ("exponential", Law("exponential", mtbf, 1), Law("exponential", mttr, 1)),
        ("Weibull 0.5 up, Pareto 2.5 repair", Law("weibull", mtbf, 0.5), Law("pareto", mttr, 2.5)),
    )
    for label, up, down in cases:
        any_up, one_up = server_availability(r, up, down, 40 * (mtbf + mttr), 1500, rng)
        # Compared on unavailability, in points, the lab's lines being exact formulas.
        report.family(f"servers ({label}) simulated vs lab line, r={r}", [("r", exact(replicated), Est(100 * any_up.mean, 100 * any_up.se, any_up.df))], unit="points")
        report.family(f"servers ({label}) simulated vs lab line, one", [("1", exact(single), Est(100 * one_up.mean, 100 * one_up.se, one_up.df))], unit="points")
    # The network view's servers (simulated, exponential): frames say how many are up.
    view = {"peers": 20, "meanSession": 50, "meanOff": 50, "serverMtbf": 3, "serverMttr": 1, "serverReplicas": 2}
    ups_any, ups_share = [], []
    for s in range(3):
        frames = lab_result(view, args.seed + s)["network"]["descriptions"]
        counts = [tuple(map(int, m.groups())) for m in (re.search(r"Servers: (\d+) of (\d+) up", d) for d in frames) if m]
        assert len(counts) == len(frames), "could not read the servers from the network view's frames"
        ups_any.append(np.mean([c[0] > 0 for c in counts]))
        ups_share.append(np.mean([c[0] / c[1] for c in counts]))
    a_view = 3 / 4
    # Reference: the same frames (241 over 8 cycles of 100 h) of exponential servers started in
    # their long-run state, many times, for the spread of one view's share.
    view_h = 8 * 100
    reps = 400
    tr = trajectories(reps * 2, Law("exponential", 3, 1), Law("exponential", 1, 1), view_h, rng)
    grid = np.linspace(0, view_h, 241)
    state = np.zeros((reps * 2, len(grid)), bool)
    for i in range(reps * 2):
        toggles = tr.times[tr.ptr[i] : tr.ptr[i + 1]]
        flips = np.searchsorted(toggles, grid, side="right")
        state[i] = tr.online0[i] ^ (flips % 2 == 1)
    sim_any = (state[0::2] | state[1::2]).mean(axis=1)
    sim_share = state.reshape(reps, 2, -1).mean(axis=(1, 2))
    spread_any, spread_share = sim_any.std(ddof=1), sim_share.std(ddof=1)
    nseeds = len(ups_any)
    report.family(
        "network view: servers up (frames), vs 1-(1-A)^2",
        [("r=2", Est(100 * float(np.mean(ups_any)), 100 * spread_any / math.sqrt(nseeds), nseeds - 1), exact(100 * (1 - (1 - a_view) ** 2)))],
    )
    report.family(
        "network view: share of servers up, vs A",
        [("A", Est(100 * float(np.mean(ups_share)), 100 * spread_share / math.sqrt(nseeds), nseeds - 1), exact(100 * a_view))],
    )
    print(
        f"    view (MTBF 3 h, MTTR 1 h, r = 2, 800 h, {nseeds} seeds): any up {100 * np.mean(ups_any):.2f}% (formula {100 * (1 - 0.25**2):.2f}%, "
        f"independent sim {100 * sim_any.mean():.2f}%), share up {100 * np.mean(ups_share):.2f}% (A = 75%, sim {100 * sim_share.mean():.2f}%); {time.monotonic() - started:.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peers", type=int, default=1000, help="N of the lab and of the independent all-N runs")
    parser.add_argument("--runs", type=int, default=8, help="independent runs per configuration")
    parser.add_argument("--lab-seeds", type=int, default=2, help="lab seeds per configuration, 6 runs each")
    parser.add_argument("--configs", default="default", help=f"'default' ({', '.join(DEFAULT)}), 'all', or comma-separated names of: {', '.join(CONFIGS)}, servers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tolerance", type=float, default=4.0, help="largest allowed |z| of a lab-vs-independent difference")
    parser.add_argument(
        "--separate-age",
        action="store_true",
        help="diagnostic: draw each peer's age at time 0 independently of its time left, as labs/churn/model.ts once did, instead of jointly",
    )
    parser.add_argument("--verbose", action="store_true", help="print the per-k tables of every configuration")
    args = parser.parse_args()

    wanted = {"default": DEFAULT, "all": list(CONFIGS) + ["servers"]}.get(args.configs) or args.configs.split(",")
    report = Report(args.tolerance)
    started = time.monotonic()
    for name in wanted:
        if name == "servers":
            check_servers(args, report)
        else:
            check_config(name, CONFIGS[name], args, report)
    return report.finish(started)


if __name__ == "__main__":
    sys.exit(main())
