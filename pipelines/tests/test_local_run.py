"""hdp_pipelines.local_run without Spark: the plan's checks and the quarantine reasons' grouping."""

from __future__ import annotations

import json

import pytest

from hdp_pipelines.local_run import PlanError, load_plan, reason_kind

from .helpers import spec_dict


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("visit_count: n/a is not a int", "visit_count: is not a int"),
        ("charge: 123456789012.5 overflows decimal(10,2)", "charge: overflows decimal(10,2)"),
        ("visit_id: null in a non-null column", "visit_id: null in a non-null column"),
        ("unparseable hl7 file: x.hl7: OBX segment before any OBR", "unparseable hl7 file"),
    ],
)
def test_reason_kind_leaves_the_value_out(reason, kind):
    assert reason_kind(reason) == kind


def write(path, data):
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_a_plan_loads_with_its_specs(tmp_path):
    spec = write(
        tmp_path / "t.json",
        spec_dict("t", [{"name": "id", "type": "bigint"}], {"mode": "full"}, "file:///x/"),
    )
    plan = load_plan(
        write(
            tmp_path / "plan.json",
            {
                "planVersion": 1,
                "source": "test-source",
                "environment": "test",
                "warehouse": str(tmp_path / "wh"),
                "summary": str(tmp_path / "summary.json"),
                "dates": ["2025-01-06"],
                "dags": [
                    {
                        "dagId": "d",
                        "pipeline": "p",
                        "upstream": [],
                        "tables": [{"table": "t", "layers": ["bronze"], "after": [], "spec": spec}],
                    }
                ],
            },
        )
    )
    assert [t.spec.key for t in plan.dags[0].tables] == ["test-source/t"]


def test_a_bad_plan_lists_every_problem(tmp_path):
    spec = write(
        tmp_path / "t.json",
        spec_dict("t", [{"name": "id", "type": "bigint"}], {"mode": "full"}, "file:///x/"),
    )
    path = write(
        tmp_path / "plan.json",
        {
            "planVersion": 9,
            "source": "s",
            "environment": "",
            "warehouse": "w",
            "summary": "s.json",
            "dates": ["06/01/2025"],
            "dags": [
                {
                    "dagId": "d",
                    "tables": [{"table": "t", "layers": ["gold"], "after": [], "spec": spec}],
                }
            ],
        },
    )
    with pytest.raises(PlanError) as e:
        load_plan(path)
    lines = str(e.value).splitlines()
    assert lines == [
        f"{path}: planVersion: must be 1 (got 9)",
        f"{path}: environment: must be a non-empty string",
        f"{path}: dates: must be a non-empty list of YYYY-MM-DD",
        f"{path}: dags[0].tables[0]: the spec does not reach gold",
    ]
