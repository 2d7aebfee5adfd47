"""bronze -> silver: enforce the schema, quarantine what fails, then one writer per load mode.

- every configured column is cast with `try_cast` (never failing the batch); a value that does not
  cast, a decimal that overflows its precision/scale, a null in a non-null column, or a raw file
  that did not parse sends its row to the quarantine table with the reasons;
- `cdc` and `incremental` (with keys): the latest row per key wins (ordering column, then arrival),
  then one `MERGE` by the keys; a later record never loses to an older one, and CDC rows marked as
  deletes remove the key;
- `incremental` without keys: the day's rows replace that day's rows (idempotent append);
- `full`: the day's snapshot replaces the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from delta.tables import DeltaTable
from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from .bronze import BATCH_ID, ERROR, INGESTED_AT, LANDING_DATE, ROW_ID, SOURCE_FILE
from .catalog import apply_column_metadata, create_table, with_column_comments
from .spec import TableSpec, decimal_precision_scale

SILVER_METADATA = (BATCH_ID, INGESTED_AT, LANDING_DATE, SOURCE_FILE)
REASONS = "_reasons"


@dataclass(frozen=True)
class SilverResult:
    table: str
    rows_in: int
    accepted: int
    quarantined: int
    deleted_keys: int


def is_delete(spec: TableSpec) -> Column:
    """True for CDC rows the feed marks as deletes."""
    marker = spec.load.delete
    if marker is None:
        return F.lit(False)
    return F.coalesce(F.col(marker.column).cast("string").isin(list(marker.values)), F.lit(False))


def conform(df: DataFrame, spec: TableSpec) -> DataFrame:
    """Casts every configured column and adds `_reasons` (empty when the row is valid).

    Delete rows of a CDC feed only need their keys: their other columns are not checked.
    """
    present = set(df.columns)
    deleting = is_delete(spec) if spec.load.delete else F.lit(False)
    keys = set(spec.load.keys)
    checks: list[Column] = []
    typed: dict[str, Column] = {}
    for c in spec.columns:
        raw = F.col(c.name) if c.name in present else F.lit(None).cast("string")
        value = raw.try_cast(c.type)
        typed[c.name] = value
        ps = decimal_precision_scale(c.type)
        if ps is not None:
            bad = F.when(
                raw.isNotNull() & value.isNull() & raw.try_cast("double").isNotNull(),
                F.concat(F.lit(f"{c.name}: "), raw.cast("string"), F.lit(f" overflows {c.type}")),
            ).when(
                raw.isNotNull() & value.isNull(),
                F.concat(F.lit(f"{c.name}: "), raw.cast("string"), F.lit(f" is not a {c.type}")),
            )
        else:
            bad = F.when(
                raw.isNotNull() & value.isNull(),
                F.concat(F.lit(f"{c.name}: "), raw.cast("string"), F.lit(f" is not a {c.type}")),
            )
        checks.append(bad if c.name in keys else F.when(~deleting, bad))
        if not c.nullable:
            missing = F.when(
                value.isNull() & raw.isNull(), F.lit(f"{c.name}: null in a non-null column")
            )
            checks.append(missing if c.name in keys else F.when(~deleting, missing))
    # A row bronze could not read (an unparseable raw file) has one reason: that.
    error = F.col(ERROR) if ERROR in present else F.lit(None).cast("string")
    reasons = F.when(error.isNotNull(), F.array(error)).otherwise(
        F.filter(F.array(*checks), lambda x: x.isNotNull())
    )
    # The delete marker is judged on the raw value, before the columns are replaced.
    out = df.withColumn(REASONS, reasons)
    for name, value in typed.items():
        out = out.withColumn(name, value)
    return out


def latest_per_key(df: DataFrame, spec: TableSpec) -> DataFrame:
    """One row per key: the highest ordering value, then the latest arrival."""
    order = [F.col(spec.load.order_by).desc_nulls_last()] if spec.load.order_by else []
    order += [F.col(INGESTED_AT).desc(), F.col(SOURCE_FILE).desc(), F.col(ROW_ID).desc()]
    w = Window.partitionBy(*spec.load.keys).orderBy(*order)
    return df.withColumn("_rank", F.row_number().over(w)).where("_rank = 1").drop("_rank")


def run_silver(spark: SparkSession, spec: TableSpec, date: str) -> SilverResult:
    """Conforms one landing day of bronze into silver; rejected rows go to quarantine."""
    target, quarantine, bronze = spec.names.silver, spec.names.quarantine, spec.names.bronze
    if target is None or quarantine is None or bronze is None:
        raise ValueError(f"{spec.key}: the table does not reach silver")
    rows = spark.table(bronze).where(F.col(LANDING_DATE) == F.lit(date).cast("date"))
    checked = conform(rows, spec).cache()
    rows_in = checked.count()
    rejected = checked.where(F.size(REASONS) > 0)
    accepted = checked.where(F.size(REASONS) == 0)
    quarantined = _write_quarantine(spark, spec, rows, rejected, quarantine, date)

    columns = [c.name for c in spec.columns]
    clean = accepted.select(*columns, *SILVER_METADATA, ROW_ID)
    deleted = 0
    if spec.load.keys and spec.load.mode in ("cdc", "incremental"):
        deleted = _merge(spark, spec, latest_per_key(clean, spec).drop(ROW_ID), target)
    elif spec.load.mode == "incremental":
        clean = clean.drop(ROW_ID)
        _create_if_missing(spark, spec, clean, target)
        clean.write.format("delta").mode("overwrite").option(
            "replaceWhere", f"{LANDING_DATE} = '{date}'"
        ).saveAsTable(target)
    else:  # full: the day's snapshot is the table (its schema, comments included, replaced)
        snapshot = (latest_per_key(clean, spec) if spec.load.keys else clean).drop(ROW_ID)
        if not create_table(spark, spec, snapshot, target, empty=False):
            writer = (
                with_column_comments(snapshot, spec)
                .write.format("delta")
                .mode("overwrite")
                .option("overwriteSchema", "true")
            )
            if spec.partition_by:
                writer = writer.partitionBy(*spec.partition_by)
            writer.saveAsTable(target)
    apply_column_metadata(spark, spec, target)
    accepted_count = rows_in - quarantined
    checked.unpersist()
    print(
        f"silver {spec.key} {date}: {rows_in} rows, {accepted_count} accepted, "
        f"{quarantined} quarantined -> {target} ({quarantine})"
    )
    return SilverResult(target, rows_in, accepted_count, quarantined, deleted)


def _create_if_missing(spark: SparkSession, spec: TableSpec, df: DataFrame, target: str) -> None:
    """The silver table, created with its comments, properties and description in one commit."""
    create_table(spark, spec, df, target)


def _merge(spark: SparkSession, spec: TableSpec, source: DataFrame, target: str) -> int:
    """MERGE by the keys; a row older than the silver row (by the ordering column) never wins."""
    _create_if_missing(spark, spec, source, target)
    deletes = source.where(is_delete(spec)).count() if spec.load.delete else 0
    on = " AND ".join(f"t.`{k}` <=> s.`{k}`" for k in spec.load.keys)
    order = spec.load.order_by or INGESTED_AT
    newer = f"(t.`{order}` IS NULL OR s.`{order}` >= t.`{order}`)"
    merge = DeltaTable.forName(spark, target).alias("t").merge(source.alias("s"), on)
    if spec.load.delete:
        marker = spec.load.delete
        values = ", ".join("'" + v.replace("'", "''") + "'" for v in marker.values)
        delete = f"s.`{marker.column}` IN ({values})"
        merge = merge.whenMatchedDelete(condition=f"{delete} AND {newer}")
        merge = merge.whenMatchedUpdateAll(condition=f"NOT ({delete}) AND {newer}")
        merge = merge.whenNotMatchedInsertAll(condition=f"NOT ({delete})")
    else:
        merge = merge.whenMatchedUpdateAll(condition=newer).whenNotMatchedInsertAll()
    merge.execute()
    return deletes


def _write_quarantine(
    spark: SparkSession,
    spec: TableSpec,
    bronze_rows: DataFrame,
    rejected: DataFrame,
    quarantine: str,
    date: str,
) -> int:
    """Rejected rows, as they were in bronze (JSON), with every reason; replaces the day's rows."""
    raw_columns = [c for c in bronze_rows.columns if not c.startswith("_")]
    # The checked frame holds cast values: rebuild the bronze values by joining back on the row id.
    raw = bronze_rows.select(
        ROW_ID,
        BATCH_ID,
        F.to_json(F.struct(*[F.col(c).cast("string").alias(c) for c in raw_columns])).alias(
            "_record"
        ),
    )
    out = (
        rejected.select(ROW_ID, BATCH_ID, INGESTED_AT, LANDING_DATE, SOURCE_FILE, REASONS)
        .join(raw, on=[ROW_ID, BATCH_ID], how="left")
        .select(
            F.lit(spec.key).alias("_table"),
            F.col("_record"),
            F.array_join(F.col(REASONS), "; ").alias("_reason"),
            F.col(REASONS),
            F.col(SOURCE_FILE),
            F.col(BATCH_ID),
            F.col(INGESTED_AT),
            F.col(LANDING_DATE),
            F.current_timestamp().alias("_quarantined_at"),
        )
    ).cache()
    count = out.count()
    if spark.catalog.tableExists(quarantine):
        out.write.format("delta").mode("overwrite").option(
            "replaceWhere", f"{LANDING_DATE} = '{date}'"
        ).saveAsTable(quarantine)
    else:
        out.write.format("delta").partitionBy(LANDING_DATE).saveAsTable(quarantine)
    out.unpersist()
    return count
