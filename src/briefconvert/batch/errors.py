"""The one exception of the batch layer: a request that cannot start."""

from __future__ import annotations


class BatchUsageError(Exception):
    """The batch cannot start as asked (no inputs, two inputs writing one
    output, the report locked by another run...): the CLI exits 2."""
