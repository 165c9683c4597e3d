"""AWS partitions (aws, aws-cn, aws-us-gov, ...) as botocore's ``partitions.json`` describes them.

botocore's own data, read once on first use, so new regions and partitions come with
the SDK. The response URL guard and the hosted UI URLs both read it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

_DEFAULT_PARTITION = "aws"


@dataclass(frozen=True)
class Partition:
    name: str
    dns_suffix: str
    region_pattern: re.Pattern[str] = field(default=re.compile(r"^$"), compare=False, repr=False)
    # The partition's known regions, dashes removed, as they appear in an S3 bucket name.
    compact_regions: frozenset[str] = field(default=frozenset(), compare=False, repr=False)


@cache
def partitions() -> tuple[Partition, ...]:
    from botocore.loaders import create_loader

    data = create_loader().load_data("partitions")
    return tuple(
        Partition(
            name=entry["id"],
            dns_suffix=entry["outputs"]["dnsSuffix"].lower(),
            region_pattern=re.compile(entry["regionRegex"]),
            compact_regions=frozenset(
                name.replace("-", "") for name in entry["regions"] if re.fullmatch(entry["regionRegex"], name)
            ),
        )
        for entry in data["partitions"]
    )


@cache
def region_partition(region: str) -> Partition:
    """The partition of ``region``: listed regions first, then each partition's region pattern.

    An unknown region counts as ``aws`` (botocore's endpoint resolver falls back the same way).
    """
    for partition in partitions():
        if region.replace("-", "") in partition.compact_regions:
            return partition
    for partition in partitions():
        if partition.region_pattern.match(region):
            return partition
    return next(
        (p for p in partitions() if p.name == _DEFAULT_PARTITION), Partition(_DEFAULT_PARTITION, "amazonaws.com")
    )
