"""Cross-language: the platform (TypeScript) renders every table spec of the sample estate for
every environment; the Python spec loader must accept each one."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from hdp_pipelines.raw import RAW_TABLES
from hdp_pipelines.spec import RAW_FORMATS, load_spec

ROOT = Path(__file__).resolve().parents[2]
# Tables of raw-format sources that no parser produces yet (their bronze step says so).
UNPARSED_RAW_TABLES = {
    "sequencer-runs/run_qc_metrics",
    "sequencer-runs/sequencing_runs",
    "sunquest-lab/micro_cultures",
    "sunquest-lab/micro_susceptibilities",
    "variant-calls/pgx_diplotypes",
    "variant-calls/sample_qc",
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("specs")
    tsx = ROOT / "node_modules" / ".bin" / "tsx"
    script = ROOT / "packages" / "platform" / "scripts" / "render-table-specs.ts"
    r = subprocess.run(
        [
            str(tsx),
            "--conditions=@hdp/source",
            str(script),
            "--configs",
            "configs",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    return out


def test_every_rendered_spec_of_every_environment_loads(rendered):
    envs = sorted(p.name for p in rendered.iterdir())
    assert envs == ["dev", "prod", "stage"]
    unparsed: set[str] = set()
    for env in envs:
        files = sorted((rendered / env).rglob("*.json"))
        assert len(files) > 50, env
        for f in files:
            spec = load_spec(f)  # raises SpecError listing every problem
            assert spec.environment == env
            assert f.relative_to(rendered / env).as_posix() == f"specs/{spec.key}.json"
            assert spec.names.bronze is not None
            assert spec.names.bronze.split(".")[0] == f"shs_{env}"
            fmt = spec.landing.format
            if fmt in RAW_FORMATS and spec.table not in RAW_TABLES[fmt]:
                unparsed.add(spec.key)
    assert unparsed == UNPARSED_RAW_TABLES


def test_specs_carry_the_ingest_fields(rendered):
    lab = load_spec(rendered / "prod" / "specs" / "sunquest-lab" / "lab_results.json")
    assert lab.load.mode == "cdc"
    assert lab.load.order_by == "message_time"
    assert lab.landing.format == "hl7"
    assert lab.gold is not None
    assert lab.gold.is_passthrough
    assert lab.column("numeric_value").type == "decimal(18,6)"
    pyxis = load_spec(
        rendered / "dev" / "specs" / "pyxis-medstation" / "dispense_transactions.json"
    )
    assert pyxis.load.keys == ("transaction_id",)
    assert [m.function for m in pyxis.gold.measures] == ["count", "sum", "count_distinct"]
    raw = json.loads(
        (rendered / "dev" / "specs" / "pyxis-medstation" / "dispense_transactions.json").read_text()
    )
    assert raw["generatedFrom"][1] == "sources/pyxis-medstation/tables/dispense_transactions.yaml"


def test_a_sample_cdc_table_declares_its_delete_marker(rendered):
    spec = load_spec(rendered / "prod" / "specs" / "pyxis-medstation" / "discrepancies.json")
    assert spec.load.mode == "cdc"
    assert spec.load.delete is not None
    assert (spec.load.delete.column, spec.load.delete.values) == ("cdc_operation", ("1",))
    assert spec.column("cdc_operation").type == "string"


def test_the_rendered_cdc_spec_deletes_keys_in_spark(rendered, spark, tmp_path):
    """The sample estate's own spec (configs/ -> platform -> JSON), pointed at a local landing
    folder and spark_catalog: day 1 inserts, day 2 updates one key and deletes another."""
    from pyspark.sql import functions as F

    from hdp_pipelines.bronze import run_bronze
    from hdp_pipelines.silver import run_silver
    from hdp_pipelines.spec import parse_spec

    data = json.loads(
        (rendered / "dev" / "specs" / "pyxis-medstation" / "discrepancies.json").read_text()
    )
    landing = tmp_path / "landing"
    data["landing"]["path"] = f"{landing}/"
    data["tables"] = {
        layer: f"spark_catalog.rendered_pyxis_{layer}.discrepancies"
        for layer in ("bronze", "silver")
    } | {"quarantine": "spark_catalog.rendered_pyxis_silver.discrepancies__quarantine"}
    data["layers"] = ["landing", "bronze", "silver"]
    data["gold"] = None
    spec = parse_spec(data)
    assert data["landing"]["format"] == "parquet"
    for layer in ("bronze", "silver"):
        spark.sql(f"CREATE DATABASE IF NOT EXISTS spark_catalog.rendered_pyxis_{layer}")
    columns = [c.name for c in spec.columns]
    assert "cdc_operation" in columns

    def day(date: str, rows: list[dict[str, str | None]]) -> None:
        full = [{c: r.get(c) for c in columns} for r in rows]
        schema = ", ".join(f"`{c}` STRING" for c in columns)
        spark.createDataFrame([tuple(r.values()) for r in full], schema).coalesce(1).write.parquet(
            str(landing / f"dt={date}")
        )

    base = {"station_id": "S1", "medication_id": "M1", "expected_count": "2.000"}
    day(
        "2026-03-01",
        [
            {**base, "discrepancy_id": str(k), "discovered_at": "2026-03-01T08:00:00Z"}
            | {"cdc_operation": "2"}
            for k in (1, 2, 3)
        ],
    )
    day(
        "2026-03-02",
        [
            {**base, "discrepancy_id": "2", "cdc_operation": "1"}
            | {"discovered_at": "2026-03-02T08:00:00Z"},
            {**base, "discrepancy_id": "3", "cdc_operation": "4", "resolution_reason": "recount"}
            | {"discovered_at": "2026-03-02T08:00:00Z"},
        ],
    )
    for date in ("2026-03-01", "2026-03-02"):
        run_bronze(spark, spec, date)
        result = run_silver(spark, spec, date)
    assert result.deleted_keys == 1
    silver = spark.table(spec.names.silver).orderBy("discrepancy_id")
    got = [(r.discrepancy_id, r.resolution_reason) for r in silver.collect()]
    assert got == [(1, None), (3, "recount")]
    assert spark.table(spec.names.quarantine).where(F.lit(True)).count() == 0
