"""Builds spec JSON the way the platform renders it (tests only)."""

from __future__ import annotations

import copy
from typing import Any


def spec_dict(
    table: str,
    columns: list[dict[str, Any]],
    load: dict[str, Any],
    landing: str,
    *,
    source: str = "test-source",
    fmt: str = "csv",
    layers: tuple[str, ...] = ("landing", "bronze", "silver"),
    schema_prefix: str = "test_source",
    gold: dict[str, Any] | None = None,
    partition_by: tuple[str, ...] = (),
    classification: str = "phi",
) -> dict[str, Any]:
    names = {
        layer: f"spark_catalog.{schema_prefix}_{layer}.{table}"
        for layer in ("bronze", "silver", "gold")
        if layer in layers
    }
    if "silver" in layers:
        names["quarantine"] = f"spark_catalog.{schema_prefix}_silver.{table}__quarantine"
    out: dict[str, Any] = {
        "specVersion": 1,
        "environment": "test",
        "source": source,
        "table": table,
        "description": f"Test table {table}",
        "classification": classification,
        "columns": [
            {"nullable": True, "classification": "internal", "description": None, **c}
            for c in columns
        ],
        "load": {"keys": [], "orderBy": None, "delete": None, **load},
        "partitionBy": list(partition_by),
        "layers": list(layers),
        "landing": {"format": fmt, "path": landing},
        "tables": names,
        "gold": gold,
    }
    return copy.deepcopy(out)
