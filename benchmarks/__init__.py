"""Benchmarks that print JSON (issue 10); not timed tests. See benchmarks/README.md."""
