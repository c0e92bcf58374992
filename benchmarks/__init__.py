"""Lantern's benchmarks: ``make bench`` (``python -m benchmarks.run``); figures in docs/performance.md."""
