"""Stylised facts the model claims to reproduce, each checked on demand over many seeds.

``innocluster claims`` and :func:`check_claims` run them; ``docs/validation.md`` shows the
table as measured. A claim (:class:`Claim`) states its cause and is checked by removing it.
"""

from innocluster.facts.check import CLAIMS, DEFAULT_SEEDS, check_claims, claim_named, parse_seeds
from innocluster.facts.claim import Claim, ClaimResult, Variant, interval

__all__ = [
    "CLAIMS",
    "DEFAULT_SEEDS",
    "Claim",
    "ClaimResult",
    "Variant",
    "check_claims",
    "claim_named",
    "interval",
    "parse_seeds",
]
