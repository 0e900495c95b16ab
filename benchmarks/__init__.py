"""`make bench`: the quality bars of product.md §9 measured on generated reference data."""
