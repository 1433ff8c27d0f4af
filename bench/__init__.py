"""Benchmarks, run on demand (``make bench``), never as timed tests. Results go to
``bench/results/`` as Markdown and JSON."""
