#!/usr/bin/env python3
"""Checks the connectivity lab against an independent implementation.

Builds Erdős–Rényi and Barabási–Albert graphs of the same size with networkx, removes
nodes at random and by decreasing initial degree (ties in random order), measures the
largest connected component with scipy at the lab's removed fractions, and compares the
mean curves with the lab's simulated curves (and its theory lines) for the same
parameters, obtained from `npx tsx scripts/print-lab.ts connectivity ...`.

    python3 scripts/crosscheck_connectivity.py [--nodes 100000] [--trials 4]
        [--mean-degree 4] [--links 2] [--seed 1] [--tolerance 5]

Prints each curve's largest deviation in percentage points of N and exits with status 1
if a simulated curve of the lab differs from networkx by more than --tolerance points.
networkx's barabasi_albert_graph starts from a star of m + 1 nodes where the lab starts
from a clique; at N in the thousands this changes the curves by O(m²/N).
"""

import argparse
import sys

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import connected_components

import lab_output

CURVES = {
    "erRandom": ("erdos-renyi", "random"),
    "erTargeted": ("erdos-renyi", "targeted"),
    "sfRandom": ("scale-free", "random"),
    "sfTargeted": ("scale-free", "targeted"),
}


def lab_result(params: dict, seed: int) -> dict:
    """The lab's own result (see lab_output.py)."""
    return lab_output.lab_result("connectivity", params, seed)


def build(topology: str, nodes: int, mean_degree: float, links: int, rng: np.random.Generator) -> nx.Graph:
    seed = int(rng.integers(2**31 - 1))
    if topology == "erdos-renyi":
        return nx.fast_gnp_random_graph(nodes, min(1.0, mean_degree / (nodes - 1)), seed=seed)
    return nx.barabasi_albert_graph(nodes, links, seed=seed)


def removal_order(graph: nx.Graph, attack: str, rng: np.random.Generator) -> np.ndarray:
    shuffled = rng.permutation(graph.number_of_nodes())
    if attack == "random":
        return shuffled
    degrees = np.array([graph.degree(v) for v in range(graph.number_of_nodes())])
    # A stable sort of a random permutation by decreasing degree: ties stay in random order.
    return shuffled[np.argsort(-degrees[shuffled], kind="stable")]


def giant_shares(graph: nx.Graph, order: np.ndarray, removed_counts: list[int]) -> np.ndarray:
    """Largest component / N after removing the first k nodes of the order, for each k."""
    n = graph.number_of_nodes()
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=range(n), format="csr")
    shares = np.zeros(len(removed_counts))
    for i, k in enumerate(removed_counts):
        keep = np.sort(order[k:])
        if keep.size == 0:
            continue
        _, labels = connected_components(adjacency[keep][:, keep], directed=False)
        shares[i] = np.bincount(labels).max() / n
    return shares


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--trials", type=int, default=4)
    parser.add_argument("--mean-degree", type=float, default=4.0)
    parser.add_argument("--links", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tolerance", type=float, default=5.0, help="largest allowed deviation, percentage points of N")
    args = parser.parse_args()

    params = {"nodes": args.nodes, "trials": args.trials, "meanDegree": args.mean_degree, "links": args.links}
    lab = lab_result(params, args.seed)
    print(f"lab run: N = {args.nodes:,}, {args.trials} networks, c = {args.mean_degree}, m = {args.links}, {lab['seconds']:.1f} s")

    rng = np.random.default_rng(args.seed)
    worst_simulated = 0.0
    for key, (topology, attack) in CURVES.items():
        xs = [point[0] for point in lab["series"][key]]
        removed = [round(x * args.nodes / 100) for x in xs]
        runs = []
        for _ in range(args.trials):
            graph = build(topology, args.nodes, args.mean_degree, args.links, rng)
            runs.append(giant_shares(graph, removal_order(graph, attack, rng), removed))
        reference = 100 * np.mean(runs, axis=0)
        simulated = np.array([point[1] for point in lab["series"][key]])
        theory_by_x = {point[0]: point[1] for point in lab["series"][f"{key}Theory"]}
        theory = np.array([theory_by_x[x] for x in xs])
        sim_gap = np.abs(simulated - reference)
        theory_gap = np.abs(theory - reference)
        at_sim = xs[int(np.argmax(sim_gap))]
        at_theory = xs[int(np.argmax(theory_gap))]
        worst_simulated = max(worst_simulated, float(sim_gap.max()))
        print(
            f"{topology:12} {attack:9} lab simulation vs networkx: max {sim_gap.max():5.2f} points (at {at_sim:g}% removed), "
            f"mean {sim_gap.mean():4.2f}; lab theory vs networkx: max {theory_gap.max():5.2f} (at {at_theory:g}%), mean {theory_gap.mean():4.2f}"
        )
    print(f"largest deviation of a lab simulation from networkx: {worst_simulated:.2f} points of N (tolerance {args.tolerance:g})")
    return 0 if worst_simulated <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
