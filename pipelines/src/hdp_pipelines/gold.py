"""silver -> gold: the configured gold step (pass-through or aggregates), replacing gold."""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from .catalog import apply_column_metadata, create_table, with_column_comments
from .spec import Measure, TableSpec


@dataclass(frozen=True)
class GoldResult:
    table: str
    rows: int


def measure(m: Measure) -> Column:
    """One aggregate column."""
    if m.function == "count":
        expr = F.count(F.col(m.column)) if m.column else F.count(F.lit(1))
    elif m.function == "count_distinct":
        expr = F.count_distinct(F.col(m.column))
    else:
        expr = getattr(F, m.function)(F.col(m.column))
    return expr.alias(m.name)


def gold_frame(silver: DataFrame, spec: TableSpec) -> DataFrame:
    """The gold rows from silver (pure DataFrame logic)."""
    gold = spec.gold
    columns = [c.name for c in spec.columns]
    if gold is None or gold.is_passthrough:
        return silver.select(*columns)
    measures = [measure(m) for m in gold.measures]
    if gold.group_by:
        return silver.groupBy(*gold.group_by).agg(*measures)
    return silver.agg(*measures)


def run_gold(spark: SparkSession, spec: TableSpec, date: str) -> GoldResult:
    target, silver = spec.names.gold, spec.names.silver
    if target is None or silver is None:
        raise ValueError(f"{spec.key}: the table does not reach gold")
    df = gold_frame(spark.table(silver), spec)
    passthrough = spec.gold is not None and spec.gold.is_passthrough
    partitions = spec.partition_by if passthrough else ()
    if not create_table(spark, spec, df, target, partitions, empty=False):
        writer = (
            with_column_comments(df, spec)
            .write.format("delta")
            .mode("overwrite")
            .option("overwriteSchema", "true")
        )
        if partitions:
            writer = writer.partitionBy(*partitions)
        writer.saveAsTable(target)
    apply_column_metadata(spark, spec, target)
    rows = spark.table(target).count()
    print(f"gold {spec.key} {date}: {rows} rows -> {target}")
    return GoldResult(target, rows)
