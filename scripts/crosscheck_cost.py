#!/usr/bin/env python3
"""Checks the cost lab against an independent simulation and the manifest's formulas.

Rebuilds the lab's month from its documented semantics (labs/cost/manifest.ts, the lesson
content/lessons/cost.mdx): 30 days of 24 hours; each user downloads D GB a month in downloads
of 1 GB, so hour h of a day brings Poisson(N D / 720 · w_h · f_day) downloads, where w is the
daily curve (a von Mises bump around 21:00, mean 1, busiest hour p, solved here for its
concentration with scipy's brentq) and f_day a log-normal day factor of mean 1 and log-scale
σ = dailySwing. Each hour, Binomial(N, a) users are online; every item (K of them, equally
popular) has an online holder with probability 1 − (1 − 1/K)^online, so the items covered that
hour are Binomial(K, ·), and a download finds its item covered with probability covered/K (so,
unlike an independent draw per download, two downloads of one item in one hour share their
fate). Peers serve the covered downloads as far as online · u · 3600 s allows that hour; the
rest is the origin's. A fixed fleet is max(1, ⌈busiest hour's load / c⌉) servers (load = the
hour's bytes / 3600 s), an autoscaled one pays the mean over the month's hours of max(1,
⌈load_h / c⌉); the seed fleet the same for the origin's bytes; trackers max(1, ⌈most peers
online in an hour / M_t⌉) (the manifest says "trackers for the online peers": sized, here as
in the lab, for the busiest hour with either billing). Totals: F_cs + P_s·servers + e·GB, and
F_p2p + P_t·trackers + P_s·seeds + e·origin GB; the peers' share is their GB over all GB, in
months with at least one download. All of it vectorised with numpy over --months months.

Compared, for the defaults (also the 'default-launcher' preset, whose values are the
defaults) and the presets small-user-base, cheap-bandwidth, reluctant-peers and
autoscaled-peaky:

  * the lab's simulated points (csTotalSim, p2pTotalSim, peerShareSim, at the lab's own N,
    four per decade) against this simulation; the per-user points against total / N;
  * the lab's dashed lines (csTotal, p2pTotal, csPerUser, p2pPerUser, peerShare, at all their
    N) against the manifest's formulas computed here: C_cs, C_p2p, φ(N), s(N) (with autoscaling,
    P_s times the mean over the day's hours of max(1, ⌈load_h / c⌉), for both fleets);
  * the outputs: csCostAtMax, p2pCostAtMax, shareAtBreakEven, the saving per user once the swarm
    has formed (derived here as the difference of the two lines' slopes for large N: e D s∞ +
    (P_s/c) r̄ (busiest-hour or mean w minus the same of w − min(w, a u / r̄)) − P_t a / M_t) and
    the estimate (F_p2p + P_t − F_cs) / saving; and the break-even N*, checked to be the first N
    with C_p2p ≤ C_cs by evaluating the formulas at every integer N up to N* (up to 5·10⁶);
  * a few numbers the lesson states in its text ($651, $1.03 million, 63%, 14% ...), printed
    as LESSON lines (mismatches are reported, not failed: the text is not the model).

    python3 scripts/crosscheck_cost.py [--configs all|defaults,cheap-bandwidth,...]
        [--months 400] [--lab-seeds 2] [--seed 1] [--tolerance 4] [--details]
        [--params JSON (to both sides)] [--lab-params JSON (to the lab only: a sensitivity test)]

Tolerance. Every simulated point is a mean of months, L = 5 per lab seed, --months here. If the
lab is right, its months and these are samples of one month-to-month distribution, whose
standard deviation s is estimated from this script's many months, or from the lab's own 95% t
interval (half-width / t(0.975, 4) · √5, read from the side not cut at the cheapest possible
month or at 0/100%) when that is larger: taking the larger keeps lumpy distributions (a fleet
that is one server larger in a few months only, where five lab months may all agree or one of
them may hold the rare extra server) from giving a false alarm. z = (lab − here) / (s √(1/L +
1/R)) turned into the normal score of its Student t p-value, and a point fails when |z| >
--tolerance, 4 by default: the ~360 comparisons of a full run raise a false alarm with
probability about 2% (Bonferroni, 360 · 6.3e-5), less since neighbouring points are correlated,
while a bias of 1.3 month-to-month standard deviations in a lab point (10 lab months, 400 here)
reaches z = 4. Shares
in months without a download are left out on both sides (at N = 1 with small D). Formula lines
and outputs must match to 1e-9 (relative), N* exactly. Exits with status 1 when a lab point
differs beyond the tolerance, or a line or output from its formula.

A run takes about 25 s of CPU with the defaults, most of it the ten lab runs through npx (two at
a time); 30 s to 1.5 min of wall time depending on the machine's load.

Sensitivity (the lab run with other parameters than this script's, --lab-params): peer
availability 0.022 instead of 0.02 (reluctant-peers) fails at z = 26 on the peers' share;
hourly billing given as peak (autoscaled-peaky) fails at z = 13; a day-to-day swing of 0.3
instead of 0.1 only reaches z = 3 on the client-server bill, whose fleet is 3% of it and whose
egress is as noisy as the swing makes it.
"""

import argparse
import json
import math
import sys
import time
import zlib
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

import lab_output
from tally import Tally

HOURS, DAYS = 24, 30
MONTH_HOURS = HOURS * DAYS
MONTH_SECONDS = MONTH_HOURS * 3600
MBIT_PER_GB = 8000
PEAK_HOUR = 21
LAB_MONTHS = 5
T975_4 = stats.t.ppf(0.975, LAB_MONTHS - 1)
EXACT = 1e-9
SCAN_LIMIT = 5_000_000

# The manifest's defaults (the lesson's numbers are stated for them).
DEFAULTS = {
    "maxUsers": 1_000_000, "downloadPerUser": 20, "peakToMean": 3, "dailySwing": 0.1, "serverCapacity": 1000,
    "serverPrice": 150, "egressPrice": 0.05, "billing": "peak", "csBaseCost": 500, "p2pFixedCost": 3000,
    "trackerPrice": 50, "peersPerTracker": 100_000, "peerUpload": 5, "peerAvailability": 0.1, "swarms": 100,
}  # fmt: skip

CONFIGS = {
    "defaults": {},
    "small-user-base": {"maxUsers": 1000},
    "cheap-bandwidth": {"egressPrice": 0.002, "downloadPerUser": 2, "maxUsers": 10_000_000},
    "reluctant-peers": {"peerAvailability": 0.02, "peerUpload": 0.5, "swarms": 10000},
    "autoscaled-peaky": {"peakToMean": 8, "billing": "hourly"},
}


def lab_results(params: dict, seeds: list[int], parallel: int = 2) -> list[dict]:
    """The lab's own results, a few runs at a time (see lab_output.py)."""
    return lab_output.lab_results("cost", params, seeds, parallel)


# --------------------------------------------------------------------------- formulas


def daily_curve(peak: float) -> np.ndarray:
    """24 hourly weights of mean 1 shaped as exp(κ cos(2π(h − 21)/24)), κ such that the busiest is `peak`."""
    theta = 2 * np.pi * (np.arange(HOURS) - PEAK_HOUR) / HOURS

    def curve(kappa: float) -> np.ndarray:
        w = np.exp(kappa * (np.cos(theta) - 1))
        return w / w.mean()

    if peak == 1:
        return np.ones(HOURS)
    hi = 1.0
    while curve(hi).max() < peak:
        hi *= 2
    kappa = optimize.brentq(lambda k: curve(k).max() - peak, 0.0, hi, xtol=1e-14, rtol=1e-15)
    return curve(kappa)


def servers_for(load, capacity):
    """Whole servers for a load (Mbit/s), at least one; a load within 1e-9 of a multiple of c
    (rounding in the curve) needs no extra server."""
    return np.maximum(1, np.ceil(np.asarray(load, dtype=float) / capacity - 1e-9))


class Formulas:
    """The manifest's formulas, for an array of N."""

    def __init__(self, v: dict):
        self.v = v
        self.w = daily_curve(v["peakToMean"])
        self.r = MBIT_PER_GB * v["downloadPerUser"] / MONTH_SECONDS  # Mbit/s per user
        au = v["peerAvailability"] * v["peerUpload"]
        self.cap = au / self.r if self.r > 0 else math.inf  # a u / r̄

    def fleet(self, hourly_load: np.ndarray) -> np.ndarray:
        """hourly_load: (..., 24) Mbit/s. Fixed fleet: busiest hour; autoscaled: mean over hours."""
        per_hour = servers_for(hourly_load, self.v["serverCapacity"])
        if self.v["billing"] == "peak":
            return servers_for(hourly_load.max(axis=-1), self.v["serverCapacity"])
        return per_hour.mean(axis=-1)

    def coverage(self, n):
        v = self.v
        return 1 - (1 - v["peerAvailability"] / v["swarms"]) ** np.asarray(n, dtype=float)

    def peer_part(self, n):
        """min(φ w_h, a u / r̄), shape (len(n), 24)."""
        phi = self.coverage(n)[..., None]
        return np.minimum(phi * self.w, self.cap)

    def share(self, n):
        return self.peer_part(n).mean(axis=-1)

    def cs(self, n):
        v = self.v
        n = np.asarray(n, dtype=float)
        load = n[..., None] * self.r * self.w
        return v["csBaseCost"] + v["serverPrice"] * self.fleet(load) + v["egressPrice"] * n * v["downloadPerUser"]

    def p2p(self, n):
        v = self.v
        n = np.asarray(n, dtype=float)
        origin = n[..., None] * self.r * (self.w - self.peer_part(n))
        trackers = servers_for(v["peerAvailability"] * n, v["peersPerTracker"])
        egress = v["egressPrice"] * (1 - self.share(n)) * n * v["downloadPerUser"]
        return v["p2pFixedCost"] + v["trackerPrice"] * trackers + v["serverPrice"] * self.fleet(origin) + egress

    def saving_per_user(self) -> float:
        """Slope of C_cs minus slope of C_p2p for large N (coverage 1, fleets as fractions)."""
        v = self.v
        agg = (lambda x: x.max()) if v["billing"] == "peak" else (lambda x: x.mean())
        s_inf = np.minimum(self.w, self.cap).mean()
        per_mbps = v["serverPrice"] / v["serverCapacity"]
        return (
            v["egressPrice"] * v["downloadPerUser"] * s_inf
            + per_mbps * self.r * (agg(self.w) - agg(self.w - np.minimum(self.w, self.cap)))
            - v["trackerPrice"] * v["peerAvailability"] / v["peersPerTracker"]
        )


# --------------------------------------------------------------------------- simulation


def simulate_months(n: int, f: Formulas, months: int, rng: np.random.Generator) -> dict:
    """`months` independent months at N users; per month: the two totals and the peers' share."""
    v = f.v
    shape = (months, DAYS, HOURS)
    swing = v["dailySwing"]
    day = np.exp(swing * rng.standard_normal((months, DAYS, 1)) - swing**2 / 2) if swing > 0 else np.ones((months, DAYS, 1))
    per_hour = n * v["downloadPerUser"] / MONTH_HOURS  # 1 GB downloads
    downloads = rng.poisson(per_hour * f.w[None, None, :] * day).astype(float)
    online = rng.binomial(n, v["peerAvailability"], size=shape)
    k = v["swarms"]
    item_covered = 1 - (1 - 1 / k) ** online  # P(some online user holds a given item)
    covered_items = rng.binomial(k, item_covered)
    found = rng.binomial(downloads.astype(np.int64), covered_items / k).astype(float)
    upload_gb = online * v["peerUpload"] * 3600 / MBIT_PER_GB
    peer_gb = np.minimum(found, upload_gb)
    origin_gb = downloads - peer_gb
    to_mbps = MBIT_PER_GB / 3600
    c = v["serverCapacity"]
    flat = lambda x: x.reshape(months, MONTH_HOURS)
    if v["billing"] == "peak":
        servers = servers_for(flat(downloads).max(axis=1) * to_mbps, c)
        seeds = servers_for(flat(origin_gb).max(axis=1) * to_mbps, c)
    else:
        servers = servers_for(flat(downloads) * to_mbps, c).mean(axis=1)
        seeds = servers_for(flat(origin_gb) * to_mbps, c).mean(axis=1)
    trackers = servers_for(flat(online).max(axis=1), v["peersPerTracker"])
    total_gb = flat(downloads).sum(axis=1)
    origin_total = flat(origin_gb).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total_gb > 0, 100 * (total_gb - origin_total) / total_gb, np.nan)
    return {
        "csTotalSim": v["csBaseCost"] + v["serverPrice"] * servers + v["egressPrice"] * total_gb,
        "p2pTotalSim": v["p2pFixedCost"] + v["trackerPrice"] * trackers + v["serverPrice"] * seeds + v["egressPrice"] * origin_total,
        "peerShareSim": share,
    }


# --------------------------------------------------------------------------- comparison


@dataclass
class Row:
    where: str
    lab: float
    here: float
    z: float


def z_score(lab_points: list, mine: np.ndarray) -> tuple[float, float, float]:
    """Lab mean over its seeds vs this script's months: (lab mean, my mean, z)."""
    mine = mine[~np.isnan(mine)]
    r = len(mine)
    here = float(mine.mean())
    sd_here = float(mine.std(ddof=1)) if r > 1 else 0.0
    means = [pt[1] for pt in lab_points]
    sds = [max(pt[1] - pt[2], pt[3] - pt[1]) / T975_4 * math.sqrt(LAB_MONTHS) if len(pt) > 3 else 0.0 for pt in lab_points]
    lab = float(np.mean(means))
    sd_lab = math.sqrt(float(np.mean(np.square(sds))))
    count = LAB_MONTHS * len(lab_points)
    if sd_lab > sd_here:
        se, df = math.sqrt(sd_lab**2 / count + sd_here**2 / r), (LAB_MONTHS - 1) * len(lab_points)
    else:
        se, df = sd_here * math.sqrt(1 / count + 1 / r), r - 1
    diff = lab - here
    if se == 0:
        return lab, here, 0.0 if abs(diff) <= EXACT * max(1.0, abs(here)) else math.copysign(math.inf, diff)
    t = diff / se
    p = 2 * stats.t.sf(abs(t), df)
    return lab, here, math.copysign(float(stats.norm.isf(p / 2)) if p > 0 else math.inf, t)


class Report(Tally):
    def __init__(self, tolerance: float, details: bool):
        super().__init__(tolerance)
        self.details = details

    def curve(self, label: str, rows: list[Row], unit: str) -> None:
        if not rows:
            print(f"  {label:40} no points")
            return
        self.count += len(rows)
        at = max(rows, key=lambda row: abs(row.z))
        # Costs: the relative gap; shares (already in %): the gap in percentage points.
        size = (lambda row: abs(row.lab - row.here)) if unit == "%" else (lambda row: abs(row.lab - row.here) / max(abs(row.here), 1e-12))
        gap = max(rows, key=size)
        gap_text = f"{size(gap):.3g} points" if unit == "%" else f"{100 * size(gap):.2f}%"
        flag = "  <-- beyond tolerance" if abs(at.z) > self.tolerance else ""
        print(
            f"  {label:40} max |z| {abs(at.z):5.2f} at N={at.where} ({at.lab:.6g} vs {at.here:.6g}); "
            f"largest gap {gap_text} at N={gap.where} ({gap.lab:.6g} vs {gap.here:.6g} {unit}){flag}"
        )
        self.worst = max(self.worst, abs(at.z))
        for row in rows:
            if self.details:
                print(f"      N={row.where:>9}  lab {row.lab:14.6g}  here {row.here:14.6g}  z {row.z:6.2f}")
            if abs(row.z) > self.tolerance:
                self.failures.append(f"{label} at N={row.where}: lab {row.lab:.6g} vs independent {row.here:.6g}, z = {row.z:.2f}")

    def exact(self, label: str, pairs: list[tuple[str, float, float]]) -> None:
        """(where, lab, formula): must agree to EXACT (relative)."""
        worst, where = 0.0, ""
        for at, lab, want in pairs:
            if lab is None or want is None or (isinstance(want, float) and math.isnan(want)):
                gap = 0.0 if (lab is None) == (want is None or math.isnan(want)) else math.inf
            else:
                gap = abs(lab - want) / max(abs(want), 1.0)
            if gap > worst:
                worst, where = gap, at
        flag = "  <-- differs" if worst > EXACT else ""
        print(f"  {label:40} {len(pairs):4d} values, largest relative gap {worst:.1e}{f' at {where}' if where else ''}{flag}")
        if worst > EXACT:
            self.failures.append(f"{label}: differs from the formula by {worst:.2e} (relative) at {where}")


def check_config(name: str, overrides: dict, args, report: Report, lab_only: dict) -> None:
    started = time.monotonic()
    seeds = [args.seed + i for i in range(args.lab_seeds)]
    labs = lab_results({**overrides, **lab_only}, seeds)
    lab_seconds = time.monotonic() - started
    # This script's parameters: the lab's, except those given to the lab only (a sensitivity test).
    v = {**labs[0]["params"], **{key: {**DEFAULTS, **overrides}[key] for key in lab_only}}
    if lab_only:
        print(f"(sensitivity test: the lab runs with {lab_only}, this script with {({key: v[key] for key in lab_only})})")
    f = Formulas(v)
    print(
        f"{name}: N up to {v['maxUsers']:,}, D = {v['downloadPerUser']:g} GB, p = {v['peakToMean']:g}, swing {v['dailySwing']:g}, "
        f"billing {v['billing']}, e = ${v['egressPrice']:g}/GB, a = {v['peerAvailability']:g}, u = {v['peerUpload']:g} Mbit/s, K = {v['swarms']:,}"
    )

    # Formula lines.
    series = labs[0]["series"]
    for key, fn, scale in (
        ("csTotal", f.cs, lambda n: 1),
        ("p2pTotal", f.p2p, lambda n: 1),
        ("csPerUser", f.cs, lambda n: 1 / n),
        ("p2pPerUser", f.p2p, lambda n: 1 / n),
        ("peerShare", f.share, lambda n: 100),
    ):
        xs = np.array([pt[0] for pt in series[key]], dtype=float)
        want = fn(xs) * np.array([scale(x) for x in xs])
        report.exact(f"line {key} vs formula", [(f"N={int(x)}", pt[1], float(w)) for x, pt, w in zip(xs, series[key], want)])

    # Outputs and the break-even.
    out = labs[0]["outputs"]
    n_max = v["maxUsers"]
    saving = f.saving_per_user()
    extra = v["p2pFixedCost"] + v["trackerPrice"] - v["csBaseCost"]
    pairs = [
        ("csCostAtMax", out["csCostAtMax"], float(f.cs(n_max))),
        ("p2pCostAtMax", out["p2pCostAtMax"], float(f.p2p(n_max))),
        ("savingPerUser", out["savingPerUser"], saving),
        ("breakEvenEstimate", out["breakEvenEstimate"], max(1.0, extra / saving) if saving > 0 else None),
    ]
    n_star = out["breakEven"]
    if n_star is not None:
        pairs.append(("shareAtBreakEven", out["shareAtBreakEven"], 100 * float(f.share(n_star))))
    report.exact("outputs vs formulas", pairs)
    gap = lambda n: f.p2p(n) - f.cs(n)
    if n_star is None:
        first = None
        grid = np.unique(np.round(np.logspace(0, 9, 20000)))
        if np.any(gap(grid) <= 0):
            first = int(grid[np.argmax(gap(grid) <= 0)])
        print(f"  break-even: lab says never; a 20,000-point log grid up to 1e9 finds {'none' if first is None else f'one at N={first:,}'}")
        if first is not None:
            report.failures.append(f"{name}: the lab finds no break-even, the formulas are crossed at N={first:,}")
    else:
        n_star = int(n_star)
        limit = min(n_star, SCAN_LIMIT)
        first = None
        for lo in range(1, limit + 1, 500_000):
            ns = np.arange(lo, min(limit, lo + 499_999) + 1, dtype=float)
            hit = np.flatnonzero(gap(ns) <= 0)
            if hit.size:
                first = int(ns[hit[0]])
                break
        ok = float(gap(n_star)) <= 0 and (n_star == 1 or float(gap(n_star - 1)) > 0)
        scanned = f"every N up to {limit:,} scanned: first crossing at {first:,}" if first else f"no crossing below {limit:,}"
        print(f"  break-even: lab N* = {n_star:,}; gap(N*) = {float(gap(n_star)):.4g}, gap(N*-1) = {float(gap(max(1, n_star - 1))):.4g}; {scanned}")
        if not ok or (first is not None and first != n_star) or (first is None and n_star <= SCAN_LIMIT):
            report.failures.append(f"{name}: break-even N* = {n_star:,} is not the first N with C_p2p <= C_cs (first: {first})")
        line = series["breakEven"]
        if n_star <= n_max and not (len(line) == 2 and all(int(pt[0]) == n_star for pt in line)):
            report.failures.append(f"{name}: the break-even line is not at N* = {n_star:,}")

    # Simulated points.
    rng = np.random.default_rng([args.seed, zlib.crc32(name.encode())])
    xs = [int(pt[0]) for pt in series["csTotalSim"]]
    mine = {n: simulate_months(n, f, args.months, rng) for n in xs}
    for key, unit in (("csTotalSim", "$"), ("p2pTotalSim", "$"), ("peerShareSim", "%")):
        by_n = [{int(pt[0]): pt for pt in lab["series"][key]} for lab in labs]
        rows = []
        missing = []
        for n in xs:
            pts = [b[n] for b in by_n if n in b]
            if len(pts) < len(labs):
                missing.append(n)
            if not pts or np.all(np.isnan(mine[n][key])):
                continue
            lab_mean, here, z = z_score(pts, mine[n][key])
            rows.append(Row(str(n), lab_mean, here, z))
        report.curve(f"{key} lab vs independent", rows, unit)
        if missing:
            p0 = {n: float(np.mean(np.isnan(mine[n]["peerShareSim"]))) for n in missing}
            print(f"    no lab point in some seeds at N = {missing} (here, share of months without a download: {p0})")
    # Per-user points are the totals over N.
    for total, per_user in (("csTotalSim", "csPerUserSim"), ("p2pTotalSim", "p2pPerUserSim")):
        pairs = []
        for lab in labs:
            for a, b in zip(lab["series"][total], lab["series"][per_user]):
                pairs.append((f"N={int(a[0])}", b[1], a[1] / a[0]))
        report.exact(f"{per_user} vs {total} / N", pairs)
    # How far the simulated months sit from the formulas (information: the swing and the
    # busiest hour's noise make the simulated fleets larger, the documented difference).
    n = xs[-1]
    ratios = ", ".join(
        f"{key} {np.nanmean(mine[n][key + 'Sim']) / float(fn(n)):.3f}"
        for key, fn in (("csTotal", f.cs), ("p2pTotal", f.p2p), ("peerShare", lambda m: 100 * f.share(m)))
        if float(fn(n)) > 0
    )
    print(f"  at N={n:,}: independent simulation / formula: {ratios}; lab runs {lab_seconds:.1f} s, total {time.monotonic() - started:.1f} s")


def lesson_numbers(report: Report) -> None:
    """Numbers the lesson's text states, against the formulas (warnings, not failures)."""
    base = DEFAULTS
    f = Formulas(base)
    reluctant = Formulas({**base, **CONFIGS["reluctant-peers"]})
    peaky = Formulas({**base, **CONFIGS["autoscaled-peaky"]})
    sig3 = lambda x: float(f"{x:.3g}")
    checks = [
        ("r̄ for 20 GB is 0.062 Mbit/s", round(f.r, 3), 0.062),
        ("at 1 user client-server costs $651", sig3(float(f.cs(1))), 651.0),
        ("at 1 user P2P costs $3,200", sig3(float(f.p2p(1))), 3200.0),
        ("at 1e6 users client-server costs $1.03 million", sig3(float(f.cs(1e6)) / 1e6), 1.03),
        ("at 1e6 users, $1.03 per user", sig3(float(f.cs(1e6)) / 1e6), 1.03),
        ("at 1e6 users the servers cost about $28,000", round(150 * float(servers_for(3e6 * f.r, 1000)), -3), 28000.0),
        ("φ(1,000) = 63% (a = 0.1, K = 100)", round(100 * float(f.coverage(1000))), 63.0),
        ("extra fixed cost $2,550", 3000 + 50 - 500, 2550),
        ("reluctant peers serve 14% at 1e6 users", round(100 * float(reluctant.share(1e6))), 14.0),
        ("reluctant P2P saves 14% at 1e6 users", round(100 * (1 - float(reluctant.p2p(1e6)) / float(reluctant.cs(1e6)))), 14.0),
        ("default P2P saves 99.7% at 1e6 users", round(100 * (1 - float(f.p2p(1e6)) / float(f.cs(1e6))), 1), 99.7),
        ("peaky: busiest-hour demand 0.49 Mbit/s per user", round(8 * peaky.r, 2), 0.49),
        ("cs cost at 10,000 users is $10,800", float(f.cs(10_000)), 10800.0),
        ("free egress: $28,400 at 1e6 users", float(Formulas({**base, "egressPrice": 0}).cs(1e6)), 28400.0),
    ]
    bad = [(text, got, want) for text, got, want in checks if abs(got - want) > 1e-9 * max(1, abs(want))]
    print(f"lesson text: {len(checks) - len(bad)} of {len(checks)} stated numbers agree with the formulas")
    for text, got, want in bad:
        line = f"LESSON: '{text}' but the formulas give {got:g}"
        print("  " + line)
        report.notes.append(line)
    # Step 6: with autoscaled peaky demand the simulated P2P bill is far above the formula's
    # because of the swing; "set the swing to 0 and the two nearly agree again".
    rng = np.random.default_rng(12345)
    ratios = []
    for swing in (0.1, 0.0):
        g = Formulas({**peaky.v, "dailySwing": swing})
        ratios.append(float(simulate_months(1_000_000, g, 100, rng)["p2pTotalSim"].mean()) / float(g.p2p(1e6)))
    print(
        f"  peaky, autoscaled, 1e6 users: simulated P2P / formula {ratios[0]:.2f} with the swing, {ratios[1]:.3f} without "
        f"(lesson: 'set the swing to 0 and the two nearly agree again')"
    )
    print(
        f"  note: with p = 8 the busiest hour asks {8 * peaky.r:.3f} Mbit/s per user, below a·u = 0.5; only a day above "
        f"{0.5 / (8 * peaky.r):.3f}× the mean (the swing) makes it exceed the peers' upload, as the lesson's 'more on a busy day' says"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configs", default="all", help=f"'all' or comma-separated names of: {', '.join(CONFIGS)}")
    parser.add_argument("--months", type=int, default=400, help="independent months per simulated N")
    parser.add_argument("--lab-seeds", type=int, default=2, help="lab runs per configuration (5 months per point each)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tolerance", type=float, default=4.0, help="largest allowed |z| of a lab point against the independent one")
    parser.add_argument("--params", default="", help="JSON of extra lab parameters applied to every configuration (to test the check)")
    parser.add_argument("--lab-params", default="", help="JSON of lab parameters given to the lab only, not to this simulation (to test the check)")
    parser.add_argument("--details", action="store_true", help="print every simulated point")
    args = parser.parse_args()

    wanted = list(CONFIGS) if args.configs == "all" else args.configs.split(",")
    report = Report(args.tolerance, args.details)
    started = time.monotonic()
    extra = json.loads(args.params) if args.params else {}
    lab_only = json.loads(args.lab_params) if args.lab_params else {}
    for name in wanted:
        overrides = {**CONFIGS[name], **extra}
        check_config(name, overrides, args, report, lab_only)
    lesson_numbers(report)
    return report.finish(started)


if __name__ == "__main__":
    sys.exit(main())
