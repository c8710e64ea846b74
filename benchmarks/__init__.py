"""Benchmarks of natowatch against Hugo (see benchmarks/README.md)."""
