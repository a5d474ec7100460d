"""Benchmarks: each module measures one path and is runnable alone (`python -m bench.rollup`);
`python -m bench` runs them all and prints one table. Results are recorded in docs/PERFORMANCE.md.
"""
