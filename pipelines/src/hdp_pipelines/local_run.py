"""A source's pipeline on this machine: every task of its DAGs, in their order, in one local Spark.

    python -m hdp_pipelines.local_run --plan PLAN.json

`hdp local run` writes the plan (the source's table specs as the platform renders them, pointed
at a local landing folder and at `spark_catalog`, and the DAGs' task order) and starts this with
the repository's venv. One SparkSession (local[2], Delta Lake) runs every task: for each day, each
DAG in order (a DAG whose upstream DAG failed that day does not run, as its Airflow asset would
not be updated), each table after the tables it waits for, bronze -> silver -> gold, through the
same `run_bronze` / `run_silver` / `run_gold` the Databricks tasks run. A failed task skips the
table's later layers and the tables waiting for it; the others go on.

Writes the summary JSON the plan names (rows per layer and table read back from the Delta tables,
quarantined rows with their reasons, timings) and prints one progress line per task, prefixed
`hdp-local: `. Exit 0 when every task succeeded, 1 when one failed or was skipped, 2 for a bad
plan or spec (before any Spark work).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hdp_pipelines.spec import SpecError, TableSpec, load_spec

PLAN_VERSION = 1
LAYERS = ("bronze", "silver", "gold")
PROGRESS = "hdp-local: "


class PlanError(Exception):
    """A plan that cannot run; every problem listed."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        super().__init__("\n".join(f"{origin}: {p}" for p in problems))


@dataclass(frozen=True)
class PlanTable:
    table: str
    layers: tuple[str, ...]
    after: tuple[str, ...]
    spec: TableSpec


@dataclass(frozen=True)
class PlanDag:
    dag_id: str
    pipeline: str
    upstream: tuple[str, ...]
    tables: tuple[PlanTable, ...]


@dataclass(frozen=True)
class Plan:
    source: str
    environment: str
    warehouse: str
    summary: str
    dates: tuple[str, ...]
    dags: tuple[PlanDag, ...]


@dataclass
class TaskResult:
    date: str
    dag: str
    table: str
    layer: str
    status: str  # "ok" | "failed" | "skipped"
    seconds: float = 0.0
    detail: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "date": self.date,
            "dag": self.dag,
            "table": self.table,
            "layer": self.layer,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            **self.detail,
        }
        if self.error is not None:
            out["error"] = self.error
        return out


def _strs(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def load_plan(path: str | Path) -> Plan:
    """The plan and every spec it names, checked; all problems reported together."""
    origin = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise PlanError(origin, [f"cannot read the plan: {e}"]) from None
    problems: list[str] = []
    if not isinstance(data, dict):
        raise PlanError(origin, ["the plan must be a JSON object"])
    if data.get("planVersion") != PLAN_VERSION:
        problems.append(f"planVersion: must be {PLAN_VERSION} (got {data.get('planVersion')!r})")
    for key in ("source", "environment", "warehouse", "summary"):
        if not isinstance(data.get(key), str) or not data.get(key):
            problems.append(f"{key}: must be a non-empty string")
    dates = _strs(data.get("dates")) or ()
    if not dates or not all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates):
        problems.append("dates: must be a non-empty list of YYYY-MM-DD")
    dags: list[PlanDag] = []
    raw_dags = data.get("dags")
    if not isinstance(raw_dags, list) or not raw_dags:
        problems.append("dags: must be a non-empty list")
        raw_dags = []
    for i, d in enumerate(raw_dags):
        where = f"dags[{i}]"
        if not isinstance(d, dict) or not isinstance(d.get("dagId"), str):
            problems.append(f"{where}: must be an object with a dagId")
            continue
        tables: list[PlanTable] = []
        for j, t in enumerate(d.get("tables") or []):
            at = f"{where}.tables[{j}]"
            layers, after = _strs(t.get("layers")), _strs(t.get("after"))
            if layers is None or not layers or not set(layers) <= set(LAYERS):
                problems.append(f"{at}.layers: must list some of {', '.join(LAYERS)}")
                continue
            if after is None or not isinstance(t.get("spec"), str):
                problems.append(f"{at}: needs after (a list) and spec (a path)")
                continue
            try:
                spec = load_spec(t["spec"])
            except SpecError as e:
                problems.append(str(e))
                continue
            missing = [layer for layer in layers if layer not in spec.layers]
            if missing:
                problems.append(f"{at}: the spec does not reach {', '.join(missing)}")
            tables.append(PlanTable(spec.table, layers, after, spec))
        if not tables:
            problems.append(f"{where}.tables: must be a non-empty list")
        dags.append(
            PlanDag(
                d["dagId"],
                str(d.get("pipeline", "")),
                _strs(d.get("upstream")) or (),
                tuple(tables),
            )
        )
    if problems:
        raise PlanError(origin, problems)
    return Plan(
        data["source"],
        data["environment"],
        data["warehouse"],
        data["summary"],
        dates,
        tuple(dags),
    )


def local_session(warehouse: str) -> Any:
    """One local SparkSession with Delta Lake (jars from Maven Central, cached by Ivy)."""
    from delta import configure_spark_with_delta_pip
    from pyspark.sql import SparkSession

    os.environ["TZ"] = "UTC"
    time.tzset()
    # Python workers run this interpreter (it imports hdp_pipelines), not whatever python3 is.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    scratch = Path(warehouse).parent / ".spark"
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("hdp-local-run")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.warehouse.dir", warehouse)
        .config("spark.local.dir", str(scratch / "tmp"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={scratch / 'derby'}")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "2")
        # Tables of a few hundred rows: compiling each query's generated code costs more than
        # running it interpreted, and adaptive re-planning only adds stages.
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config(
            "spark.sql.catalog.spark_catalog",
            "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        )
    )
    session = configure_spark_with_delta_pip(builder).getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _schemas(plan: Plan) -> list[str]:
    names = set()
    for dag in plan.dags:
        for t in dag.tables:
            n = t.spec.names
            for name in (n.bronze, n.silver, n.gold, n.quarantine):
                if name is not None:
                    names.add(name.rsplit(".", 1)[0])
    return sorted(names)


def _detail(result: object) -> dict[str, Any]:
    """The numbers a layer's result carries (BronzeResult, SilverResult, GoldResult)."""
    keep = ("rows", "files", "rows_in", "accepted", "quarantined", "deleted_keys")
    camel = {"rows_in": "rowsIn", "deleted_keys": "deletedKeys"}
    return {camel.get(k, k): getattr(result, k) for k in keep if hasattr(result, k)}


def _progress(line: str) -> None:
    print(f"{PROGRESS}{line}", flush=True)


def run_tasks(spark: Any, plan: Plan) -> list[TaskResult]:
    """Every task of every day in the DAGs' order; a failure skips what waits for it."""
    from hdp_pipelines.entry import run_layer

    results: list[TaskResult] = []
    for date in plan.dates:
        dag_failed: dict[str, bool] = {}
        for dag in plan.dags:
            blocked = [u for u in dag.upstream if dag_failed.get(u, False)]
            failed_tables: set[str] = set()
            for t in dag.tables:
                waits = [a for a in t.after if a in failed_tables]
                reason = (
                    f"upstream DAG {', '.join(blocked)} did not succeed"
                    if blocked
                    else f"waits for {', '.join(waits)}, which did not succeed"
                    if waits
                    else None
                )
                for layer in t.layers:
                    if reason is not None:
                        results.append(
                            TaskResult(date, dag.dag_id, t.table, layer, "skipped", error=reason)
                        )
                        _progress(f"{date} {t.spec.key} {layer}: skipped ({reason})")
                        continue
                    started = time.monotonic()
                    try:
                        outcome = run_layer(spark, t.spec, layer, date)
                    except Exception as e:  # one task's failure must not hide the others
                        traceback.print_exc()
                        message = str(e).strip().splitlines()[0] if str(e).strip() else repr(e)
                        results.append(
                            TaskResult(
                                date,
                                dag.dag_id,
                                t.table,
                                layer,
                                "failed",
                                time.monotonic() - started,
                                error=message[:500],
                            )
                        )
                        _progress(f"{date} {t.spec.key} {layer}: FAILED: {message[:200]}")
                        reason = f"{layer} failed"
                        failed_tables.add(t.table)
                        continue
                    r = TaskResult(
                        date,
                        dag.dag_id,
                        t.table,
                        layer,
                        "ok",
                        time.monotonic() - started,
                        _detail(outcome),
                    )
                    results.append(r)
                    _progress(f"{date} {t.spec.key} {layer}: ok in {r.seconds:.1f} s")
                if reason is not None:
                    failed_tables.add(t.table)
            dag_failed[dag.dag_id] = bool(blocked) or bool(failed_tables)
    return results


# `<column>: <value> is not a <type>` / `... overflows <type>`: the value is left out, so rows
# failing the same way count together (and no value is repeated in the summary).
_VALUE_REASON = re.compile(r"^(?P<col>[^:]+): .*? (?P<what>is not a |overflows )(?P<type>\S+)$")


def reason_kind(reason: str) -> str:
    """A quarantine reason without the offending value."""
    m = _VALUE_REASON.match(reason)
    if m:
        return f"{m['col']}: {m['what'].strip()} {m['type']}"
    if reason.startswith("unparseable "):
        return reason.split(":", 1)[0]
    return reason


def _count(spark: Any, name: str | None) -> int | None:
    if name is None or not spark.catalog.tableExists(name):
        return None
    return int(spark.table(name).count())


def _location(spark: Any, name: str | None) -> str | None:
    if name is None or not spark.catalog.tableExists(name):
        return None
    return str(spark.sql(f"DESCRIBE DETAIL {name}").first()["location"])


def table_summaries(spark: Any, plan: Plan) -> list[dict[str, Any]]:
    """Rows per layer, read back from the Delta tables, and the quarantine's reasons."""
    from pyspark.sql import functions as F

    out = []
    seen: set[str] = set()
    for dag in plan.dags:
        for t in dag.tables:
            if t.spec.key in seen:
                continue
            seen.add(t.spec.key)
            n = t.spec.names
            layers = {
                layer: {
                    "table": name,
                    "rows": _count(spark, name),
                    "location": _location(spark, name),
                }
                for layer, name in (
                    ("bronze", n.bronze),
                    ("silver", n.silver),
                    ("gold", n.gold),
                    ("quarantine", n.quarantine),
                )
                if name is not None
            }
            reasons: dict[str, int] = {}
            if layers.get("quarantine", {}).get("rows"):
                rows = (
                    spark.table(n.quarantine)
                    .select(F.explode("_reasons").alias("reason"))
                    .groupBy("reason")
                    .count()
                    .collect()
                )
                for r in rows:
                    kind = reason_kind(r["reason"])
                    reasons[kind] = reasons.get(kind, 0) + int(r["count"])
            out.append(
                {
                    "key": t.spec.key,
                    "table": t.table,
                    "dag": dag.dag_id,
                    "load": t.spec.load.mode,
                    "format": t.spec.landing.format,
                    "layers": layers,
                    "quarantineReasons": dict(
                        sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
                    ),
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m hdp_pipelines.local_run", description=__doc__)
    p.add_argument("--plan", required=True, help="the plan JSON hdp local run writes")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        plan = load_plan(args.plan)
    except PlanError as e:
        print(e, file=sys.stderr)
        return 2
    started = time.monotonic()
    _progress("starting Spark (local[2], Delta Lake)")
    spark = local_session(plan.warehouse)
    spark_start = time.monotonic() - started
    try:
        for schema in _schemas(plan):
            spark.sql(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        tasks_started = time.monotonic()
        results = run_tasks(spark, plan)
        tasks_seconds = time.monotonic() - tasks_started
        tables = table_summaries(spark, plan)
    finally:
        spark.stop()
    by_layer: dict[str, float] = {layer: 0.0 for layer in LAYERS}
    for r in results:
        by_layer[r.layer] += r.seconds
    ok = all(r.status == "ok" for r in results)
    summary = {
        "planVersion": PLAN_VERSION,
        "source": plan.source,
        "environment": plan.environment,
        "dates": list(plan.dates),
        "ok": ok,
        "tasks": [r.as_json() for r in results],
        "tables": tables,
        "timings": {
            "sparkStartSeconds": round(spark_start, 3),
            "tasksSeconds": round(tasks_seconds, 3),
            "layerSeconds": {k: round(v, 3) for k, v in by_layer.items()},
            "totalSeconds": round(time.monotonic() - started, 3),
        },
    }
    Path(plan.summary).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    _progress(f"summary: {plan.summary}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
