"""Illumina run folders -> `sequencing_runs`, and BCL Convert's reports -> `run_qc_metrics`.

Shapes as the instruments and BCL Convert write them (NovaSeq X series, BCL Convert 4):
- `<run>/RunInfo.xml`: `<RunInfo><Run Id= Number=>` with `Flowcell`, `Instrument`, `Date`
  (ISO 8601 on the X series; `YYMMDD` or `M/D/YYYY h:mm:ss AM` on older instruments) and
  `<Reads><Read Number= NumCycles= IsIndexedRead=/>`.
- `<run>/RunParameters.xml`: `<RunParameters>` with `SystemSuiteVersion` (`ApplicationVersion`
  on older control software) and the flow cell among `ConsumableInfo` (`Type` FlowCell, `Mode`
  1.5B/10B/25B; `RfidsInfo/FlowCellMode` on the NovaSeq 6000).
- `<run>/RTAComplete.txt`, `<run>/CopyComplete.txt`: empty markers, written when base calling,
  then the copy off the instrument, ended.
- `<run>/Analysis/<n>/Data/BCLConvert/Reports/Quality_Metrics.csv`: one row per lane, sample
  and read (`Lane,SampleID,index,index2,ReadNumber,Yield,YieldQ30,QualityScoreSum,...`).
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from .raw_common import RawFile, RawFormatError, Row, Tables, run_id_of, text_of

# The files of a run folder the run reader takes; anything else in the folder is refused.
RUN_FOLDER_FILES = ("RunInfo.xml", "RunParameters.xml", "RTAComplete.txt", "CopyComplete.txt")


def run_date(value: str | None) -> str | None:
    """RunInfo's `Date` -> ISO 8601. Left as it arrived when it is none of the instruments'
    forms (silver's timestamp cast then quarantines the row, the value in its reason)."""
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?", value):
        return value
    for fmt in ("%y%m%d", "%m/%d/%Y %I:%M:%S %p", "%Y%m%d"):
        try:
            return datetime.strptime(value, fmt).isoformat()
        except ValueError:
            continue
    return value


def parse_run_folder(files: list[RawFile]) -> Tables:
    """One run folder's RunInfo.xml, RunParameters.xml and completion markers -> one
    `sequencing_runs` row."""
    folder = posixpath.dirname(files[0].path)
    by_name = {f.name: f for f in files}
    for f in files:
        if f.name not in RUN_FOLDER_FILES:
            raise RawFormatError(
                f"{f.path}: not a run folder file this reader takes ({', '.join(RUN_FOLDER_FILES)})"
            )
    if "RunInfo.xml" not in by_name:
        raise RawFormatError(f"{folder}/: a run folder without RunInfo.xml")
    info = by_name["RunInfo.xml"]
    run = info.xml("RunInfo").find("Run")
    if run is None or not run.get("Id"):
        raise RawFormatError(f"{info.path}: no <Run Id=...> element")
    reads = sorted(run.iterfind("Reads/Read"), key=lambda r: int(r.get("Number", "0") or "0"))
    parameters = by_name.get("RunParameters.xml")
    params = parameters.xml("RunParameters") if parameters is not None else None
    flowcell_type = None
    if params is not None:
        for consumable in params.iterfind(".//ConsumableInfo"):
            if text_of(consumable, "Type") == "FlowCell":
                flowcell_type = text_of(consumable, "Mode")
        flowcell_type = flowcell_type or text_of(params, "RfidsInfo/FlowCellMode")
    copied, called = by_name.get("CopyComplete.txt"), by_name.get("RTAComplete.txt")
    done = copied or called
    return {
        "sequencing_runs": [
            {
                "run_id": run.get("Id"),
                "instrument_id": text_of(run, "Instrument"),
                "flowcell_id": text_of(run, "Flowcell"),
                "flowcell_type": flowcell_type,
                "run_started_at": run_date(text_of(run, "Date")),
                "run_completed_at": done.modified_at if done else None,
                "read_structure": "-".join(r.get("NumCycles", "?") for r in reads) or None,
                "run_status": "copied" if copied else "sequenced" if called else "running",
                "software_version": text_of(params, "SystemSuiteVersion")
                or text_of(params, "ApplicationVersion"),
                "run_folder_path": folder,
                "_source_file": info.path,
            }
        ]
    }


_QUALITY_COLUMNS = ("Lane", "Yield", "YieldQ30")


def parse_quality_metrics(content: bytes, file: str, modified_at: str | None = None) -> Tables:
    """BCL Convert's Quality_Metrics.csv -> one `run_qc_metrics` row per lane: its yield (Gb)
    and %Q30 summed over samples and reads. The run id is the run folder's name in the path.

    A lane with a value that is not a number keeps that value as it arrived in its yield, so
    silver quarantines that lane's row alone. Cluster density, pass filter, occupancy and error
    rate are InterOp's (binary files, not in the reports): left empty.
    """
    text = RawFile(file, content).text()
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _QUALITY_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RawFormatError(
            f"{file}:1: not a BCL Convert Quality_Metrics.csv (no {', '.join(missing)} column)"
        )
    lanes: dict[str, list[Decimal]] = {}
    bad: dict[str, str] = {}
    for n, rec in enumerate(reader, start=2):
        if None in rec or any(rec.get(c) is None for c in _QUALITY_COLUMNS):
            raise RawFormatError(f"{file}:{n}: {len(rec)} fields where the header has more or less")
        lane = rec["Lane"].strip()
        sums = lanes.setdefault(lane, [Decimal(0), Decimal(0)])
        for i, column in enumerate(("Yield", "YieldQ30")):
            try:
                sums[i] += Decimal(rec[column])
            except InvalidOperation:
                bad.setdefault(lane, rec[column])
    rows: list[Row] = []
    for lane, (total, q30) in lanes.items():
        rows.append(
            {
                "run_id": run_id_of(file),
                "lane": lane,
                "yield_gb": bad.get(lane) or str(round(total / Decimal(10) ** 9, 2)),
                "percent_q30": None
                if lane in bad or total == 0
                else str(round(q30 * 100 / total, 2)),
                "cluster_density_k_mm2": None,
                "percent_pass_filter": None,
                "percent_occupied": None,
                "error_rate": None,
                "computed_at": modified_at,
            }
        )
    return {"run_qc_metrics": rows}
