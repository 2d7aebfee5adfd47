"""Entry point of every ingest task (a Databricks `spark_python_task` on workspace files).

    python hdp_pipelines/entry.py --layer {bronze,silver,gold} --spec SPEC.json [--spec ...] \
        --date YYYY-MM-DD

The file is run as a script from the deployed copy of `src/` (workspace files, no install), so it
puts its package root (the directory holding `hdp_pipelines/`) on `sys.path` itself. Each
`--spec` is one table's JSON spec; tables run in the order given; every table runs even when an
earlier one fails, and the exit code is 1 when any failed (2 for bad arguments or specs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback
from pathlib import Path

if __package__ in (None, ""):
    # Run as a file: make `import hdp_pipelines` resolve to the copy this file belongs to.
    _root = str(Path(__file__).resolve().parent.parent)
    if _root not in sys.path:
        sys.path.insert(0, _root)

from hdp_pipelines.spec import SpecError, TableSpec, load_spec

LAYERS = ("bronze", "silver", "gold")


def parse_date(value: str) -> str:
    """A landing day, strictly `YYYY-MM-DD` (it becomes part of paths and predicates)."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{value}" is not a date YYYY-MM-DD') from None
    if len(value) != 10 or day.isoformat() != value:
        raise argparse.ArgumentTypeError(f'"{value}" is not a date YYYY-MM-DD')
    return value


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="hdp_pipelines/entry.py", description=__doc__.split("\n")[0])
    p.add_argument("--layer", required=True, choices=LAYERS)
    p.add_argument("--spec", required=True, action="append", help="table spec JSON (repeatable)")
    p.add_argument("--date", required=True, type=parse_date, help="landing day YYYY-MM-DD")
    return p.parse_args(argv)


def load_specs(paths: list[str], layer: str) -> list[TableSpec]:
    """Every spec, checked before any Spark work; all problems reported together."""
    specs, problems = [], []
    for path in paths:
        try:
            spec = load_spec(path)
        except SpecError as e:
            problems.append(str(e))
            continue
        if layer not in spec.layers:
            problems.append(f"{path}: layers: the table does not reach {layer}")
        specs.append(spec)
    if problems:
        raise SpecError("specs", problems)
    return specs


def run_layer(spark, spec: TableSpec, layer: str, date: str) -> object:
    if layer == "bronze":
        from hdp_pipelines.bronze import run_bronze

        return run_bronze(spark, spec, date)
    if layer == "silver":
        from hdp_pipelines.silver import run_silver

        return run_silver(spark, spec, date)
    from hdp_pipelines.gold import run_gold

    return run_gold(spark, spec, date)


def ship_package(spark) -> None:
    """Makes `hdp_pipelines` importable on the executors (raw parsers run there).

    The job runs from workspace files, not an installed wheel: zip this copy and add it to the
    Spark context, unless the executors can import it already (installed, as in local tests).
    """
    import importlib.util
    import tempfile
    import zipfile

    package = Path(__file__).resolve().parent
    spec = importlib.util.find_spec("hdp_pipelines")
    if spec is not None and spec.origin and "site-packages" in spec.origin:
        return
    archive = Path(tempfile.mkdtemp(prefix="hdp-pipelines-")) / "hdp_pipelines.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in sorted(package.glob("*.py")):
            z.write(f, f"hdp_pipelines/{f.name}")
    spark.sparkContext.addPyFile(str(archive))


def main(argv: list[str] | None = None, spark=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        specs = load_specs(args.spec, args.layer)
    except SpecError as e:
        print(e, file=sys.stderr)
        return 2
    if spark is None:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.getOrCreate()
        ship_package(spark)
    failed = []
    for spec in specs:
        try:
            run_layer(spark, spec, args.layer, args.date)
        except Exception:  # one table's failure must not hide the others' results
            traceback.print_exc()
            failed.append(spec.key)
    if failed:
        print(f"{args.layer} {args.date}: failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
