#!/usr/bin/env python3
"""Checks the security lab against an independent implementation.

Rebuilds the lab's experiments from their documented semantics (labs/security/manifest.ts)
with numpy, and compares them with the lab's own result for the same parameters, obtained
from `npx tsx scripts/print-lab.ts security ...`:

* Lookups against the malicious share f (chart 1, one route and r routes): Chord rings of N
  nodes with random distinct 32-bit ids; a key belongs to the first node at or after it; a
  lookup is routed as in Stoica et al. (2001): a node whose successor owns the key answers,
  else it forwards to its closest finger (successor of id + 2^j) preceding the key. At each
  level M = round(f N) a fresh random set of M nodes per ring is malicious (the lab reads
  every level off one nested ranking instead: same distribution per level). A lookup takes a
  random key and r distinct random honest start nodes (the querier first, then r - 1
  helpers; fewer if fewer honest nodes exist). A route fails when any node it depends on
  after its start (a node it is forwarded to, or the key's owner) is malicious; a lookup
  succeeds when at least one of its routes does. Also compared: h, the mean number of nodes
  the querier's route depends on, and s, the mean number of them that every route passes.
* Lookups subverted against N (chart 4) for an attacker with share f (round(f n) of n nodes,
  at most n - 1) and for a Sybil budget (floor(B / c) malicious identities added to n honest
  nodes; rings above 2,000,000 nodes scaled to 2,000,000 with the same share), r routes.
* Downloads (charts 2 and 3): m chunks, each fetched from a uniformly random node of N, of
  which M are malicious and serve forged bytes; without checks the first copy is kept, with
  checks a forged copy is caught and fetched again from another random node. Polluted
  downloads with and without checks and the mean refetches per download, against this
  simulation and against the model's exact answers (1 - (1 - f)^m; a negative binomial
  with mean m f / (1 - f) and variance m f / (1 - f)^2).
* The closed forms (dashed lines and formula outputs), recomputed from the manifest's
  formulas; and how far the lab's simulated points lie from its independent-hops formulas
  (printed for information: the manifest says they are optimistic for r > 1).

    python3 scripts/crosscheck_security.py [--peers 10000] [--fraction 0.1] [--routes 4]
        [--chunks 100] [--trials 5000] [--budget 10000] [--identity-cost 10]
        [--replication 2] [--seed 1] [--tolerance 4] [--verbose]

About 5 s at the defaults (15 s at N = 1,000,000), lab run included.

Each simulated experiment here uses the lab's design (lookups per point, independent rings
per point, lookups per ring, downloads per point; the caps of 80,000 routes and 2,000,000
chunk fetches per point and the 100,000 ring nodes per point are the manifest's; round() is
JavaScript's, halves up) repeated --replication times, so the lab's estimate and this one
differ only by noise whose size is measured here. For ring lookups that is the variance of
a ring's success share across this script's rings (which holds where the attacker's nodes
happen to sit on a ring, not only binomial noise) over the rings on each side, at least the
binomial variance; as it rests on this script's rings (only 6 at N = 100,000), the ratio is
read as Student's t with rings - 1 degrees of freedom and given back as the normal z of the
same tail chance. For downloads it is the binomial or sample variance. Every point's
deviation is printed in percentage points (or nodes, or fetches) and as z. The script exits
with status 1 if any simulated point of the lab is more than --tolerance standard errors
away (default 4: about 120 points are compared, and a two-sided 4-sigma excursion has
chance 6e-5 per point, so a false alarm in under 1% of runs; over 40 runs at several
parameter sets while this was written the largest was 3.6), or if a closed-form line or
output differs from the manifest's formula by more than 1e-6 points, or if any download
checked against its hashes ends polluted (impossible in the model, so not a matter of noise).
"""

import argparse
import math
import sys
import time

import numpy as np
from scipy import stats

import lab_output

SPACE = 2**32  # Chord ids are 32-bit
ROUTES_PER_POINT = 80_000  # manifest: lookups per point capped at 80,000 routes
FETCHES_PER_POINT = 2_000_000  # manifest: downloads per point capped at 2 million chunk fetches
RING_NODES_PER_POINT = 100_000  # manifest: small rings simulated 100,000 nodes' worth per point
MAX_RING = 2_000_000  # manifest: Sybil rings above this are scaled down, same share


def js_round(x: float) -> int:
    """round() as the manifest means it (halves up, as JavaScript's Math.round), not Python's halves-to-even."""
    return math.floor(x + 0.5)


def lab_result(params: dict, seed: int) -> dict:
    """The lab's own result (see lab_output.py)."""
    return lab_output.lab_result("security", params, seed)


# ---------------------------------------------------------------------------
# Chord rings, many of one size at once
# ---------------------------------------------------------------------------


class Rings:
    """`count` independent Chord rings of n nodes each. Node g (0 .. count*n - 1) is node g % n of
    ring g // n; its id is ids[g]; within a ring, nodes are in increasing id order, so the
    successor of a node is the next index (wrapping inside its ring)."""

    def __init__(self, n: int, count: int, rng: np.random.Generator):
        self.n = n
        self.count = count
        # Past about 6,500 nodes a ring often draws a repeated id: drop and top up, ring by ring.
        large = n * n > SPACE // 100
        self.ids = np.concatenate([random_ids(n, rng) for _ in range(count)]) if large else self._small(n, count, rng)
        # Ring k's ids shifted into [k 2^32, (k+1) 2^32): one sorted array for every ring.
        self.shifted = self.ids + np.repeat(np.arange(count, dtype=np.int64) * SPACE, n)

    @staticmethod
    def _small(n: int, count: int, rng: np.random.Generator) -> np.ndarray:
        ids = np.sort(rng.integers(0, SPACE, size=(count, n), dtype=np.int64), axis=1)
        while True:
            repeated = np.flatnonzero((np.diff(ids, axis=1) == 0).any(axis=1))
            if repeated.size == 0:
                return ids.ravel()
            ids[repeated] = np.sort(rng.integers(0, SPACE, size=(repeated.size, n), dtype=np.int64), axis=1)

    def owner(self, ring: np.ndarray, point: np.ndarray) -> np.ndarray:
        """The node of `ring` responsible for `point`: the first at or after it, clockwise."""
        index = np.searchsorted(self.shifted, ring * SPACE + point, side="left")
        wrapped = index == (ring + 1) * self.n
        index[wrapped] = ring[wrapped] * self.n
        return index

    def successor(self, node: np.ndarray) -> np.ndarray:
        return np.where(node % self.n == self.n - 1, node - (self.n - 1), node + 1)


def random_ids(n: int, rng: np.random.Generator) -> np.ndarray:
    """n distinct random 32-bit ids, sorted (a large ring: draw, drop repeats, top up)."""
    def distinct(values: np.ndarray) -> np.ndarray:
        values = np.sort(values)
        return values[np.concatenate(([True], np.diff(values) != 0))]

    ids = distinct(rng.integers(0, SPACE, size=n, dtype=np.int64))
    while ids.size < n:
        ids = distinct(np.concatenate([ids, rng.integers(0, SPACE, size=n - ids.size, dtype=np.int64)]))
    return ids


def closest_preceding_finger(rings: Rings, ring: np.ndarray, node_id: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """For each node (given by ring and id), its finger closest before the key at `distance`
    clockwise: the finger table is scanned from the top, finger j being the owner of
    id + 2^j; fingers at 2^j >= distance cannot precede the key, so the scan starts below."""
    top = np.floor(np.log2((distance - 1).astype(np.float64))).astype(np.int64)
    top[(np.int64(1) << top) > distance - 1] -= 1
    top[(np.int64(1) << (top + 1)) <= distance - 1] += 1
    found = np.empty(ring.size, dtype=np.int64)
    pending = np.arange(ring.size)
    while pending.size:
        finger = rings.owner(ring[pending], (node_id[pending] + (np.int64(1) << top[pending])) % SPACE)
        ahead = (rings.ids[finger] - node_id[pending]) % SPACE
        precedes = (ahead > 0) & (ahead < distance[pending])
        found[pending[precedes]] = finger[precedes]
        pending = pending[~precedes]
        top[pending] -= 1
        if (top[pending] < 0).any():
            raise RuntimeError("no finger precedes the key")
    return found


def route(rings: Rings, start: np.ndarray, key: np.ndarray, malicious: np.ndarray, record: bool = False):
    """Routes each lookup copy from `start` to the owner of `key` (in the start's ring).
    Returns whether a node it depends on after its start was malicious, how many nodes it
    depends on, and (if `record`) those nodes, padded with -1."""
    copies = start.size
    ring = start // rings.n
    current = start.copy()
    failed = np.zeros(copies, dtype=bool)
    length = np.zeros(copies, dtype=np.int64)
    path = np.full((copies, 40), -1, dtype=np.int64) if record else None
    active = np.arange(copies)

    def depend(which: np.ndarray, nodes: np.ndarray) -> None:
        failed[which] |= malicious[nodes]
        if record:
            path[which, length[which]] = nodes
        length[which] += 1

    while active.size:
        node = current[active]
        node_id = rings.ids[node]
        succ = rings.successor(node)
        distance = (key[active] - node_id) % SPACE
        span = (rings.ids[succ] - node_id) % SPACE
        # find_successor: the key lies in (node, successor]: the successor owns it.
        answered = (distance > 0) & (distance <= span)
        done, owner = active[answered], succ[answered]
        others = owner != start[done]  # the start does not depend on itself
        depend(done[others], owner[others])
        forward = ~answered
        moving = active[forward]
        # A key equal to the node's own id goes round the ring, as in the paper's pseudocode.
        gap = np.where(distance[forward] == 0, SPACE, distance[forward])
        nxt = closest_preceding_finger(rings, ring[moving], node_id[forward], gap)
        depend(moving, nxt)
        current[moving] = nxt
        active = moving
    return failed, length, path


def distinct_choices(rows: int, pool: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """rows x k indices into range(pool), distinct within each row, uniformly at random."""
    if pool <= 64:
        return np.argsort(rng.random((rows, pool)), axis=1)[:, :k]
    chosen = rng.integers(0, pool, size=(rows, k))
    while k > 1:
        ordered = np.sort(chosen, axis=1)
        repeated = np.flatnonzero((np.diff(ordered, axis=1) == 0).any(axis=1))
        if repeated.size == 0:
            break
        chosen[repeated] = rng.integers(0, pool, size=(repeated.size, k))
    return chosen


def ring_lookups(n: int, levels: list[int], rings: int, lookups: int, routes: int, rng: np.random.Generator, shared: bool = False) -> dict:
    """`lookups` lookups on `rings` independent rings of n nodes (dealt in equal runs), at each
    malicious count in `levels` with its own random attacker. Per level: successes of the
    querier's route and of the best route, per ring; plus the route lengths h and (with
    `shared`, at level 0) the nodes every route passes."""
    net = Rings(n, rings, rng)
    lookup_ring = (np.arange(lookups, dtype=np.int64) * rings) // lookups
    per_ring = np.bincount(lookup_ring, minlength=rings)
    out = {"first": [], "best": [], "routes": [], "hops": [], "shared": None}
    for level in levels:
        order = rng.permuted(np.tile(np.arange(n, dtype=np.int64), (rings, 1)), axis=1)
        malicious = np.zeros(n * rings, dtype=bool)
        offsets = np.arange(rings, dtype=np.int64)[:, None] * n
        malicious[(order[:, :level] + offsets).ravel()] = True
        honest = order[:, level:]
        used = max(1, min(routes, n - level))
        columns = distinct_choices(lookups, n - level, used, rng)
        starts = honest[lookup_ring[:, None], columns] + lookup_ring[:, None] * n
        keys = np.repeat(rng.integers(0, SPACE, size=lookups, dtype=np.int64), used)
        record = shared and level == 0 and used > 1
        failed, length, path = route(net, starts.ravel(), keys, malicious, record)
        failed = failed.reshape(lookups, used)
        out["first"].append(np.bincount(lookup_ring, weights=~failed[:, 0], minlength=rings) / per_ring)
        out["best"].append(np.bincount(lookup_ring, weights=(~failed).any(axis=1), minlength=rings) / per_ring)
        out["routes"].append(used)
        out["hops"].append(length.reshape(lookups, used)[:, 0])
        if record:
            paths = path.reshape(lookups, used, -1)
            mine = paths[:, 0, :]
            everywhere = mine >= 0
            for other in range(1, used):
                everywhere &= (mine[:, :, None] == paths[:, other, None, :]).any(axis=2)
            out["shared"] = everywhere.sum(axis=1)
    out["hops"] = np.concatenate(out["hops"])
    return out


# ---------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------


def downloads(nodes: int, malicious: int, chunks: int, count: int, rng: np.random.Generator):
    """Downloads of `chunks` chunks, each fetched from a random node (ids below `malicious` are
    the attacker's, who forges the chunk). Returns per download: polluted without checks,
    polluted with checks, extra fetches with checks."""
    bad = rng.integers(0, nodes, size=(count, chunks)) < malicious
    unchecked_polluted = bad.any(axis=1)
    extra = bad.sum(axis=1).astype(np.int64)
    # With checks, a forged copy never matches the trusted hash: fetched again until honest.
    pending_download = np.repeat(np.arange(count), bad.sum(axis=1))
    while pending_download.size:
        still_bad = rng.integers(0, nodes, size=pending_download.size) < malicious
        pending_download = pending_download[still_bad]
        np.add.at(extra, pending_download, 1)
    checked_polluted = np.zeros(count, dtype=bool)  # every kept copy passed its hash check
    return unchecked_polluted, checked_polluted, extra


# ---------------------------------------------------------------------------
# Closed forms, from the manifest's formulas
# ---------------------------------------------------------------------------


def one_route(f: float, h: float) -> float:
    return (1 - f) ** h


def many_routes(f: float, h: float, r: int) -> float:
    return 1 - (1 - one_route(f, h)) ** r


def chord_h(n: float) -> float:
    return 0.5 * math.log2(n) + 1 if n > 1 else 0.0


# ---------------------------------------------------------------------------
# Comparison helpers
# ---------------------------------------------------------------------------


def ring_z(lab_percent: float, lab_rings: int, lab_lookups: int, mine_per_ring: np.ndarray, mine_lookups: int):
    """Deviation of a lab share (percent) from this script's, in points and in standard errors
    of the difference. A ring's share varies from ring to ring (the attacker's luck and the
    lookups' binomial noise): its variance is measured across this script's rings. A floor
    (binomial, p kept off 0 and 1 by one lookup) keeps a 100% vs 99.9% from reading infinite."""
    mine = 100 * float(mine_per_ring.mean())
    ring_var = float(mine_per_ring.var(ddof=1)) if mine_per_ring.size > 1 else 0.0
    var = ring_var * (1 / lab_rings + 1 / mine_per_ring.size)
    pooled = (lab_percent / 100 * lab_lookups + mine / 100 * mine_lookups) / (lab_lookups + mine_lookups)
    p = min(max(pooled, 1 / (lab_lookups + mine_lookups)), 1 - 1 / (lab_lookups + mine_lookups))
    floor = p * (1 - p) * (1 / lab_lookups + 1 / mine_lookups)
    t = (lab_percent - mine) / (100 * math.sqrt(max(var, floor)))
    if mine_per_ring.size > 1:
        # The variance rests on this script's rings (only 6 at N = 100,000, 4 at 1,000,000):
        # Student's t with rings - 1 degrees of freedom, given back as the normal z of the
        # same tail chance (no change with hundreds of rings).
        t = math.copysign(float(stats.norm.isf(stats.t.sf(abs(t), mine_per_ring.size - 1))), t)
    return mine, lab_percent - mine, t


def binomial_z(lab_percent: float, lab_trials: int, mine_hits: np.ndarray):
    mine = 100 * float(mine_hits.mean())
    total = lab_trials + mine_hits.size
    p = (lab_percent / 100 * lab_trials + mine_hits.sum()) / total
    p = min(max(p, 1 / total), 1 - 1 / total)
    se = 100 * math.sqrt(p * (1 - p) * (1 / lab_trials + 1 / mine_hits.size))
    return mine, lab_percent - mine, (lab_percent - mine) / se


def mean_z(lab_mean: float, lab_count: int, mine_samples: np.ndarray):
    mine = float(mine_samples.mean())
    sd = float(mine_samples.std(ddof=1))
    se = sd * math.sqrt(1 / lab_count + 1 / mine_samples.size)
    return mine, lab_mean - mine, (lab_mean - mine) / se if se > 0 else (0.0 if lab_mean == mine else math.inf)


def rings_for(nodes: int, lookups: int) -> int:
    """Independent rings per point (manifest: 100,000 nodes' worth, at least one, at most one per lookup)."""
    return max(1, min(lookups, RING_NODES_PER_POINT // nodes))


def lab_rings_chart1(peers: int, lookups: int, routes_used: int) -> int:
    """Rings behind the lab's chart 1: 100,000 nodes' worth, or on large rings one per batch of
    lookups (up to three; a ring is split only when its routes cost about twice its building,
    the weights in model.ts). Used only to size the lab's noise."""
    small = rings_for(peers, lookups)
    if small >= 3:
        return small
    route_work = lookups * routes_used * (math.log2(peers + 2) + 4)
    build_work = peers * 0.6
    batches = max(1, min(3, js_round(2 * route_work / build_work)))
    return sum(max(1, (b + 1) * small // batches - b * small // batches) for b in range(batches))


class Tally:
    def __init__(self, verbose: bool):
        self.worst = (0.0, "")
        self.verbose = verbose

    def curve(self, name: str, rows: list[tuple]) -> None:
        """rows: (x label, lab, here, difference, z)."""
        if not rows:
            return
        by_points = max(rows, key=lambda row: abs(row[3]))
        by_z = max(rows, key=lambda row: abs(row[4]))
        print(
            f"  {name:34} max |lab - here| {abs(by_points[3]):6.2f} (at {by_points[0]}: lab {by_points[1]:.4g}, here {by_points[2]:.4g}); "
            f"max |z| {abs(by_z[4]):4.1f} (at {by_z[0]})"
        )
        if self.verbose:
            for x, lab, here, diff, z in rows:
                print(f"      {x:>16}  lab {lab:9.4g}  here {here:9.4g}  diff {diff:+8.3f}  z {z:+5.1f}")
        if abs(by_z[4]) > self.worst[0]:
            self.worst = (abs(by_z[4]), f"{name} at {by_z[0]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peers", type=int, default=10_000)
    parser.add_argument("--fraction", type=float, default=0.1, help="malicious share f")
    parser.add_argument("--routes", type=int, default=4)
    parser.add_argument("--chunks", type=int, default=100)
    parser.add_argument("--trials", type=int, default=5_000)
    parser.add_argument("--budget", type=float, default=10_000, help="Sybil budget B")
    parser.add_argument("--identity-cost", type=float, default=10)
    parser.add_argument("--replication", type=int, default=2, help="this script's experiments are the lab's design times this")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tolerance", type=float, default=4.0, help="largest allowed deviation, in standard errors")
    parser.add_argument("--verbose", action="store_true", help="print every point")
    args = parser.parse_args()

    params = {
        "peers": args.peers,
        "maliciousFraction": args.fraction,
        "routes": args.routes,
        "chunks": args.chunks,
        "trials": args.trials,
        "sybilBudget": args.budget,
        "identityCost": args.identity_cost,
    }
    lab = lab_result(params, args.seed)
    p = lab["params"]
    series, outputs = lab["series"], lab["outputs"]
    peers, f, r, m, k = p["peers"], p["maliciousFraction"], p["routes"], p["chunks"], args.replication
    print(f"lab run: N = {peers:,}, f = {f:g}, r = {r}, m = {m}, trials {p['trials']:,}, B = ${p['sybilBudget']:g}, c = ${p['identityCost']:g}, seed {args.seed}: {lab['seconds']:.1f} s")
    rng = np.random.default_rng(args.seed)
    tally = Tally(args.verbose)
    started = time.perf_counter()
    formula_errors: list[tuple[float, str]] = []

    # Chart 1 ---------------------------------------------------------------------------------
    lookups = max(1, min(p["trials"], ROUTES_PER_POINT // r))
    xs = [point[0] for point in series["oneRouteSim"]]
    levels = [js_round(x * peers) for x in xs]
    used_at_half = max(1, min(r, peers - max(levels)))
    lab_rings = lab_rings_chart1(peers, lookups, used_at_half)
    mine = ring_lookups(peers, levels, k * lab_rings, k * lookups, r, rng, shared=True)
    print(f"chart 1, lookups vs f on rings of N: lab {lookups:,} lookups on {lab_rings} rings; here {k * lookups:,} on {k * lab_rings} rings, a fresh attacker per level")
    # The lab measures h once over its lookups (not per level): its noise is that of `lookups` samples.
    h_mine, _, h_z = mean_z(outputs["routeNodes"], lookups, mine["hops"])
    rows_first, rows_best, gaps_first, gaps_best = [], [], [], []
    for i, x in enumerate(xs):
        label = f"f = {x:.3g}"
        lab_first = series["oneRouteSim"][i][1]
        lab_best = series["manyRoutesSim"][i][1]
        here, diff, z = ring_z(lab_first, lab_rings, lookups, mine["first"][i], k * lookups)
        rows_first.append((label, lab_first, here, diff, z))
        here, diff, z = ring_z(lab_best, lab_rings, lookups, mine["best"][i], k * lookups)
        rows_best.append((label, lab_best, here, diff, z))
        gaps_first.append((100 * one_route(x, outputs["routeNodes"]) - lab_first, x))
        gaps_best.append((100 * many_routes(x, outputs["routeNodes"], r) - lab_best, x))
    tally.curve("one route, success %", rows_first)
    tally.curve(f"{r} routes, success %", rows_best)
    print(f"  h, nodes a route depends on: lab {outputs['routeNodes']:.3f}, here {h_mine:.3f} (z {h_z:+.1f}); 1/2 log2 N + 1 = {chord_h(peers):.3f}")
    if mine["shared"] is not None:
        s_mine, _, s_z = mean_z(outputs["sharedNodes"], lookups, mine["shared"].astype(float))
        print(f"  s, nodes all {r} routes pass:    lab {outputs['sharedNodes']:.3f}, here {s_mine:.3f} (z {s_z:+.1f})")
        if abs(s_z) > tally.worst[0]:
            tally.worst = (abs(s_z), "shared nodes s")
    if abs(h_z) > tally.worst[0]:
        tally.worst = (abs(h_z), "route nodes h")
    worst_first = max(gaps_first, key=lambda g: abs(g[0]))
    worst_best = max(gaps_best, key=lambda g: abs(g[0]))
    print(
        f"  independent-hops formulas minus lab simulation (with the lab's h): one route up to {worst_first[0]:+.2f} points (f = {worst_first[1]:.3g}), "
        f"{r} routes up to {worst_best[0]:+.2f} points (f = {worst_best[1]:.3g})"
    )
    for key, formula in (("oneRouteRef", lambda x: one_route(x, outputs["routeNodes"])), ("manyRoutesRef", lambda x: many_routes(x, outputs["routeNodes"], r))):
        error = max(abs(y - 100 * formula(x)) for x, y in series[key])
        formula_errors.append((error, key))
    if r > 1:
        error = max(abs(y - 100 * one_route(x, outputs["sharedNodes"])) for x, y in series["sharedCeiling"])
        formula_errors.append((error, "sharedCeiling"))
    malicious_at_f = js_round(f * peers)
    f_at = malicious_at_f / peers
    formula_errors.append((abs(outputs["manyRoutesFormula"] - 100 * many_routes(f_at, outputs["routeNodes"], r)), "manyRoutesFormula"))
    if malicious_at_f in levels:
        at = levels.index(malicious_at_f)
        for key, rows in (("oneRouteSuccess", rows_first), ("manyRoutesSuccess", rows_best)):
            formula_errors.append((abs(outputs[key] - rows[at][1]), f"{key} vs its chart point"))

    # Charts 2 and 3 --------------------------------------------------------------------------
    count = min(p["trials"], max(100, FETCHES_PER_POINT // m))
    print(f"charts 2-3, downloads of {m} chunks: lab {count:,} a point; here {k * count:,}")
    rows_nohash, rows_hash, rows_refetch = [], [], []
    for i, point in enumerate(series["noHashSim"]):
        x = point[0]
        bad = js_round(x * peers)
        unchecked, checked, extra = downloads(peers, bad, m, k * count, rng)
        label = f"f = {x:.3g}"
        rows_nohash.append((label, point[1], *binomial_z(point[1], count, unchecked)))
        lab_checked = series["hashSim"][i][1]
        rows_hash.append((label, lab_checked, *binomial_z(lab_checked, count, checked)))
        rows_refetch.append((label, series["refetchSim"][i][1], *mean_z(series["refetchSim"][i][1], count, extra.astype(float))))
    # The download model has exact answers: P(polluted) = 1 - (1 - f)^m, and the refetches of a
    # download are a negative binomial with mean m f / (1 - f) and variance m f / (1 - f)^2.
    exact_nohash, exact_refetch = [], []
    for point, refetch in zip(series["noHashSim"], series["refetchSim"]):
        x, label = point[0], f"f = {point[0]:.3g}"
        expected = 1 - (1 - x) ** m
        se = math.sqrt(max(expected * (1 - expected), 1 / count**2) / count)
        exact_nohash.append((label, point[1], 100 * expected, point[1] - 100 * expected, (point[1] / 100 - expected) / se))
        mean, var = m * x / (1 - x), m * x / (1 - x) ** 2
        exact_refetch.append((label, refetch[1], mean, refetch[1] - mean, (refetch[1] - mean) / math.sqrt(var / count)))
    tally.curve("no hash checks, polluted %", rows_nohash)
    tally.curve("hash checks, polluted %", rows_hash)
    tally.curve("hash checks, refetches/download", rows_refetch)
    tally.curve("polluted %, lab vs exact 1-(1-f)^m", exact_nohash)
    tally.curve("refetches, lab vs exact m f/(1-f)", exact_refetch)
    formula_errors.append((max(abs(y - 100 * (1 - (1 - x) ** m)) for x, y in series["noHashRef"]), "noHashRef"))
    formula_errors.append((max(abs(y - m * x / (1 - x)) for x, y in series["refetchRef"]), "refetchRef"))
    formula_errors.append((max(abs(y) for _, y in series["hashRef"]), "hashRef"))
    # A forged chunk never passes its hash check: one polluted checked download is a bug, not noise.
    formula_errors.append((max(abs(point[1]) for point in series["hashSim"]), "hashSim, polluted despite hash checks"))
    formula_errors.append((abs(outputs["hashRefetches"] - m * f / (1 - f)), "hashRefetches"))

    # Chart 4 ---------------------------------------------------------------------------------
    sybils = math.floor(p["sybilBudget"] / p["identityCost"] * (1 + 1e-12))
    print(f"chart 4, lookups subverted vs n ({sybils:,} Sybils for the budget): lab {lookups:,} lookups a size; here {k * lookups:,}")
    rows_fixed, rows_sybil = [], []
    for key, rows in (("fixedShareSim", rows_fixed), ("sybilSim", rows_sybil)):
        for point in series[key]:
            n = int(point[0])
            if key == "fixedShareSim":
                nodes, bad = n, min(n - 1, js_round(f * n))
            elif n + sybils <= MAX_RING:
                nodes, bad = n + sybils, sybils
            else:
                nodes, bad = MAX_RING, MAX_RING - max(1, js_round(MAX_RING * n / (n + sybils)))
            lab_count = lab_rings if (key == "fixedShareSim" and n == peers) else rings_for(nodes, lookups)
            result = ring_lookups(nodes, [bad], k * lab_count, k * lookups, r, rng)
            here, diff, z = ring_z(100 - point[1], lab_count, lookups, result["best"][0], k * lookups)
            rows.append((f"n = {n:,}", point[1], 100 - here, -diff, -z))
    tally.curve("share f, subverted %", rows_fixed)
    tally.curve("Sybil budget, subverted %", rows_sybil)
    fixed_gap = max((abs(point[1] - 100 * (1 - many_routes(f, chord_h(point[0]), r))), point[0]) for point in series["fixedShareSim"])
    print(f"  lab simulation vs independent-routes formula, share f: max {fixed_gap[0]:.2f} points (n = {fixed_gap[1]:,})")
    formula_errors.append((max(abs(y - 100 * (1 - many_routes(f, chord_h(n), r))) for n, y in series["fixedShareRef"]), "fixedShareRef"))
    formula_errors.append(
        (max(abs(y - 100 * (1 - many_routes(sybils / (n + sybils), chord_h(n + sybils), r))) for n, y in series["sybilRef"]), "sybilRef")
    )
    blocked = p["unauthorizedAccess"] * (1 - p["checkBlockRate"]) if p["accessChecks"] == "on" else p["unauthorizedAccess"]
    exposure = p["serverCompromise"] + (1 - p["serverCompromise"]) * blocked
    formula_errors.append((max(abs(y - 100 * exposure) for _, y in series["serverRef"]), "serverRef"))
    formula_errors.append((abs(outputs["clientExposure"] - 100 * exposure), "clientExposure"))
    if series["fixedShareSim"]:
        formula_errors.append((abs(outputs["fixedShareRiskLargest"] - series["fixedShareSim"][-1][1]), "fixedShareRiskLargest vs its chart point"))
    if series["sybilSim"]:
        formula_errors.append((abs(outputs["sybilRiskLargest"] - series["sybilSim"][-1][1]), "sybilRiskLargest vs its chart point"))

    worst_formula = max(formula_errors)
    print(f"closed forms and outputs vs the manifest's formulas: largest error {worst_formula[0]:.2g} points ({worst_formula[1]})")
    print(f"independent simulation: {time.perf_counter() - started:.1f} s")
    print(f"largest deviation of a lab simulation from the independent one: {tally.worst[0]:.1f} standard errors ({tally.worst[1]}; tolerance {args.tolerance:g})")
    ok = tally.worst[0] <= args.tolerance and worst_formula[0] <= 1e-6
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
