"""The spec loader: typed and frozen, every problem reported at once with the file and field."""

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from hdp_pipelines.catalog import metadata_statements
from hdp_pipelines.entry import parse_date
from hdp_pipelines.spec import SpecError, decimal_precision_scale, load_spec, parse_spec

from .helpers import spec_dict

COLUMNS = [
    {"name": "id", "type": "bigint", "nullable": False},
    {"name": "mrn", "type": "string", "classification": "phi", "description": "Medical record"},
    {"name": "amount", "type": "decimal(12,2)"},
    {"name": "op", "type": "string"},
    {"name": "seq", "type": "timestamp", "nullable": False},
]
CDC = {"mode": "cdc", "keys": ["id"], "orderBy": "seq", "delete": {"column": "op", "values": ["D"]}}


def test_a_rendered_spec_loads_as_a_frozen_dataclass(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps(spec_dict("t", COLUMNS, CDC, "s3://landing/src/t/")))
    spec = load_spec(path)
    assert spec.key == "test-source/t"
    assert spec.load.keys == ("id",)
    assert spec.load.delete.values == ("D",)
    assert spec.column("mrn").is_phi
    assert spec.landing.partition("2026-03-01") == "s3://landing/src/t/dt=2026-03-01/"
    assert spec.names.quarantine == "spark_catalog.test_source_silver.t__quarantine"
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.table = "other"  # type: ignore[misc]


def test_every_problem_is_reported_at_once_with_the_file_and_field():
    bad = spec_dict("t", COLUMNS, CDC, "s3://l/")
    bad["specVersion"] = 2
    bad["columns"][2]["type"] = "money"
    bad["load"] = {"mode": "cdc", "keys": [], "orderBy": "nope", "delete": None}
    bad["landing"]["format"] = "xml"
    bad["tables"]["silver"] = "only.two"
    with pytest.raises(SpecError) as e:
        parse_spec(bad, "specs/t.json")
    assert e.value.problems == [
        "specVersion: must be 1 (this code reads spec version 1)",
        'columns[2].type: "money" is not a supported Spark SQL type',
        "load.keys: a cdc table needs its key columns",
        'load.orderBy: "nope" is not a column of the table',
        "landing.format: must be one of csv, ndjson, parquet, hl7, vcf, fastq, illumina-run-xml, "
        "bclconvert-quality-csv, dragen-metrics-csv, pharmcat-json",
        "tables.silver: must be a three-level name catalog.schema.table",
    ]
    assert str(e.value).startswith("specs/t.json: specVersion")


def test_invalid_json_names_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "specVersion": 1,\n  oops\n}')
    with pytest.raises(SpecError, match=r"bad.json: line 3 col 3: invalid JSON"):
        load_spec(path)


def test_decimal_precision_and_scale():
    assert decimal_precision_scale("decimal(18,6)") == (18, 6)
    assert decimal_precision_scale("double") is None


def test_phi_columns_get_comments_and_unity_catalog_tags():
    spec = parse_spec(spec_dict("t", COLUMNS, CDC, "s3://l/"))
    local = metadata_statements(spec, "c.s.t", unity_catalog=False)
    # Every comment in one statement (one Delta commit), or one per column for Spark 3.5.
    comments = [s for s in local if "COMMENT" in s]
    assert len(comments) == 1
    assert "ALTER COLUMN `mrn` COMMENT 'PHI. Medical record'" in comments[0]
    apart = metadata_statements(spec, "c.s.t", unity_catalog=False, together=False)
    assert "ALTER TABLE `c`.`s`.`t` ALTER COLUMN `mrn` COMMENT 'PHI. Medical record'" in apart
    # Properties and the description together: one commit.
    props = [s for s in local if "SET TBLPROPERTIES" in s]
    assert len(props) == 1
    assert "'comment' = " in props[0]
    assert "'hdp.classification'" in props[0]
    assert not any("SET TAGS" in s for s in local)
    uc = metadata_statements(spec, "c.s.t", unity_catalog=True)
    assert "ALTER TABLE `c`.`s`.`t` ALTER COLUMN `mrn` SET TAGS ('classification' = 'phi')" in uc
    assert not any("`id` SET TAGS" in s for s in uc)


def test_metadata_statements_in_order_for_the_present_columns():
    """Properties, then the comments, then the column tags in column order, then the table tag;
    columns not `present` get neither a comment nor a tag, a PII column without a description no
    comment."""
    columns = [
        {"name": "id", "type": "bigint", "description": "Key"},
        {"name": "mrn", "type": "string", "classification": "phi", "description": "Medical record"},
        {"name": "email", "type": "string", "classification": "pii"},
        {"name": "ssn", "type": "string", "classification": "phi", "description": "Gone"},
        {"name": "note", "type": "string", "description": "Free text"},
    ]
    spec = parse_spec(spec_dict("t", columns, {"mode": "full"}, "s3://l/"))
    present = {"id", "mrn", "email", "note"}
    props = (
        "ALTER TABLE `c`.`s`.`t` SET TBLPROPERTIES ('hdp.source' = 'test-source', "
        "'hdp.table' = 't', 'hdp.classification' = 'phi', 'hdp.environment' = 'test', "
        "'comment' = 'Test table t')"
    )
    tags = [
        "ALTER TABLE `c`.`s`.`t` ALTER COLUMN `mrn` SET TAGS ('classification' = 'phi')",
        "ALTER TABLE `c`.`s`.`t` ALTER COLUMN `email` SET TAGS ('classification' = 'pii')",
        "ALTER TABLE `c`.`s`.`t` SET TAGS ('classification' = 'phi')",
    ]
    assert metadata_statements(spec, "c.s.t", unity_catalog=True, present=present) == [
        props,
        "ALTER TABLE `c`.`s`.`t` ALTER COLUMN `id` COMMENT 'Key', "
        "`mrn` COMMENT 'PHI. Medical record', `note` COMMENT 'Free text'",
        *tags,
    ]
    assert metadata_statements(
        spec, "c.s.t", unity_catalog=True, present=present, together=False
    ) == [
        props,
        "ALTER TABLE `c`.`s`.`t` ALTER COLUMN `id` COMMENT 'Key'",
        "ALTER TABLE `c`.`s`.`t` ALTER COLUMN `mrn` COMMENT 'PHI. Medical record'",
        "ALTER TABLE `c`.`s`.`t` ALTER COLUMN `note` COMMENT 'Free text'",
        *tags,
    ]
    assert metadata_statements(spec, "c.s.t", unity_catalog=False) == [
        props,
        "ALTER TABLE `c`.`s`.`t` ALTER COLUMN `id` COMMENT 'Key', "
        "`mrn` COMMENT 'PHI. Medical record', "
        "`ssn` COMMENT 'PHI. Gone', `note` COMMENT 'Free text'",
    ]


@pytest.mark.parametrize("value", ["2026-3-1", "2026-02-30", "yesterday", "2026-03-01' OR 1=1"])
def test_the_date_argument_is_strict(value):
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        parse_date(value)


def test_the_entry_script_runs_from_a_bare_copy_of_src(tmp_path):
    """The workspace-files contract: no install, the script finds its own package (the `.py`
    files and the `.json` data files they read, what the platform deploys)."""
    src = Path(__file__).resolve().parents[1] / "src" / "hdp_pipelines"
    copy = tmp_path / "deployed" / "hdp_pipelines"
    copy.mkdir(parents=True)
    for f in [*src.glob("*.py"), *src.glob("*.json")]:
        (copy / f.name).write_text(f.read_text())
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"specVersion": 1}))
    # -S: no site-packages, so nothing installed can stand in for the copy.
    r = subprocess.run(
        [
            sys.executable,
            "-S",
            str(copy / "entry.py"),
            "--layer",
            "bronze",
            "--spec",
            str(bad),
            "--date",
            "2026-03-01",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert r.returncode == 2, r.stderr
    assert f"{bad}: columns: must be a non-empty list" in r.stderr
