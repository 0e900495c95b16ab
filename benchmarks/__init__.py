"""`make bench`: the quality bars of benchmarks/README.md measured on generated reference data."""
