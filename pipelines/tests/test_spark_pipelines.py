"""End to end on real Spark + Delta (local[2]): landing files -> bronze -> silver -> gold.

One table per load mode (cdc, incremental, full) and per landing format (csv, ndjson, parquet,
plus a raw HL7 feed), a rerun, a late CDC update and delete, a schema violation and a decimal
overflow. Assertions on the Delta tables' rows and history.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from chispa import assert_df_equality
from delta.tables import DeltaTable
from pyspark.sql import functions as F

from hdp_pipelines.bronze import run_bronze
from hdp_pipelines.entry import main as entry_main
from hdp_pipelines.gold import run_gold
from hdp_pipelines.silver import run_silver
from hdp_pipelines.spec import parse_spec

from .helpers import spec_dict

SAMPLES = Path(__file__).parent / "samples"
UTC = dt.UTC


@pytest.fixture(scope="module", autouse=True)
def schemas(spark):
    for layer in ("bronze", "silver", "gold"):
        spark.sql(f"CREATE DATABASE IF NOT EXISTS spark_catalog.test_source_{layer}")


def land(root: Path, table: str, date: str, name: str, content: str | bytes) -> str:
    """Writes one landing file; returns the table's landing prefix."""
    part = root / "landing" / "test-source" / table / f"dt={date}"
    part.mkdir(parents=True, exist_ok=True)
    data = content.encode() if isinstance(content, str) else content
    (part / name).write_bytes(data)
    return f"{root / 'landing' / 'test-source' / table}/"


METADATA_OPERATIONS = {"SET TBLPROPERTIES", "CHANGE COLUMN", "CHANGE COLUMNS"}


def operations(spark, table: str) -> list[str]:
    """Delta history operations that wrote data, oldest first (comments and properties left out)."""
    rows = DeltaTable.forName(spark, table).history().orderBy("version").collect()
    return [r.operation for r in rows if r.operation not in METADATA_OPERATIONS]


def history(spark, table: str) -> list[str]:
    """Every Delta commit of `table`, oldest first (one entry per `_delta_log` JSON file)."""
    rows = DeltaTable.forName(spark, table).history().orderBy("version").collect()
    assert [r.version for r in rows] == list(range(len(rows)))
    return [r.operation for r in rows]


def described(spark, table: str) -> dict[str, str | None]:
    return {f.name: f.metadata.get("comment") for f in spark.table(table).schema.fields}


def ts(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s).astimezone(UTC).replace(tzinfo=None)


# ---------------------------------------------------------------------------- csv, cdc, quarantine

ENCOUNTER_COLUMNS = [
    {"name": "encounter_id", "type": "bigint", "nullable": False},
    {"name": "mrn", "type": "string", "classification": "phi", "description": "Patient MRN"},
    {"name": "charge", "type": "decimal(10,2)"},
    {"name": "op", "type": "string"},
    {"name": "changed_at", "type": "timestamp", "nullable": False},
]
ENCOUNTER_CDC = {
    "mode": "cdc",
    "keys": ["encounter_id"],
    "orderBy": "changed_at",
    "delete": {"column": "op", "values": ["D"]},
}
DAY1_CSV = """encounter_id,mrn,charge,op,changed_at
1,MRN1,100.50,I,2026-03-01T08:00:00Z
2,MRN2,20.00,I,2026-03-01T08:00:00Z
3,MRN3,30.00,I,2026-03-01T08:00:00Z
3,MRN3,31.00,U,2026-03-01T09:00:00Z
4,MRN4,123456789.99,I,2026-03-01T08:00:00Z
5,MRN5,5.00,I,not-a-time
,MRN6,6.00,I,2026-03-01T08:00:00Z
"""
# Day 2: a newer update of 1, a delete of 2, a late (older) update of 3 that must lose, a new 7.
DAY2_CSV = """encounter_id,mrn,charge,op,changed_at
1,MRN1,150.75,U,2026-03-02T08:00:00Z
2,,,D,2026-03-02T08:00:00Z
3,MRN3,1.00,U,2026-03-01T07:00:00Z
7,MRN7,70.00,I,2026-03-02T08:00:00Z
"""
SILVER_COLUMNS = ["encounter_id", "mrn", "charge", "op", "changed_at"]


def encounter_rows(spark, table: str):
    return spark.table(table).select(*SILVER_COLUMNS).orderBy("encounter_id")


def expected(spark, rows):
    schema = (
        "encounter_id BIGINT, mrn STRING, charge DECIMAL(10,2), op STRING, changed_at TIMESTAMP"
    )
    return spark.createDataFrame(rows, schema).orderBy("encounter_id")


def test_csv_cdc_rerun_late_update_delete_and_quarantine(spark, tmp_path):
    landing = land(tmp_path, "encounters", "2026-03-01", "part-1.csv", DAY1_CSV)
    data = spec_dict("encounters", ENCOUNTER_COLUMNS, ENCOUNTER_CDC, landing)
    spec_file = tmp_path / "encounters.json"
    spec_file.write_text(json.dumps(data))
    spec = parse_spec(data)

    # Bronze through the entry script's main, as the job task runs it.
    args = ["--layer", "bronze", "--spec", str(spec_file), "--date", "2026-03-01"]
    assert entry_main(args, spark=spark) == 0
    bronze = spark.table(spec.names.bronze)
    assert bronze.count() == 7
    assert bronze.select("_source_file").distinct().collect()[0][0].endswith("part-1.csv")
    assert bronze.where("_batch_id IS NULL OR _ingested_at IS NULL").count() == 0

    first = run_silver(spark, spec, "2026-03-01")
    assert (first.rows_in, first.accepted, first.quarantined) == (7, 4, 3)
    day1 = [
        (1, "MRN1", Decimal("100.50"), "I", ts("2026-03-01T08:00:00+00:00")),
        (2, "MRN2", Decimal("20.00"), "I", ts("2026-03-01T08:00:00+00:00")),
        (3, "MRN3", Decimal("31.00"), "U", ts("2026-03-01T09:00:00+00:00")),
    ]
    assert_df_equality(
        encounter_rows(spark, spec.names.silver),
        expected(spark, day1),
        ignore_nullable=True,
        ignore_metadata=True,
    )
    reasons = {
        json.loads(r._record)["mrn"]: r._reason
        for r in spark.table(spec.names.quarantine).collect()
    }
    assert reasons == {
        "MRN4": "charge: 123456789.99 overflows decimal(10,2)",
        "MRN5": "changed_at: not-a-time is not a timestamp",
        "MRN6": "encounter_id: null in a non-null column",
    }

    # A rerun of the same day changes nothing: bronze replaced, not doubled; silver the same.
    run_bronze(spark, spec, "2026-03-01")
    again = run_silver(spark, spec, "2026-03-01")
    assert spark.table(spec.names.bronze).count() == 7
    assert again.quarantined == 3
    assert spark.table(spec.names.quarantine).count() == 3
    assert_df_equality(
        encounter_rows(spark, spec.names.silver),
        expected(spark, day1),
        ignore_nullable=True,
        ignore_metadata=True,
    )

    # Day 2: newer update wins, the delete removes its key, the late older update loses.
    land(tmp_path, "encounters", "2026-03-02", "part-1.csv", DAY2_CSV)
    run_bronze(spark, spec, "2026-03-02")
    second = run_silver(spark, spec, "2026-03-02")
    assert (second.quarantined, second.deleted_keys) == (0, 1)
    day2 = [
        (1, "MRN1", Decimal("150.75"), "U", ts("2026-03-02T08:00:00+00:00")),
        (3, "MRN3", Decimal("31.00"), "U", ts("2026-03-01T09:00:00+00:00")),
        (7, "MRN7", Decimal("70.00"), "I", ts("2026-03-02T08:00:00+00:00")),
    ]
    assert_df_equality(
        encounter_rows(spark, spec.names.silver),
        expected(spark, day2),
        ignore_nullable=True,
        ignore_metadata=True,
    )
    assert spark.table(spec.names.bronze).count() == 11

    bronze_ops = operations(spark, spec.names.bronze)
    assert bronze_ops[0] == "CREATE TABLE AS SELECT"
    assert bronze_ops[1:] == ["WRITE", "WRITE"]  # the rerun replaced, day 2 added
    last = DeltaTable.forName(spark, spec.names.bronze).history(1).collect()[0]
    assert "_landing_date" in last.operationParameters["predicate"]
    silver_ops = operations(spark, spec.names.silver)
    assert silver_ops.count("MERGE") == 3
    # The PHI column carries its comment.
    comments = {
        r.col_name: r.comment for r in spark.sql(f"DESCRIBE TABLE {spec.names.silver}").collect()
    }
    assert comments["mrn"] == "PHI. Patient MRN"


# ------------------------------------------------------------- metadata: commits per silver step

WARD_COLUMNS = [
    {"name": "stay_id", "type": "bigint", "nullable": False, "description": "Stay"},
    {"name": "mrn", "type": "string", "classification": "phi", "description": "Patient MRN"},
    {"name": "ward", "type": "string", "description": "Ward code"},
    {"name": "bed", "type": "string", "description": "Bed label"},
    {"name": "admitted_at", "type": "timestamp", "description": "Admission time"},
    {"name": "op", "type": "string"},
]
WARD_DAY = """stay_id,mrn,ward,bed,admitted_at,op
1,MRN1,ICU,B1,2026-03-01T08:00:00Z,I
2,MRN2,ER,B7,2026-03-01T09:00:00Z,I
"""
WARD_COMMENTS = {
    "stay_id": "Stay",
    "mrn": "PHI. Patient MRN",
    "ward": "Ward code",
    "bed": "Bed label",
    "admitted_at": "Admission time",
}


def test_silver_puts_every_comment_and_property_in_the_create_commit(spark, tmp_path):
    landing = land(tmp_path, "stays", "2026-03-01", "part-1.csv", WARD_DAY)
    load = {"mode": "cdc", "keys": ["stay_id"], "orderBy": "admitted_at"}
    spec = parse_spec(spec_dict("stays", WARD_COLUMNS, load, landing))
    run_bronze(spark, spec, "2026-03-01")
    run_silver(spark, spec, "2026-03-01")
    table = spec.names.silver
    # Two commits in _delta_log: the create (schema, comments, properties, description) and the
    # day's MERGE. One commit per column comment would have made it 2 + 2 + 5.
    assert history(spark, table) == ["CREATE TABLE AS SELECT", "MERGE"]
    log = sorted(
        p.name
        for p in (
            Path(
                DeltaTable.forName(spark, table)
                .detail()
                .collect()[0]
                .location.removeprefix("file:")
            )
            / "_delta_log"
        ).glob("*.json")
    )
    assert log == ["00000000000000000000.json", "00000000000000000001.json"]
    got = described(spark, table)
    assert {k: got[k] for k in WARD_COMMENTS} == WARD_COMMENTS
    assert got["op"] is None
    detail = spark.sql(f"DESCRIBE DETAIL {table}").collect()[0]
    assert detail.description == "Test table stays"
    assert detail.properties["hdp.classification"] == "phi"
    assert detail.properties["hdp.table"] == "stays"

    # A rerun adds the day's MERGE only: the metadata is there already.
    run_silver(spark, spec, "2026-03-01")
    assert history(spark, table) == ["CREATE TABLE AS SELECT", "MERGE", "MERGE"]

    # Changed descriptions (a config change) are mended in one commit, every column at once.
    changed = spec_dict("stays", WARD_COLUMNS, load, landing)
    for c in changed["columns"]:
        if c["name"] in ("ward", "bed"):
            c["description"] = c["description"] + " (renamed)"
    run_silver(spark, parse_spec(changed), "2026-03-01")
    assert history(spark, table)[3:] == ["MERGE", "CHANGE COLUMNS"]
    got = described(spark, table)
    assert (got["ward"], got["bed"], got["mrn"]) == (
        "Ward code (renamed)",
        "Bed label (renamed)",
        "PHI. Patient MRN",
    )


# ------------------------------------------------------------------------ ndjson, incremental merge


def test_ndjson_incremental_merges_by_key_latest_watermark_wins(spark, tmp_path):
    columns = [
        {"name": "employee_id", "type": "string", "nullable": False},
        {"name": "hours", "type": "decimal(5,2)"},
        {"name": "updated_at", "type": "timestamp", "nullable": False},
    ]
    load = {"mode": "incremental", "keys": ["employee_id"], "orderBy": "updated_at"}
    day1 = [
        {"employee_id": "E1", "hours": 8.5, "updated_at": "2026-03-01T10:00:00Z"},
        {"employee_id": "E1", "hours": 9, "updated_at": "2026-03-01T12:00:00Z"},
        {"employee_id": "E2", "hours": 7.25, "updated_at": "2026-03-01T10:00:00Z"},
    ]
    day2 = [
        {"employee_id": "E1", "hours": 1, "updated_at": "2026-03-01T11:00:00Z"},  # late, older
        {"employee_id": "E2", "hours": 6, "updated_at": "2026-03-02T10:00:00Z"},
    ]
    landing = land(
        tmp_path, "timecards", "2026-03-01", "a.json", "\n".join(json.dumps(r) for r in day1)
    )
    land(tmp_path, "timecards", "2026-03-02", "a.json", "\n".join(json.dumps(r) for r in day2))
    spec = parse_spec(spec_dict("timecards", columns, load, landing, fmt="ndjson"))
    for day in ("2026-03-01", "2026-03-02"):
        run_bronze(spark, spec, day)
        run_silver(spark, spec, day)
    got = spark.table(spec.names.silver).select("employee_id", "hours").orderBy("employee_id")
    want = spark.createDataFrame(
        [("E1", Decimal("9.00")), ("E2", Decimal("6.00"))], "employee_id STRING, hours DECIMAL(5,2)"
    )
    assert_df_equality(got, want, ignore_nullable=True, ignore_metadata=True)
    assert operations(spark, spec.names.silver)[-2:] == ["MERGE", "MERGE"]


# ----------------------------------------------------------------- parquet, full, gold aggregates


def test_parquet_full_snapshot_replaces_silver_and_gold_aggregates(spark, tmp_path):
    columns = [
        {"name": "department", "type": "string", "nullable": False},
        {"name": "item", "type": "string", "nullable": False},
        {"name": "cost", "type": "decimal(12,2)"},
    ]
    gold = {
        "groupBy": ["department"],
        "measures": [
            {"name": "items", "function": "count", "column": None},
            {"name": "total_cost", "function": "sum", "column": "cost"},
        ],
    }
    root = tmp_path / "landing" / "test-source" / "costs"
    schema = "department STRING, item STRING, cost DECIMAL(12,2)"
    snapshots = {
        "2026-03-01": [("ICU", "bed", Decimal("10.00")), ("ER", "gauze", Decimal("1.50"))],
        "2026-03-02": [
            ("ICU", "bed", Decimal("12.00")),
            ("ICU", "pump", Decimal("3.00")),
            ("ER", "gauze", Decimal("2.00")),
        ],
    }
    for day, rows in snapshots.items():
        spark.createDataFrame(rows, schema).coalesce(1).write.parquet(str(root / f"dt={day}"))
    spec = parse_spec(
        spec_dict(
            "costs",
            columns,
            {"mode": "full"},
            f"{root}/",
            fmt="parquet",
            layers=("landing", "bronze", "silver", "gold"),
            gold=gold,
        )
    )
    for day in snapshots:
        run_bronze(spark, spec, day)
        run_silver(spark, spec, day)
        run_gold(spark, spec, day)
    assert spark.table(spec.names.silver).count() == 3  # the day-2 snapshot, not 5 rows
    got = spark.table(spec.names.gold).orderBy("department")
    want = spark.createDataFrame(
        [("ER", 1, Decimal("2.00")), ("ICU", 2, Decimal("15.00"))],
        "department STRING, items BIGINT, total_cost DECIMAL(22,2)",
    )
    assert_df_equality(got, want, ignore_nullable=True, ignore_metadata=True)
    # The first snapshot creates the table with its metadata; the second replaces the rows,
    # keeping it (no metadata commit on either day).
    assert history(spark, spec.names.silver) == [
        "CREATE TABLE AS SELECT",
        "CREATE OR REPLACE TABLE AS SELECT",
    ]
    assert history(spark, spec.names.gold) == [
        "CREATE TABLE AS SELECT",
        "CREATE OR REPLACE TABLE AS SELECT",
    ]


# --------------------------------------------------------------------------- raw HL7, bad file


def test_hl7_feed_parses_into_lab_results_and_quarantines_a_broken_file(spark, tmp_path):
    columns = [
        {"name": "accession_number", "type": "string", "nullable": False},
        {"name": "order_code", "type": "string", "nullable": False},
        {"name": "observation_seq", "type": "int", "nullable": False},
        {"name": "numeric_value", "type": "decimal(18,6)"},
        {"name": "result_status", "type": "string", "nullable": False},
        {"name": "message_time", "type": "timestamp", "nullable": False},
    ]
    load = {
        "mode": "cdc",
        "keys": ["accession_number", "order_code", "observation_seq"],
        "orderBy": "message_time",
    }
    landing = land(
        tmp_path,
        "lab_results",
        "2026-03-01",
        "ORU_R01_1.hl7",
        (SAMPLES / "oru_r01.hl7").read_bytes(),
    )
    land(tmp_path, "lab_results", "2026-03-01", "ORU_R01_2.hl7", b"this is not HL7")
    spec = parse_spec(spec_dict("lab_results", columns, load, landing, fmt="hl7"))
    assert run_bronze(spark, spec, "2026-03-01").rows == 4
    result = run_silver(spark, spec, "2026-03-01")
    assert (result.accepted, result.quarantined) == (3, 1)
    got = spark.table(spec.names.silver).orderBy("observation_seq")
    assert [(r.observation_seq, r.numeric_value) for r in got.collect()] == [
        (1, Decimal("13.200000")),
        (2, Decimal("11.800000")),
        (3, None),
    ]
    (bad,) = spark.table(spec.names.quarantine).collect()
    assert bad._source_file.endswith("ORU_R01_2.hl7")
    assert bad._reason.startswith("unparseable hl7 file:")
    assert spark.table(spec.names.silver).where(F.col("message_time").isNull()).count() == 0


def test_hl7_row_with_a_bad_timestamp_is_quarantined_and_its_file_s_other_rows_reach_silver(
    spark, tmp_path
):
    columns = [
        {"name": "accession_number", "type": "string", "nullable": False},
        {"name": "order_code", "type": "string", "nullable": False},
        {"name": "observation_seq", "type": "int", "nullable": False},
        {"name": "observed_at", "type": "timestamp"},
        {"name": "message_time", "type": "timestamp", "nullable": False},
    ]
    load = {
        "mode": "cdc",
        "keys": ["accession_number", "order_code", "observation_seq"],
        "orderBy": "message_time",
    }
    sample = (SAMPLES / "oru_r01.hl7").read_bytes()
    # OBX 2's observation time (OBX-14) is the simulator's bad value.
    broken = sample.replace(b"|H|||F|||20260301100000-0600\r", b"|H|||F|||n/a\r")
    assert broken != sample
    landing = land(tmp_path, "lab_results", "2026-03-01", "ORU_R01_1.hl7", broken)
    # Schemas of their own: the test above has its lab_results tables in test_source_*.
    for layer in ("bronze", "silver"):
        spark.sql(f"CREATE DATABASE IF NOT EXISTS spark_catalog.bad_ts_{layer}")
    spec = parse_spec(
        spec_dict("lab_results", columns, load, landing, fmt="hl7", schema_prefix="bad_ts")
    )
    assert run_bronze(spark, spec, "2026-03-01").rows == 3
    result = run_silver(spark, spec, "2026-03-01")
    assert (result.rows_in, result.accepted, result.quarantined) == (3, 2, 1)
    got = spark.table(spec.names.silver).orderBy("observation_seq").collect()
    assert [(r.observation_seq, r.observed_at) for r in got] == [
        (1, ts("2026-03-01T10:00:00-06:00")),
        (3, None),
    ]
    (bad,) = spark.table(spec.names.quarantine).collect()
    assert bad._reason == "observed_at: n/a is not a timestamp"
    record = json.loads(bad._record)
    assert (record["observation_seq"], record["observed_at"]) == ("2", "n/a")
    assert bad._source_file.endswith("ORU_R01_1.hl7")


# ------------------------------------------------------------------- run folders (a folder reader)


def test_run_folders_are_read_whole_with_their_empty_markers_and_a_broken_one_quarantined(
    spark, tmp_path
):
    columns = [
        {"name": "run_id", "type": "string", "nullable": False},
        {"name": "instrument_id", "type": "string", "nullable": False},
        {"name": "flowcell_type", "type": "string"},
        {"name": "run_started_at", "type": "timestamp"},
        {"name": "run_completed_at", "type": "timestamp"},
        {"name": "read_structure", "type": "string"},
        {"name": "run_status", "type": "string"},
    ]
    load = {"mode": "cdc", "keys": ["run_id"], "orderBy": "run_completed_at"}
    info = (SAMPLES / "illumina" / "RunInfo.xml").read_bytes()
    params = (SAMPLES / "illumina" / "RunParameters.xml").read_bytes()
    run = "20250106_LH00412_0087_A22FJLMLT3"
    root = tmp_path / "landing" / "test-source" / "sequencing_runs"
    landing = f"{root}/"

    def put(path: str, content: bytes) -> None:  # a file of a run folder in the day's partition
        (root / "dt=2025-01-06" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "dt=2025-01-06" / path).write_bytes(content)

    for name, content in [
        ("RunInfo.xml", info),
        ("RunParameters.xml", params),
        # Empty, as the instrument writes them: Spark's scans skip such files.
        ("RTAComplete.txt", b""),
        ("CopyComplete.txt", b""),
    ]:
        put(f"{run}/{name}", content)
    # A second run, still sequencing; a third whose RunInfo.xml is not XML.
    other = info.replace(run.encode(), b"20250106_LH00412_0088_A22FJLMLT4")
    put("run88/RunInfo.xml", other)
    put("run89/RunInfo.xml", b"Run,Id\n")
    for layer in ("bronze", "silver"):
        spark.sql(f"CREATE DATABASE IF NOT EXISTS spark_catalog.runs_{layer}")
    spec = parse_spec(
        spec_dict(
            "sequencing_runs", columns, load, landing, fmt="illumina-run-xml", schema_prefix="runs"
        )
    )
    assert run_bronze(spark, spec, "2025-01-06").rows == 3
    result = run_silver(spark, spec, "2025-01-06")
    assert (result.accepted, result.quarantined) == (2, 1)
    got = spark.table(spec.names.silver).orderBy("run_id").collect()
    assert [(r.run_id, r.flowcell_type, r.read_structure, r.run_status) for r in got] == [
        (run, "10B", "151-10-10-151", "copied"),
        ("20250106_LH00412_0088_A22FJLMLT4", None, "151-10-10-151", "running"),
    ]
    assert got[0].run_started_at == ts("2025-01-06T14:02:37+00:00")
    assert got[0].run_completed_at is not None  # CopyComplete.txt's time
    assert got[0]._source_file.endswith(f"{run}/RunInfo.xml")
    (bad,) = spark.table(spec.names.quarantine).collect()
    assert bad._reason.startswith("unparseable illumina-run-xml file:")
    assert "run89/RunInfo.xml: not XML" in bad._reason
