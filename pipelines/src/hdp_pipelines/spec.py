"""The per-table spec the platform renders from config (JSON, never YAML): typed, frozen, checked.

`load_spec(path)` reads one spec file; `parse_spec(data)` builds the `TableSpec` from the decoded
JSON and reports every problem at once (`SpecError`), naming the file and the field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .raw import RAW_TABLES

SPEC_VERSION = 1
LANDING_FORMATS = ("csv", "ndjson", "parquet")
# Every format a raw reader of `raw.py` takes (raw_tables.json lists them).
RAW_FORMATS = tuple(RAW_TABLES)
LOAD_MODES = ("full", "incremental", "cdc")
LAYERS = ("landing", "bronze", "silver", "gold")
CLASSIFICATIONS = ("public", "internal", "confidential", "pii", "phi")
AGGREGATES = ("count", "sum", "min", "max", "avg", "count_distinct")

_SIMPLE_TYPES = (
    "string|int|bigint|smallint|tinyint|boolean|float|double|date|timestamp|timestamp_ntz|binary"
)
_TYPE = re.compile(
    rf"^(?:{_SIMPLE_TYPES}|decimal\((?P<p>\d{{1,2}}),(?P<s>\d{{1,2}})\)|array<(?:{_SIMPLE_TYPES})>)$"
)
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
_UC_PART = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SpecError(ValueError):
    """Every problem of one spec file, one per line: `<file>: <field>: <message>`."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        self.origin = origin
        self.problems = problems
        super().__init__("\n".join(f"{origin}: {p}" for p in problems))


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    classification: str
    description: str | None

    @property
    def is_phi(self) -> bool:
        return self.classification == "phi"


@dataclass(frozen=True)
class DeleteMarker:
    """CDC rows whose `column` holds one of `values` delete the key."""

    column: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Load:
    mode: str
    keys: tuple[str, ...]
    order_by: str | None
    delete: DeleteMarker | None


@dataclass(frozen=True)
class Landing:
    format: str
    path: str

    @property
    def is_raw(self) -> bool:
        return self.format in RAW_FORMATS

    def partition(self, date: str) -> str:
        """The landing partition of one day: `<path>dt=YYYY-MM-DD/`."""
        return f"{self.path.rstrip('/')}/dt={date}/"


@dataclass(frozen=True)
class Measure:
    name: str
    function: str
    column: str | None


@dataclass(frozen=True)
class Gold:
    """Pass-through (no group_by, no measures) or aggregates of silver."""

    group_by: tuple[str, ...]
    measures: tuple[Measure, ...]

    @property
    def is_passthrough(self) -> bool:
        return not self.measures


@dataclass(frozen=True)
class TableNames:
    """Unity Catalog three-level names, one per layer the table reaches, and its quarantine."""

    bronze: str | None
    silver: str | None
    gold: str | None
    quarantine: str | None


@dataclass(frozen=True)
class TableSpec:
    environment: str
    source: str
    table: str
    description: str
    classification: str
    columns: tuple[Column, ...]
    load: Load
    partition_by: tuple[str, ...]
    layers: tuple[str, ...]
    landing: Landing
    names: TableNames
    gold: Gold | None
    origin: str

    @property
    def key(self) -> str:
        return f"{self.source}/{self.table}"

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def decimal_precision_scale(type_name: str) -> tuple[int, int] | None:
    """(precision, scale) of `decimal(p,s)`, else None."""
    m = _TYPE.match(type_name)
    if m and m.group("p") is not None:
        return int(m.group("p")), int(m.group("s"))
    return None


def load_spec(path: str | Path) -> TableSpec:
    """Reads and checks one spec file."""
    origin = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise SpecError(origin, [f"cannot read: {e.strerror or e}"]) from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise SpecError(origin, [f"line {e.lineno} col {e.colno}: invalid JSON: {e.msg}"]) from e
    return parse_spec(data, origin)


class _Reader:
    """Reads fields of the decoded JSON, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, field: str, message: str) -> None:
        self.problems.append(f"{field}: {message}")

    def obj(self, value: Any, field: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(field, "must be an object")
            return {}
        return value

    def str(self, d: dict[str, Any], key: str, field: str, *, optional: bool = False) -> Any:
        v = d.get(key)
        if v is None and optional:
            return None
        if not isinstance(v, str) or not v:
            self.fail(f"{field}.{key}" if field else key, "must be a non-empty string")
            return ""
        return v

    def one_of(self, d: dict[str, Any], key: str, field: str, allowed: tuple[str, ...]) -> str:
        v = self.str(d, key, field)
        if v and v not in allowed:
            self.fail(f"{field}.{key}" if field else key, f"must be one of {', '.join(allowed)}")
        return v

    def strs(self, d: dict[str, Any], key: str, field: str) -> tuple[str, ...]:
        v = d.get(key, [])
        name = f"{field}.{key}" if field else key
        if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
            self.fail(name, "must be a list of non-empty strings")
            return ()
        return tuple(v)


def parse_spec(data: Any, origin: str = "<spec>") -> TableSpec:
    """Builds the spec from decoded JSON; raises SpecError listing every problem."""
    r = _Reader()
    d = r.obj(data, "(root)")
    if d.get("specVersion") != SPEC_VERSION:
        r.fail(
            "specVersion", f"must be {SPEC_VERSION} (this code reads spec version {SPEC_VERSION})"
        )
    environment = r.str(d, "environment", "")
    source = r.str(d, "source", "")
    table = r.str(d, "table", "")
    description = d.get("description") if isinstance(d.get("description"), str) else ""
    classification = r.one_of(d, "classification", "", CLASSIFICATIONS)

    columns: list[Column] = []
    raw_columns = d.get("columns")
    if not isinstance(raw_columns, list) or not raw_columns:
        r.fail("columns", "must be a non-empty list")
        raw_columns = []
    for i, c in enumerate(raw_columns):
        f = f"columns[{i}]"
        c = r.obj(c, f)
        name = r.str(c, "name", f)
        if name and not _IDENT.match(name):
            r.fail(f"{f}.name", "must be snake_case")
        type_name = r.str(c, "type", f)
        if type_name and not _TYPE.match(type_name):
            r.fail(f"{f}.type", f'"{type_name}" is not a supported Spark SQL type')
        ps = decimal_precision_scale(type_name) if type_name else None
        if ps and not (1 <= ps[0] <= 38 and 0 <= ps[1] <= ps[0]):
            r.fail(f"{f}.type", f'"{type_name}": precision 1-38 and scale 0-precision')
        nullable = c.get("nullable")
        if not isinstance(nullable, bool):
            r.fail(f"{f}.nullable", "must be true or false")
            nullable = True
        columns.append(
            Column(
                name=name,
                type=type_name,
                nullable=nullable,
                classification=r.one_of(c, "classification", f, CLASSIFICATIONS),
                description=c.get("description") if isinstance(c.get("description"), str) else None,
            )
        )
    names = [c.name for c in columns]
    seen: set[str] = set()
    for n in names:
        if n in seen:
            r.fail("columns", f'column "{n}" is declared twice')
        seen.add(n)

    def known(field: str, col: str | None) -> None:
        if col and columns and col not in names:
            r.fail(field, f'"{col}" is not a column of the table')

    ld = r.obj(d.get("load"), "load")
    mode = r.one_of(ld, "mode", "load", LOAD_MODES)
    keys = r.strs(ld, "keys", "load")
    for i, k in enumerate(keys):
        known(f"load.keys[{i}]", k)
    if mode == "cdc" and not keys:
        r.fail("load.keys", "a cdc table needs its key columns")
    order_by = r.str(ld, "orderBy", "load", optional=True)
    known("load.orderBy", order_by)
    if mode == "incremental" and not order_by:
        r.fail("load.orderBy", "an incremental table needs its ordering (watermark) column")
    delete = None
    if ld.get("delete") is not None:
        dm = r.obj(ld.get("delete"), "load.delete")
        col = r.str(dm, "column", "load.delete")
        known("load.delete.column", col)
        values = r.strs(dm, "values", "load.delete")
        if not values:
            r.fail("load.delete.values", "must list at least one value")
        if mode != "cdc":
            r.fail("load.delete", "only cdc feeds mark deletes")
        delete = DeleteMarker(col, values)

    partition_by = r.strs(d, "partitionBy", "")
    for i, p in enumerate(partition_by):
        known(f"partitionBy[{i}]", p)
    layers = r.strs(d, "layers", "")
    for i, layer in enumerate(layers):
        if layer not in LAYERS:
            r.fail(f"layers[{i}]", f"must be one of {', '.join(LAYERS)}")

    la = r.obj(d.get("landing"), "landing")
    landing = Landing(
        format=r.one_of(la, "format", "landing", LANDING_FORMATS + RAW_FORMATS),
        path=r.str(la, "path", "landing"),
    )

    tn = r.obj(d.get("tables"), "tables")
    uc: dict[str, str | None] = {}
    for layer in ("bronze", "silver", "gold", "quarantine"):
        needed = layer in layers if layer != "quarantine" else "silver" in layers
        value = tn.get(layer)
        if value is None:
            if needed:
                r.fail(f"tables.{layer}", "missing: the table reaches this layer")
            uc[layer] = None
            continue
        parts = value.split(".") if isinstance(value, str) else []
        if len(parts) != 3 or not all(_UC_PART.match(p) for p in parts):
            r.fail(f"tables.{layer}", "must be a three-level name catalog.schema.table")
        uc[layer] = value
    table_names = TableNames(uc["bronze"], uc["silver"], uc["gold"], uc["quarantine"])

    gold = None
    if d.get("gold") is not None:
        g = r.obj(d.get("gold"), "gold")
        group_by = r.strs(g, "groupBy", "gold")
        for i, col in enumerate(group_by):
            known(f"gold.groupBy[{i}]", col)
        measures = []
        raw_measures = g.get("measures", [])
        if not isinstance(raw_measures, list):
            r.fail("gold.measures", "must be a list")
            raw_measures = []
        for i, m in enumerate(raw_measures):
            f = f"gold.measures[{i}]"
            m = r.obj(m, f)
            fn = r.one_of(m, "function", f, AGGREGATES)
            col = r.str(m, "column", f, optional=fn == "count")
            known(f"{f}.column", col)
            measures.append(Measure(r.str(m, "name", f), fn, col))
        if group_by and not measures:
            r.fail("gold.measures", "grouping needs at least one measure")
        gold = Gold(group_by, tuple(measures))
    elif "gold" in layers:
        gold = Gold((), ())

    if r.problems:
        raise SpecError(origin, r.problems)
    return TableSpec(
        environment=environment,
        source=source,
        table=table,
        description=description,
        classification=classification,
        columns=tuple(columns),
        load=Load(mode, keys, order_by, delete),
        partition_by=partition_by,
        layers=layers,
        landing=landing,
        names=table_names,
        gold=gold,
        origin=origin,
    )
