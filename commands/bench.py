"""`python cli.py bench [--scale N] [--json]`: the national-scale benchmark (see bench/run.py)."""
from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Build the corpus in a temporary folder, measure every step, print the table and a JSON line."""
    from bench.run import run as run_bench

    return run_bench(args)
