"""Benchmark suite (issue 8): `python bench/run.py --sizes 1000,10000,100000`.

Not part of the test run. See bench/run.py and docs/benchmarks.md."""
