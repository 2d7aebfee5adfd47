"""Unity Catalog metadata from the spec: table properties, column comments, PHI column tags.

Comments and properties are plain Delta DDL (they run anywhere); `SET TAGS` is Unity Catalog
syntax, so tags are only set on Databricks.
"""

from __future__ import annotations

import os
import re

from pyspark.sql import SparkSession

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


def metadata_statements(
    spec: TableSpec, table: str, *, unity_catalog: bool, present: set[str] | None = None
) -> list[str]:
    """The DDL that puts the spec's classification, comments and tags on one table.

    `present`: the table's columns when they are not the spec's (a gold aggregate).
    """
    props = table_properties(spec)
    name = _ident(table)
    out = [
        f"ALTER TABLE {name} SET TBLPROPERTIES ("
        + ", ".join(f"{_quote(k)} = {_quote(v)}" for k, v in props.items())
        + ")"
    ]
    if spec.description:
        out.append(f"COMMENT ON TABLE {name} IS {_quote(spec.description)}")
    for c in spec.columns:
        if present is not None and c.name not in present:
            continue
        comment = column_comment(c)
        if comment:
            out.append(f"ALTER TABLE {name} ALTER COLUMN `{c.name}` COMMENT {_quote(comment)}")
        if unity_catalog and c.classification in ("phi", "pii"):
            out.append(
                f"ALTER TABLE {name} ALTER COLUMN `{c.name}` SET TAGS "
                f"({_quote('classification')} = {_quote(c.classification)})"
            )
    if unity_catalog:
        out.append(
            f"ALTER TABLE {name} SET TAGS ({_quote('classification')} = "
            f"{_quote(spec.classification)})"
        )
    return out


def on_databricks() -> bool:
    return "DATABRICKS_RUNTIME_VERSION" in os.environ


def apply_column_metadata(spark: SparkSession, spec: TableSpec, table: str) -> None:
    """Runs the statements whose effect is not there yet (each is a Delta commit)."""
    schema = spark.table(table).schema
    comments = {f.name: f.metadata.get("comment") for f in schema.fields}
    props = {r.key: r.value for r in spark.sql(f"SHOW TBLPROPERTIES {_ident(table)}").collect()}
    wanted_props = table_properties(spec)
    uc = on_databricks()
    for statement in metadata_statements(spec, table, unity_catalog=uc, present=set(comments)):
        if "SET TBLPROPERTIES" in statement and all(
            props.get(k) == v for k, v in wanted_props.items()
        ):
            continue
        if statement.startswith("COMMENT ON TABLE") and props.get("comment") == spec.description:
            continue
        m = re.search(r"ALTER COLUMN `(\w+)` COMMENT", statement)
        if m:
            c = spec.column(m[1])
            if comments.get(c.name) == column_comment(c):
                continue
        spark.sql(statement)
