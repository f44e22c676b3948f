"""Benchmarks: not tests. Each prints JSON and compares against a floor measured in the same
run, so the numbers mean something on a shared, noisy machine."""
