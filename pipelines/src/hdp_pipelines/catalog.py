"""Unity Catalog metadata from the spec: table properties, column comments, PHI column tags.

Comments and properties are plain Delta DDL (they run anywhere); `SET TAGS` is Unity Catalog
syntax, so tags are only set on Databricks. Every Delta DDL statement is a commit (a JSON file in
`_delta_log`, and a slow step on a small table): tables are created with their comments,
properties and description in the create commit, written from DataFrames that carry the comments,
and `apply_column_metadata` only mends what differs, in as few statements as the engine takes.
"""

from __future__ import annotations

import os

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .spec import Column, TableSpec


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _ident(name: str) -> str:
    return ".".join(f"`{p}`" for p in name.split("."))


def column_comment(c: Column) -> str | None:
    """The comment of a column: its description, marked when it holds PHI."""
    if c.is_phi:
        return f"PHI. {c.description}" if c.description else "PHI."
    return c.description


def table_properties(spec: TableSpec) -> dict[str, str]:
    return {
        "hdp.source": spec.source,
        "hdp.table": spec.table,
        "hdp.classification": spec.classification,
        "hdp.environment": spec.environment,
    }


def _columns_in(spec: TableSpec, present: set[str] | None) -> list[Column]:
    """The spec's columns, only those in `present` if given (a gold aggregate's own columns)."""
    return [c for c in spec.columns if present is None or c.name in present]


def column_comments(spec: TableSpec, present: set[str] | None = None) -> dict[str, str]:
    """Column -> comment for the spec's columns that have one (those in `present`, if given)."""
    out: dict[str, str] = {}
    for c in _columns_in(spec, present):
        comment = column_comment(c)
        if comment:
            out[c.name] = comment
    return out


def properties_statement(table: str, props: dict[str, str], description: str | None) -> str:
    """One `SET TBLPROPERTIES` (one Delta commit): the properties and the table's description.

    Delta keeps `comment` as the table's description, as `COMMENT ON TABLE` would.
    """
    pairs = dict(props)
    if description:
        pairs["comment"] = description
    return (
        f"ALTER TABLE {_ident(table)} SET TBLPROPERTIES ("
        + ", ".join(f"{_quote(k)} = {_quote(v)}" for k, v in pairs.items())
        + ")"
    )


def comment_statements(table: str, comments: dict[str, str], *, together: bool) -> list[str]:
    """The column comments as DDL: one `ALTER COLUMN a COMMENT .., b COMMENT ..` (one Delta
    commit) when `together`, else one statement per column (Spark 3.5 and Databricks Runtime
    15.4 parse one column per `ALTER COLUMN`; Spark 4 takes a list)."""
    if not comments:
        return []
    specs = [f"`{name}` COMMENT {_quote(text)}" for name, text in comments.items()]
    if together:
        return [f"ALTER TABLE {_ident(table)} ALTER COLUMN " + ", ".join(specs)]
    return [f"ALTER TABLE {_ident(table)} ALTER COLUMN {s}" for s in specs]


def metadata_statements(
    spec: TableSpec,
    table: str,
    *,
    unity_catalog: bool,
    present: set[str] | None = None,
    together: bool = True,
) -> list[str]:
    """The DDL that puts the spec's classification, comments and tags on one table.

    `present`: the table's columns when they are not the spec's (a gold aggregate).
    """
    name = _ident(table)
    # One pass over the columns gathers both the comments and the Unity Catalog column tags.
    comments: dict[str, str] = {}
    tags: list[str] = []
    for c in _columns_in(spec, present):
        comment = column_comment(c)
        if comment:
            comments[c.name] = comment
        if unity_catalog and c.classification in ("phi", "pii"):
            tags.append(
                f"ALTER TABLE {name} ALTER COLUMN `{c.name}` SET TAGS "
                f"({_quote('classification')} = {_quote(c.classification)})"
            )
    out = [properties_statement(table, table_properties(spec), spec.description)]
    out += comment_statements(table, comments, together=together)
    out += tags
    if unity_catalog:
        out.append(
            f"ALTER TABLE {name} SET TAGS ({_quote('classification')} = "
            f"{_quote(spec.classification)})"
        )
    return out


def on_databricks() -> bool:
    return "DATABRICKS_RUNTIME_VERSION" in os.environ


def alters_columns_together(spark: SparkSession) -> bool:
    """True when this Spark parses several columns in one `ALTER COLUMN` (Spark 4 and later)."""
    return int(spark.version.split(".")[0]) >= 4


def with_column_comments(df: DataFrame, spec: TableSpec) -> DataFrame:
    """`df` with the spec's column comments in its schema: a table created or overwritten from
    it carries them in that same commit (no `ALTER` afterwards)."""
    comments = column_comments(spec, set(df.columns))
    if not comments:
        return df
    return df.select(
        *(
            F.col(f"`{f.name}`").alias(f.name, metadata={**f.metadata, "comment": comments[f.name]})
            if f.name in comments
            else F.col(f"`{f.name}`")
            for f in df.schema.fields
        )
    )


def create_table(
    spark: SparkSession,
    spec: TableSpec,
    df: DataFrame,
    table: str,
    partition_by: tuple[str, ...] | list[str] | None = None,
    *,
    empty: bool = True,
) -> bool:
    """Creates `table` from `df` (its schema only when `empty`) with the column comments, the
    properties and the description, all in one Delta commit. False, and nothing written, when
    the table exists already.

    `partition_by`: @default the spec's partition columns."""
    if spark.catalog.tableExists(table):
        return False
    writer = with_column_comments(df.limit(0) if empty else df, spec).writeTo(table).using("delta")
    for k, v in table_properties(spec).items():
        writer = writer.tableProperty(k, v)
    if spec.description:
        writer = writer.tableProperty("comment", spec.description)
    partitions = spec.partition_by if partition_by is None else partition_by
    if partitions:
        writer = writer.partitionedBy(*(F.col(c) for c in partitions))
    writer.create()
    return True


def apply_column_metadata(spark: SparkSession, spec: TableSpec, table: str) -> None:
    """Puts on `table` what of the spec's metadata is not there yet: at most one commit for the
    properties and description, one for the column comments (Spark 4), and the UC tags on
    Databricks."""
    schema = spark.table(table).schema
    comments = {f.name: f.metadata.get("comment") for f in schema.fields}
    detail = spark.sql(f"DESCRIBE DETAIL {_ident(table)}").collect()[0]
    props = dict(detail["properties"] or {})
    if any(props.get(k) != v for k, v in table_properties(spec).items()) or (
        spec.description or None
    ) != (detail["description"] or None):
        spark.sql(properties_statement(table, table_properties(spec), spec.description))
    missing = {
        name: text
        for name, text in column_comments(spec, set(comments)).items()
        if comments.get(name) != text
    }
    for statement in comment_statements(table, missing, together=alters_columns_together(spark)):
        spark.sql(statement)
    if on_databricks():
        for statement in metadata_statements(
            spec, table, unity_catalog=True, present=set(comments)
        ):
            if "SET TAGS" in statement:
                spark.sql(statement)
