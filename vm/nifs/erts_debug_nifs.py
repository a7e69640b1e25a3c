"""erts_debug:flat_size/1: a term's size in words on the board's heap layout."""
from __future__ import annotations

from typing import Any

from ..natives import native
from ..term_size import flat_size


@native("erts_debug", "flat_size", 1)
def flat_size1(ctx: Any, term: Any) -> int:
    """Words the term takes when copied without sharing (AtomVM's memory_estimate_usage)."""
    return flat_size(term, ctx.vm.layout)
