"""DRAGEN's per-sample QC metrics -> `sample_qc`, and PharmCAT's phenotype calls ->
`pgx_diplotypes`.

Shapes as the tools write them:
- DRAGEN (`--output-file-prefix <sample>`, one output folder per run): `<sample>.mapping_metrics
  .csv`, `<sample>.vc_metrics.csv`, `<sample>.wgs_coverage_metrics.csv` (or
  `.qc-coverage-region-<n>_coverage_metrics.csv`) and `<sample>.ploidy_estimation_metrics.csv`,
  each headerless `section,read group,metric,value[,percent]` rows (MultiQC's DRAGEN module reads
  the same), e.g. `MAPPING/ALIGNING SUMMARY,,Mapped reads,812345678,99.12`.
- PharmCAT (`pharmcat -o <sample>`): `<sample>.phenotype.json`, whose `geneReports` holds per
  gene (under its guideline source, `CPIC` first, in PharmCAT 2; by gene in later versions)
  `recommendationDiplotypes` / `sourceDiplotypes`: `label` (`*1/*17`), `phenotypes`,
  `activityScore`.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re

from .raw_common import RawFile, RawFormatError, Row, Tables

# DRAGEN metric file kinds by name ending; the sample is the output prefix before it.
_METRIC_FILE = re.compile(
    r"^(?P<sample>[^.]+)\.(?P<kind>mapping_metrics|vc_metrics|ploidy_estimation_metrics"
    r"|wgs_coverage_metrics|qc-coverage-region-\d+_coverage_metrics)\.csv$"
)
_MEAN_COVERAGE = re.compile(r"^Average alignment coverage over ")
_PCT_20X = re.compile(r"^PCT of .+ with coverage \[\s*20x: inf\)$")


def _metrics(f: RawFile) -> list[list[str]]:
    rows = [r for r in csv.reader(io.StringIO(f.text())) if any(c.strip() for c in r)]
    for n, r in enumerate(rows, start=1):
        if len(r) < 4 or not r[0].isupper():
            raise RawFormatError(
                f"{f.path}:{n}: not a DRAGEN metrics row (section,read group,metric,value[,pct])"
            )
    return rows


def _summary(rows: list[list[str]], metric: str | re.Pattern[str], column: int = 3) -> str | None:
    """The first whole-sample row's (empty read group) value of `metric`."""
    for r in rows:
        name = r[2].strip()
        hit = metric.match(name) if isinstance(metric, re.Pattern) else name == metric
        if hit and not r[1].strip() and len(r) > column:
            return r[column].strip() or None
    return None


def parse_dragen_metrics(files: list[RawFile]) -> Tables:
    """One DRAGEN output folder's metrics CSVs -> one `sample_qc` row per sample (output
    prefix). The folder is named by the run (`dragen/<run id>/`), which gives the run id.

    Values stay as written: a value that is no number (`NA`) reaches silver, which quarantines
    that sample's row. Reported sex (the LIMS') and the QC verdict are not in these files.
    """
    samples: dict[str, dict[str, RawFile]] = {}
    for f in files:
        m = _METRIC_FILE.match(f.name)
        if not m:
            raise RawFormatError(
                f"{f.path}: not a DRAGEN metrics file (<sample>.mapping_metrics.csv, "
                ".vc_metrics.csv, .wgs_coverage_metrics.csv, .ploidy_estimation_metrics.csv)"
            )
        kind = "coverage" if m["kind"].endswith("coverage_metrics") else m["kind"]
        samples.setdefault(m["sample"], {})[kind] = f
    out: list[Row] = []
    for sample, kinds in sorted(samples.items()):
        parsed = {kind: _metrics(f) for kind, f in kinds.items()}
        mapping = parsed.get("mapping_metrics", [])
        coverage = parsed.get("coverage", [])
        sex = _summary(parsed.get("ploidy_estimation_metrics", []), "Ploidy estimation")
        first = next(iter(kinds.values()))
        out.append(
            {
                "sample_id": sample,
                "run_id": posixpath.basename(posixpath.dirname(first.path)) or None,
                "mean_coverage": _summary(coverage, _MEAN_COVERAGE),
                "pct_target_bases_20x": _summary(coverage, _PCT_20X),
                "contamination_estimate": _summary(mapping, "Estimated sample contamination"),
                "predicted_sex": sex
                or _summary(parsed.get("vc_metrics", []), "Predicted sex chromosome ploidy"),
                "reported_sex": None,
                "mapping_rate": _summary(mapping, "Mapped reads", 4),
                "qc_status": None,
                "called_at": max((f.modified_at or "" for f in kinds.values()), default="") or None,
                "_source_file": (kinds.get("mapping_metrics") or first).path,
            }
        )
    return {"sample_qc": out}


def parse_pharmcat_phenotypes(content: bytes, file: str, modified_at: str | None = None) -> Tables:
    """PharmCAT's `<sample>.phenotype.json` -> one `pgx_diplotypes` row per called gene (the
    first recommendation diplotype, else source diplotype; a gene PharmCAT could not call, with
    no diplotype, gives no row)."""
    try:
        data = json.loads(RawFile(file, content).text())
    except json.JSONDecodeError as e:
        raise RawFormatError(f"{file}:{e.lineno}:{e.colno}: not JSON ({e.msg})") from e
    reports = data.get("geneReports") if isinstance(data, dict) else None
    if not isinstance(reports, dict):
        raise RawFormatError(f"{file}: no geneReports object (not a PharmCAT phenotype file)")
    genes: dict[str, dict] = {}
    # PharmCAT 2: {source: {gene: report}}, CPIC before DPWG; later: {gene: report}.
    for key in sorted(reports, key=lambda k: (k != "CPIC", k)):
        value = reports[key]
        if not isinstance(value, dict):
            raise RawFormatError(f"{file}: geneReports.{key} is not an object")
        nested = "geneSymbol" not in value and all(isinstance(v, dict) for v in value.values())
        for gene, report in value.items() if nested else [(key, value)]:
            genes.setdefault(gene, report)
    version = data.get("pharmcatVersion")
    sample = posixpath.basename(file).split(".", 1)[0]
    rows: list[Row] = []
    for gene, report in sorted(genes.items()):
        calls = report.get("recommendationDiplotypes") or report.get("sourceDiplotypes") or []
        if not calls or not isinstance(calls[0], dict):
            continue
        call = calls[0]
        phenotypes = call.get("phenotypes") or []
        score = call.get("activityScore")
        rows.append(
            {
                "sample_id": sample,
                "gene": report.get("geneSymbol") or gene or None,
                "diplotype": call.get("label"),
                "phenotype": "; ".join(str(p) for p in phenotypes) or None,
                "activity_score": None if score is None else str(score),
                "caller": f"PharmCAT {version}" if version else "PharmCAT",
                "called_at": data.get("timestamp") or modified_at,
            }
        )
    return {"pgx_diplotypes": rows}
