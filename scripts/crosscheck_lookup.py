#!/usr/bin/env python3
"""Checks the lookup lab against an independent implementation.

Runs `npx tsx scripts/print-lab.ts lookup ...` and rebuilds, with numpy, what the lab
simulates at each of its 13 sizes N, from the documented semantics (manifest, lesson,
Stoica et al. 2001), not from the lab's code:

* Chord: N distinct random 32-bit ids on a ring; key k belongs to the first node at or
  after k; finger j of node n is the successor of n + 2^j. A lookup from a random node for
  a random key follows Stoica et al.'s find_successor (fig. 5): a node whose successor owns
  the key (key in (n, successor]) answers with that successor's address; otherwise it
  forwards to its closest preceding finger, the finger strictly between it and the key that
  is furthest round the ring. Hops = forwards (the answer is not counted, as in the paper's
  path length; a node that starts as the key's owner also routes round the ring to the
  key's predecessor, as in the paper). All 32 fingers of the nodes a step visits are
  computed at once, vectorised over the lookups. Compared: mean hops (chart `hops`, also
  printed against (1/2) log2 N) and distinct fingers per node (chart `state`).
* Flooding: a configuration-model overlay (every peer gets d stubs, one shuffle of all the
  stubs pairs them, an odd stub is left out, self-loops and repeated links are dropped),
  built with numpy; the lab pairs stubs by its own bucketed matching, which draws the same
  uniform matching. The r copies sit on r distinct uniform peers and the origin is a
  uniform peer, drawn afresh per query. A flood is computed layer by layer (breadth-first
  distance from the origin): hop 1 carries deg(origin) messages, and every peer first
  reached at hop h < TTL sends deg - 1 messages at hop h + 1 (all neighbours but its
  sender; duplicates are sent and dropped). Compared at every N: success (nearest copy at
  most TTL hops away), messages with the TTL, hops to the nearest copy among the lookups
  that found it, messages with the smallest TTL that finds the item, the overlay's mean
  degree; at the largest N, success against TTL = 1..10 and the output floodCostGrowth.
* Central index: nothing is simulated (one hop and one message by design), so its lines,
  and every closed form the lab draws (1/2 log2 N, log2 N, the flood bounds, the
  hypergeometric success bound, N*lambda, C/lambda) and the series derived from others
  (chordMessages = chordHops, loads = lambda * per-lookup messages, the outputs), are
  recomputed here and must agree to 1e-9 relative.

A second run with d = 7, TTL 3, r = 100 (odd stub counts, floods full of duplicates) checks
flooding again (skip it with --skip-variant).

Statistics: the lab runs each size on one ring / one overlay (the largest sizes may pool a
few overlays), so its 95% interval covers only the lookups' noise, not the draw of the ring
or overlay, which matters at small N (at N = 16 the overlay's mean degree varies by
about 0.3). This script uses several rings / overlays per size and estimates both parts:
the z-score of a lab point is (lab - python) / sqrt(se_lab^2 + var_between + se_python^2),
with se_lab from the lab's interval (normal for means; for shares, the lab's number of
floods is recovered from its Wilson interval and the binomial variance taken at the pooled
share), var_between the spread of a single ring's / overlay's mean beyond its sampling
noise (counted once, as if the lab used one overlay: conservative where it pooled
several), and se_python cluster-robust over the script's rings / overlays.

    python3 scripts/crosscheck_lookup.py [--peers 100000] [--lookups 1000] [--degree 4]
        [--ttl 5] [--copies 10] [--chord-lookups 4000] [--floods 2000] [--seed 1]
        [--tolerance 4] [--skip-variant] [--verbose]

Prints each curve's largest |z|, its relative deviation and sum(z)/sqrt(k) over the sizes
(independent runs, so also N(0, 1) under noise: it catches a small bias common to all
sizes), and exits with status 1 if any of these exceeds --tolerance (about 180 points and
14 sums are compared, so |z| > 4 has a chance of about 1% under pure noise), or if a closed
form disagrees. Runs in about 20 s on two cores (the lab itself takes about 1 s).
"""

import argparse
import json
import math
import re
import sys
import time

import numpy as np
from scipy.optimize import brentq
from scipy.stats import hypergeom

import lab_output

RING = 2**32
ID_BITS = 32
MAX_TTL = 10  # the TTL axis of the lab's success-vs-TTL chart (the TTL parameter's maximum)
Z95 = 1.96
VARIANT = {"degree": 7, "ttl": 3, "copies": 100}
VARIANT_PEERS = 20_000


def lab_result(params: dict, seed: int) -> dict:
    """The lab's own result (see lab_output.py)."""
    return lab_output.lab_result("lookup", params, seed)


def groups_for(n: int) -> int:
    """Rings / overlays per size: many where one draw of the graph matters, a few where N is large."""
    return int(np.clip(math.ceil(20_000 / n), 4, 40))


# ------------------------------------------------------------------ statistics


class Estimate:
    """A pooled mean over groups (rings or overlays) with its cluster-robust standard error and
    the variance of one group's mean beyond its sampling noise (what one lab ring or overlay adds)."""

    def __init__(self, groups: list[np.ndarray], share: bool = False):
        groups = [np.asarray(g, dtype=float) for g in groups if len(g) > 0]
        counts = np.array([len(g) for g in groups], dtype=float)
        sums = np.array([g.sum() for g in groups])
        self.count = int(counts.sum())
        self.share = share
        self.mean = sums.sum() / counts.sum() if self.count else math.nan
        k = len(groups)
        if k >= 2:
            residual = sums - self.mean * counts
            self.se = math.sqrt(k / (k - 1) * np.sum(residual**2)) / counts.sum()
            full = [g for g in groups if len(g) >= 2]
            means = np.array([g.mean() for g in full])
            noise = np.array([g.var(ddof=1) / len(g) for g in full])
            self.between = max(0.0, float(means.var(ddof=1) - noise.mean())) if len(full) >= 2 else 0.0
        else:
            self.se, self.between = math.nan, 0.0


def wilson_trials(share: float, low: float, high: float) -> float:
    """The number of trials behind a Wilson 95% interval (inverted numerically)."""

    def bounds(n: float) -> tuple[float, float]:
        z2 = Z95 * Z95
        centre = (share + z2 / (2 * n)) / (1 + z2 / n)
        half = Z95 * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        return centre - half, centre + half

    # The bound further from 0 or 1 moves most with n; 0 and 1 themselves are forced ends.
    if share < 0.5:
        return math.exp(brentq(lambda ln: bounds(math.exp(ln))[1] - high, 0.0, math.log(1e9)))
    return math.exp(brentq(lambda ln: bounds(math.exp(ln))[0] - low, 0.0, math.log(1e9)))


def z_mean(point: list, mine: Estimate) -> float:
    """z of a lab mean [x, mean, low, high] (normal 95% interval) against the independent estimate."""
    lab = point[1]
    se_lab = (point[3] - lab) / Z95 if len(point) >= 4 else 0.0
    return z_of(lab - mine.mean, se_lab**2 + mine.between + mine.se**2)


def z_share(point: list, mine: Estimate) -> float:
    """z of a lab share [x, percent, low, high] (Wilson 95% interval) against the independent share."""
    p_lab = point[1] / 100
    n_lab = wilson_trials(p_lab, point[2] / 100, point[3] / 100)
    pooled = (p_lab * n_lab + mine.mean * mine.count) / (n_lab + mine.count)
    binomial = pooled * (1 - pooled)
    se_mine2 = max(mine.se**2, binomial / mine.count)
    return z_of(p_lab - mine.mean, binomial / n_lab + mine.between + se_mine2)


def z_of(difference: float, variance: float) -> float:
    if difference == 0:
        return 0.0
    return difference / math.sqrt(variance) if variance > 0 else math.copysign(math.inf, difference)


# ------------------------------------------------------------------ Chord


def chord_ring(n: int, rng: np.random.Generator) -> np.ndarray:
    ids = np.unique(rng.integers(0, RING, size=n, dtype=np.int64))
    while ids.size < n:  # a collision merged two nodes: draw the missing ones again
        ids = np.unique(np.concatenate([ids, rng.integers(0, RING, size=n - ids.size, dtype=np.int64)]))
    return ids


def owner_of(ids: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Index of the first node at or after each key, wrapping round the ring."""
    index = np.searchsorted(ids, keys, side="left")
    index[index == ids.size] = 0
    return index


def finger_table(ids: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """All 32 fingers of each node: successor(id + 2^j), j = 0..31."""
    return owner_of(ids, (ids[nodes][:, None] + (np.int64(1) << np.arange(ID_BITS, dtype=np.int64))) % RING)


def chord_hops(ids: np.ndarray, starts: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hops of each lookup (forwards until the key's predecessor answers), and the node that answered."""
    n = ids.size
    current = starts.copy()
    hops = np.zeros(starts.size, dtype=np.int64)
    active = np.arange(starts.size)
    for _ in range(4 * ID_BITS):
        node = current[active]
        to_key = (keys[active] - ids[node]) % RING
        to_successor = (ids[(node + 1) % n] - ids[node]) % RING
        # The key is in (node, successor]: the node answers. (n = 1: the node is everything.)
        answers = (n == 1) | ((to_key > 0) & (to_key <= to_successor)) | (to_key == 0)
        active = active[~answers]
        if active.size == 0:
            return hops, current
        node = current[active]
        to_key = (keys[active] - ids[node]) % RING
        fingers = finger_table(ids, node)
        ahead = (ids[fingers] - ids[node][:, None]) % RING
        ahead = np.where((ahead > 0) & (ahead < to_key[:, None]), ahead, -1)
        best = np.argmax(ahead, axis=1)
        assert np.all(ahead[np.arange(active.size), best] > 0), "no preceding finger"
        current[active] = fingers[np.arange(active.size), best]
        hops[active] += 1
    raise RuntimeError("Chord lookups did not converge")


def distinct_fingers(ids: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """How many different nodes other than itself each node's fingers point at."""
    table = np.sort(finger_table(ids, nodes), axis=1)
    distinct = 1 + np.count_nonzero(np.diff(table, axis=1), axis=1)
    return distinct - np.any(table == nodes[:, None], axis=1)


def simulate_chord(n: int, lookups: int, rng: np.random.Generator) -> dict:
    k = groups_for(n)
    hops, hops_to_owner, state = [], [], []
    for g in range(k):
        ids = chord_ring(n, rng)
        count = lookups // k + (g < lookups % k)
        starts = rng.integers(0, n, size=count)
        keys = rng.integers(0, RING, size=count, dtype=np.int64)
        h, answered = chord_hops(ids, starts, keys)
        hops.append(h)
        # For the note on counting the last forward (answering node -> owner) as a hop too.
        hops_to_owner.append(h + (owner_of(ids, keys) != answered))
        state.append(distinct_fingers(ids, rng.integers(0, n, size=min(n, 500))))
    return {"hops": Estimate(hops), "hopsToOwner": Estimate(hops_to_owner), "state": Estimate(state)}


# ------------------------------------------------------------------ flooding


def configuration_overlay(n: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour table (n x d, padded with -1) and degrees of a configuration-model overlay."""
    stubs = np.repeat(np.arange(n, dtype=np.int64), d)
    rng.shuffle(stubs)
    if stubs.size % 2:
        stubs = stubs[:-1]
    a, b = stubs[0::2], stubs[1::2]
    keep = a != b
    low, high = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    edges = np.unique(low * n + high)
    low, high = edges // n, edges % n
    source = np.concatenate([low, high])
    target = np.concatenate([high, low])
    order = np.argsort(source, kind="stable")
    source, target = source[order], target[order]
    degree = np.bincount(source, minlength=n)
    first = np.concatenate([[0], np.cumsum(degree)[:-1]])
    table = np.full((n, d), -1, dtype=np.int64)
    table[source, np.arange(source.size) - first[source]] = target
    return table, degree


class Flood:
    """Floods on one overlay, layer by layer, counting messages by the documented rule."""

    def __init__(self, table: np.ndarray, degree: np.ndarray):
        self.table, self.degree = table, degree
        self.seen = np.zeros(degree.size, dtype=np.int64)  # query number that reached the peer
        self.holds = np.zeros(degree.size, dtype=np.int64)  # query number whose item it holds
        self.query = 0

    def run(self, origin: int, copies: np.ndarray, ttl: int) -> tuple[int, int, int, float]:
        """(messages with the TTL, peers reached, hops to the nearest copy or -1, messages with that TTL)."""
        self.query += 1
        q = self.query
        self.holds[copies] = q
        self.seen[origin] = q
        layer = np.array([origin])
        sizes = [1]
        sends = [int(self.degree[origin])]  # sends[h]: messages at hop h + 1, from the peers first reached at hop h
        nearest = 0 if self.holds[origin] == q else -1
        hop = 0
        while layer.size and not (hop >= ttl and nearest >= 0):
            nxt = self.table[layer].ravel()
            nxt = nxt[nxt >= 0]
            nxt = np.unique(nxt[self.seen[nxt] != q])
            self.seen[nxt] = q
            hop += 1
            layer = nxt
            sizes.append(nxt.size)
            sends.append(int((self.degree[nxt] - 1).sum()))
            if nearest < 0 and np.any(self.holds[nxt] == q):
                nearest = hop

        def messages(t: int) -> int:  # a layer past the end of the flood is empty and sends nothing
            return sum(sends[:t])

        return messages(ttl), sum(sizes[: ttl + 1]), nearest, (messages(nearest) if nearest >= 0 else math.nan)


def flood_bound(d: int, ttl: int) -> int:
    return sum(d * (d - 1) ** (h - 1) for h in range(1, ttl + 1))


def simulate_flooding(n: int, d: int, ttl: int, copies: int, floods: int, rng: np.random.Generator) -> dict:
    # Keep the work near 2e7 peers explored per size: a flood explores about max(reach, N/r) peers.
    explored = min(n, max(1 + flood_bound(d, ttl), n / max(1, copies)))
    queries = min(floods, max(200, int(2e7 / explored)))
    k = min(groups_for(n), queries // 2)
    held = min(copies, n)
    per = {key: [] for key in ("success", "messages", "hops", "toFind", "degree", "within")}
    for g in range(k):
        table, degree = configuration_overlay(n, d, rng)
        search = Flood(table, degree)
        count = queries // k + (g < queries % k)
        rows = []
        for _ in range(count):
            placed = rng.choice(n, size=held, replace=False)
            rows.append(search.run(int(rng.integers(n)), placed, ttl))
        messages, _reached, nearest, to_find = (np.array(c, dtype=float) for c in zip(*rows))
        found = (nearest >= 0) & (nearest <= ttl)
        per["success"].append(found.astype(float))
        per["messages"].append(messages)
        per["hops"].append(nearest[found])
        per["toFind"].append(to_find[nearest >= 0])
        per["degree"].append(np.array([degree.mean()]))
        per["within"].append(nearest)
    result = {key: Estimate(per[key], share=(key == "success")) for key in ("success", "messages", "hops", "toFind")}
    degrees = np.concatenate(per["degree"])
    result["degree"] = (degrees.mean(), degrees.std(ddof=1))
    result["withinTtl"] = {
        t: Estimate([(near >= 0) & (near <= t) for near in per["within"]], share=True) for t in range(1, MAX_TTL + 1)
    }
    result["queries"] = queries
    return result


# ------------------------------------------------------------------ comparison


class Report:
    def __init__(self, tolerance: float, verbose: bool):
        self.tolerance, self.verbose = tolerance, verbose
        self.worst = 0.0
        self.closed_form_errors = 0

    def curve(self, name: str, rows: list[tuple[float, float, float, float]], unit: str = "", independent: bool = True) -> None:
        """rows: (x, lab, python, z). Prints the largest |z| and relative deviation, and, when the
        points come from independent runs (the sizes), sum(z) / sqrt(k), also N(0, 1) under noise:
        it catches a bias too small to show at any one point."""
        rows = [r for r in rows if not math.isnan(r[3])]
        if not rows:
            print(f"  {name:38} no comparable points")
            return
        signed = np.array([r[3] for r in rows])
        zs = np.abs(signed)
        rel = np.array([abs(r[1] - r[2]) / abs(r[2]) if r[2] else (0.0 if r[1] == r[2] else math.inf) for r in rows])
        i = int(np.argmax(zs))
        x, lab, mine, z = rows[i]
        pooled = float(signed.sum() / math.sqrt(len(signed))) if independent and len(signed) > 1 else 0.0
        self.worst = max(self.worst, float(zs.max()), abs(pooled))
        flag = "  <-- beyond tolerance" if max(zs.max(), abs(pooled)) > self.tolerance else ""
        print(
            f"  {name:38} max |z| {zs.max():5.2f} at {x:>7g} (lab {lab:.5g}{unit}, python {mine:.5g}{unit}); "
            f"max rel. dev. {100 * rel.max():5.2f}%" + (f"; sum z/sqrt(k) {pooled:+5.2f}" if independent and len(signed) > 1 else "") + flag
        )
        if self.verbose:
            for x, lab, mine, z in rows:
                print(f"      {x:>9g}  lab {lab:12.6g}  python {mine:12.6g}  z {z:+6.2f}")

    def exact(self, name: str, pairs: list[tuple[float, float]]) -> None:
        """Closed forms and derived series: must agree to 1e-9 relative."""
        bad = [(a, b) for a, b in pairs if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)]
        self.closed_form_errors += len(bad)
        status = "ok" if not bad else f"{len(bad)} DIFFER, first lab {bad[0][0]!r} vs {bad[0][1]!r}"
        print(f"  {name:38} {len(pairs):3} values: {status}")


def check_chord(lab: dict, args, rng, report: Report) -> None:
    series = lab["series"]
    sizes = [int(p[0]) for p in series["chordHops"]]
    hops_rows, state_rows, notes = [], [], []
    state_by_n = {int(p[0]): p for p in series["chordState"]}
    for point in series["chordHops"]:
        n = int(point[0])
        mine = simulate_chord(n, args.chord_lookups, rng)
        hops_rows.append((n, point[1], mine["hops"].mean, z_mean(point, mine["hops"])))
        state_rows.append((n, state_by_n[n][1], mine["state"].mean, z_mean(state_by_n[n], mine["state"])))
        notes.append((n, point[1], mine["hops"].mean, mine["hopsToOwner"].mean))
    print(f"Chord at N = {sizes[0]:,} .. {sizes[-1]:,} ({args.chord_lookups} python lookups per N over 4-40 rings):")
    report.curve("hops per lookup (chordHops)", hops_rows)
    report.curve("distinct fingers (chordState)", state_rows)
    print("  hops minus (1/2) log2 N:   " + ", ".join(f"N={n:,}: lab {l - 0.5 * math.log2(n):+.2f} python {m - 0.5 * math.log2(n):+.2f}" for n, l, m, _ in notes[:: max(1, len(notes) // 4)]))
    n, _, m, owner = notes[-1]
    print(f"  (had the last forward, to the owner, counted as a hop: {owner:.2f} at N = {n:,} instead of {m:.2f})")


def check_flooding(lab: dict, params: dict, args, rng, report: Report, label: str) -> None:
    series = lab["series"]
    d, ttl, copies = params["degree"], params["ttl"], params["copies"]
    by = {key: {int(p[0]): p for p in series[key]} for key in ("floodSuccess", "floodMessages", "floodHops", "floodToFind", "floodState")}
    sizes = sorted(by["floodSuccess"])
    rows = {key: [] for key in by}
    results = {}
    for n in sizes:
        mine = simulate_flooding(n, d, ttl, copies, args.floods, rng)
        results[n] = mine
        rows["floodSuccess"].append((n, by["floodSuccess"][n][1], 100 * mine["success"].mean, z_share(by["floodSuccess"][n], mine["success"])))
        for key, ours in (("floodMessages", "messages"), ("floodHops", "hops"), ("floodToFind", "toFind")):
            if n in by[key] and mine[ours].count:
                rows[key].append((n, by[key][n][1], mine[ours].mean, z_mean(by[key][n], mine[ours])))
        mean_degree, spread = mine["degree"]
        k = groups_for(n)
        rows["floodState"].append((n, by["floodState"][n][1], mean_degree, z_of(by["floodState"][n][1] - mean_degree, spread**2 * (1 + 1 / k))))
    print(f"Flooding{label}: d = {d}, TTL {ttl}, r = {copies}, N = {sizes[0]:,} .. {sizes[-1]:,} (up to {args.floods} python floods per N over 4-40 overlays):")
    report.curve("found with the TTL (floodSuccess)", [(x, a, b, z) for x, a, b, z in rows["floodSuccess"]], "%")
    report.curve("messages with the TTL (floodMessages)", rows["floodMessages"])
    report.curve("hops to nearest copy (floodHops)", rows["floodHops"])
    report.curve("messages, smallest TTL (floodToFind)", rows["floodToFind"])
    report.curve("mean degree (floodState)", rows["floodState"])

    largest = sizes[-1]
    last = results[largest]
    ttl_rows = [
        (int(p[0]), p[1], 100 * last["withinTtl"][int(p[0])].mean, z_share(p, last["withinTtl"][int(p[0])]))
        for p in series["floodSuccessByTtl"]
    ]
    report.curve(f"found vs TTL at N = {largest:,}", ttl_rows, "%", independent=False)

    # floodCostGrowth: floodToFind at the largest N over that at a smaller base size; the base is
    # the lab point whose value the output implies.
    growth = lab["outputs"].get("floodCostGrowth")
    to_find = by["floodToFind"]
    if growth:
        implied = to_find[largest][1] / growth
        base = min(to_find, key=lambda n: abs(to_find[n][1] - implied))
        mine_g = last["toFind"].mean / results[base]["toFind"].mean
        var = 0.0
        for n in (largest, base):
            point, est = to_find[n], results[n]["toFind"]
            se_lab = (point[3] - point[1]) / Z95
            var += (se_lab**2 + est.between) / point[1] ** 2 + est.se**2 / est.mean**2
        report.curve(f"floodCostGrowth ({base:,} -> {largest:,})", [(largest, growth, mine_g, z_of(growth - mine_g, mine_g**2 * var))])


def check_closed_forms(lab: dict, params: dict, report: Report) -> None:
    s, out = lab["series"], lab["outputs"]
    d, ttl, r, lam, cap = params["degree"], params["ttl"], params["copies"], params["queryRate"], params["indexCapacity"]
    largest = max(p[0] for p in s["centralLoad"])

    def success_bound(n: int, t: int) -> float:
        reach = min(n, 1 + flood_bound(d, t))
        return 100 * (1 - hypergeom(n, reach, min(r, n)).pmf(0))

    print("Closed forms and derived series (central index, bounds, loads, outputs):")
    report.exact("central index: 1 hop, 1 message", [(p[1], 1) for p in s["centralHops"] + s["centralMessages"]])
    report.exact("central index load N*lambda", [(p[1], p[0] * lam) for p in s["centralLoad"]])
    report.exact("central state N, capacity line C", [(p[1], p[0]) for p in s["centralState"]] + [(p[1], cap) for p in s["indexCapacityLine"]])
    report.exact("outputs indexLoad, indexSaturation", [(out["indexLoad"], largest * lam), (out["indexSaturation"], cap / lam)])
    report.exact("(1/2) log2 N and log2 N", [(p[1], 0.5 * math.log2(p[0])) for p in s["chordHopsRef"]] + [(p[1], math.log2(p[0])) for p in s["chordStateRef"]])
    report.exact("flood message bound", [(p[1], flood_bound(d, ttl)) for p in s["floodBound"]])
    report.exact("flood success bound vs N", [(p[1], success_bound(int(p[0]), ttl)) for p in s["floodSuccessRef"]])
    report.exact("flood success bound vs TTL", [(p[1], success_bound(int(largest), int(p[0]))) for p in s["floodSuccessByTtlRef"]])
    report.exact("always found 100%", [(p[1], 100) for p in s["alwaysFound"]])
    hops = {p[0]: p for p in s["chordHops"]}
    msgs = {p[0]: p for p in s["floodMessages"]}
    report.exact("chordMessages = chordHops", [(a, b) for p in s["chordMessages"] for a, b in zip(p, hops[p[0]])])
    report.exact("loads = lambda x messages", [(a, b * lam) for p in s["chordLoad"] for a, b in zip(p[1:], hops[p[0]][1:])] + [(a, b * lam) for p in s["floodLoad"] for a, b in zip(p[1:], msgs[p[0]][1:])])
    report.exact(
        "outputs at the largest N",
        [(out["chordHops"], s["chordHops"][-1][1]), (out["floodSuccess"], s["floodSuccess"][-1][1]), (out["floodMessagesToFind"], s["floodToFind"][-1][1])],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peers", type=int, default=100_000, help="the lab's largest N")
    parser.add_argument("--lookups", type=int, default=1000, help="the lab's lookups per size")
    parser.add_argument("--degree", type=int, default=4)
    parser.add_argument("--ttl", type=int, default=5)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--chord-lookups", type=int, default=4000, help="python Chord lookups per size")
    parser.add_argument("--floods", type=int, default=2000, help="python floods per size (fewer where each is large)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tolerance", type=float, default=4.0, help="largest allowed |z| (standard errors)")
    parser.add_argument("--skip-variant", action="store_true", help="skip the second run (d = 7, TTL 3, r = 100)")
    parser.add_argument("--verbose", action="store_true", help="print every point")
    args = parser.parse_args()

    started = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    report = Report(args.tolerance, args.verbose)
    runs = [("", {"peers": args.peers, "lookups": args.lookups, "degree": args.degree, "ttl": args.ttl, "copies": args.copies})]
    if not args.skip_variant:
        runs.append((" (variant)", {"peers": min(args.peers, VARIANT_PEERS), "lookups": args.lookups, **VARIANT}))
    for label, params in runs:
        lab = lab_result(params, args.seed)
        queries = re.search(r"in [\d.]+% of ([\d,]+) lookups", lab["summary"])
        print(
            f"lab run{label}: {json.dumps(lab['params'])}, seed {args.seed}, {lab['seconds']:.1f} s"
            + (f" ({queries.group(1)} floods at the largest N)" if queries else "")
        )
        if not label:
            check_chord(lab, args, rng, report)
        check_flooding(lab, lab["params"], args, rng, report, label)
        check_closed_forms(lab, lab["params"], report)
    print(
        f"largest |z| of a lab simulation against python: {report.worst:.2f} (tolerance {args.tolerance:g}); "
        f"closed forms differing: {report.closed_form_errors}; {time.perf_counter() - started:.0f} s"
    )
    return 0 if report.worst <= args.tolerance and report.closed_form_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
