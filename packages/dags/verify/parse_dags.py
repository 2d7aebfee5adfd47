"""Parse a folder of generated DAG files with Airflow's own DagBag and print what it found as JSON.

Usage: python parse_dags.py OUT_JSON DAG_FOLDER [DAG_FOLDER ...]

Each folder gets its own DagBag (folders may hold the same DAG ids, e.g. one per environment).
Writes one JSON object keyed by folder name (to a file: Airflow logs to stdout); per folder: import errors by file, every DAG (file, schedule, tags, tasks with their
upstream ids, operator, Databricks job id and task keys, retries and timeout, outlets) and the
parse time of each file as DagBag measured it. The caller (a jest test) compares it with config.
"""

from __future__ import annotations

import json
import os
import sys
import time


def _schedule(dag) -> dict:
    timetable = dag.timetable
    if type(timetable).__name__ == "OnceTimetable":
        return {"kind": "once"}
    expression = getattr(timetable, "_expression", None)
    if expression is not None:
        return {
            "kind": "cron",
            "timetable": type(timetable).__name__,
            "cron": expression,
            "timezone": str(getattr(timetable, "_timezone", "")),
        }
    condition = getattr(timetable, "asset_condition", None)
    if condition is not None:
        return {
            "kind": "assets",
            "condition": type(condition).__name__,
            "uris": sorted(a.uri for _, a in condition.iter_assets()),
        }
    return {"kind": type(timetable).__name__}


def _task(task) -> dict:
    payload = getattr(task, "json", None) or {}
    timeout = task.execution_timeout
    return {
        "operator": type(task).__name__,
        "upstream": sorted(task.upstream_task_ids),
        "job_id": payload.get("job_id"),
        "only": payload.get("only"),
        "job_parameters": payload.get("job_parameters"),
        "conn_id": getattr(task, "databricks_conn_id", None),
        "deferrable": getattr(task, "deferrable", None),
        "retries": task.retries,
        "timeout_s": timeout.total_seconds() if timeout is not None else None,
        "owner": task.owner,
        "outlets": sorted(a.uri for a in task.outlets),
    }


def parse(folder: str) -> dict:
    from airflow.models.dagbag import DagBag

    started = time.perf_counter()
    bag = DagBag(dag_folder=folder, include_examples=False, safe_mode=False)
    total = time.perf_counter() - started
    dags = {}
    for dag_id, dag in sorted(bag.dags.items()):
        dags[dag_id] = {
            "file": os.path.relpath(dag.fileloc, folder),
            "schedule": _schedule(dag),
            "tags": sorted(dag.tags),
            "description": dag.description,
            "doc_md": dag.doc_md,
            "catchup": dag.catchup,
            "max_active_runs": dag.max_active_runs,
            "max_active_tasks": dag.max_active_tasks,
            "tasks": {t.task_id: _task(t) for t in dag.tasks},
        }
    stats = [
        {
            "file": os.path.basename(s.file),
            "seconds": s.duration.total_seconds(),
            "dags": s.dag_num,
            "tasks": s.task_num,
        }
        for s in bag.dagbag_stats
    ]
    errors = {
        os.path.relpath(f, folder): e for f, e in sorted(bag.import_errors.items())
    }
    return {
        "import_errors": errors,
        "dags": dags,
        "stats": stats,
        "total_seconds": total,
    }


def main(out: str, folders: list[str]) -> None:
    result = {os.path.basename(os.path.normpath(f)): parse(f) for f in folders}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
