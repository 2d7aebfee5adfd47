"""The genomics readers of run folders, BCL Convert reports, DRAGEN metrics and PharmCAT calls,
on real-shaped samples (no Spark), malformed ones included."""

from pathlib import Path

import pytest

from hdp_pipelines.raw import parse_raw, parse_raw_folder
from hdp_pipelines.raw_common import RawFile, RawFormatError
from hdp_pipelines.raw_dragen import parse_dragen_metrics, parse_pharmcat_phenotypes
from hdp_pipelines.raw_illumina import parse_quality_metrics, parse_run_folder, run_date

SAMPLES = Path(__file__).parent / "samples"
RUN = "s3://landing/sequencer-runs/sequencing_runs/dt=2025-01-06/20250106_LH00412_0087_A22FJLMLT3"


def run_folder(*names: str, **replaced: bytes) -> list[RawFile]:
    files = []
    for name in names:
        content = replaced.get(name.replace(".", "_"))
        if content is None:
            sample = SAMPLES / "illumina" / name
            content = sample.read_bytes() if sample.exists() else b""
        files.append(RawFile(f"{RUN}/{name}", content, "2025-01-07T02:10:00"))
    return files


def test_a_run_folder_gives_one_run_row_from_runinfo_and_runparameters():
    files = run_folder("RunInfo.xml", "RunParameters.xml", "RTAComplete.txt", "CopyComplete.txt")
    assert parse_run_folder(files) == {
        "sequencing_runs": [
            {
                "run_id": "20250106_LH00412_0087_A22FJLMLT3",
                "instrument_id": "LH00412",
                "flowcell_id": "22FJLMLT3",
                "flowcell_type": "10B",
                "run_started_at": "2025-01-06T14:02:37Z",
                "run_completed_at": "2025-01-07T02:10:00",
                # Reads in their Number order, whatever the file's order.
                "read_structure": "151-10-10-151",
                "run_status": "copied",
                "software_version": "1.2.0.28691",
                "run_folder_path": RUN,
                "_source_file": f"{RUN}/RunInfo.xml",
            }
        ]
    }
    assert (
        parse_raw_folder("illumina-run-xml", "sequencing_runs", files)
        == parse_run_folder(files)["sequencing_runs"]
    )


def test_a_run_still_sequencing_has_no_completion_and_no_parameters_needed():
    (row,) = parse_run_folder(run_folder("RunInfo.xml"))["sequencing_runs"]
    assert (row["run_status"], row["run_completed_at"], row["flowcell_type"]) == (
        "running",
        None,
        None,
    )


def test_run_dates_of_older_instruments_become_iso_and_others_stay_as_they_arrived():
    assert run_date("250106") == "2025-01-06T00:00:00"
    assert run_date("1/6/2025 2:02:37 PM") == "2025-01-06T14:02:37"
    assert run_date("2025-01-06T14:02:37Z") == "2025-01-06T14:02:37Z"
    # Kept, so silver's timestamp cast quarantines the row with the value in its reason.
    assert run_date("sometime") == "sometime"
    bad = (
        (SAMPLES / "illumina" / "RunInfo.xml")
        .read_bytes()
        .replace(b"2025-01-06T14:02:37Z", b"sometime")
    )
    (row,) = parse_run_folder(run_folder("RunInfo.xml", RunInfo_xml=bad))["sequencing_runs"]
    assert row["run_started_at"] == "sometime"


def test_a_run_folder_that_is_not_one_is_rejected_saying_why():
    with pytest.raises(RawFormatError, match=r"RunInfo.xml: not XML"):
        parse_run_folder(run_folder("RunInfo.xml", RunInfo_xml=b"Run,Id\n1,2\n"))
    with pytest.raises(RawFormatError, match=r"root element <RunParameters> is not <RunInfo>"):
        parse_run_folder(
            run_folder(
                "RunInfo.xml",
                RunInfo_xml=(SAMPLES / "illumina" / "RunParameters.xml").read_bytes(),
            )
        )
    with pytest.raises(RawFormatError, match=r"without RunInfo.xml"):
        parse_run_folder(run_folder("RunParameters.xml"))
    with pytest.raises(RawFormatError, match=r"SampleSheet.csv: not a run folder file"):
        parse_run_folder(run_folder("RunInfo.xml", "SampleSheet.csv"))


QUALITY = f"{RUN}/Analysis/1/Data/BCLConvert/Reports/Quality_Metrics.csv"


def test_quality_metrics_give_one_row_per_lane_with_yield_and_q30():
    content = (SAMPLES / "illumina" / "Quality_Metrics.csv").read_bytes()
    rows = parse_quality_metrics(content, QUALITY, "2025-01-07T03:00:00")["run_qc_metrics"]
    assert [(r["run_id"], r["lane"], r["yield_gb"], r["percent_q30"]) for r in rows] == [
        # Lane 1: 200 Gb over two samples and two reads, 181.6 Gb of it at Q30 or better.
        ("20250106_LH00412_0087_A22FJLMLT3", "1", "200.00", "90.80"),
        ("20250106_LH00412_0087_A22FJLMLT3", "2", "100.00", "91.00"),
    ]
    assert {r["computed_at"] for r in rows} == {"2025-01-07T03:00:00"}
    assert {r["cluster_density_k_mm2"] for r in rows} == {None}  # InterOp's, not the reports'
    assert (
        parse_raw("bclconvert-quality-csv", "run_qc_metrics", content, QUALITY, None)[0]["yield_gb"]
        == "200.00"
    )


def test_a_lane_with_an_unreadable_yield_keeps_it_for_silver_to_quarantine():
    content = (SAMPLES / "illumina" / "Quality_Metrics.csv").read_bytes()
    broken = content.replace(b",2,50000000000,44000000000,", b",2,n/a,44000000000,")
    rows = parse_quality_metrics(broken, QUALITY)["run_qc_metrics"]
    assert [(r["lane"], r["yield_gb"], r["percent_q30"]) for r in rows] == [
        ("1", "200.00", "90.80"),
        ("2", "n/a", None),
    ]


def test_a_file_that_is_not_quality_metrics_is_rejected():
    with pytest.raises(RawFormatError, match=r":1: not a BCL Convert Quality_Metrics.csv \(no "):
        parse_quality_metrics(b"Lane,SampleID,# Reads\n1,S1,100\n", QUALITY)
    with pytest.raises(RawFormatError, match=r":3: .*fields"):
        parse_quality_metrics(b"Lane,Yield,YieldQ30\n1,10,9\n2,10\n", QUALITY)
    with pytest.raises(RawFormatError, match="not UTF-8"):
        parse_quality_metrics(b"\xff\xfe\x00L", QUALITY)


DRAGEN = "s3://landing/variant-calls/sample_qc/dt=2025-01-06/20250106_LH00412_0087_A22FJLMLT3"


def dragen_folder(**replaced: bytes) -> list[RawFile]:
    files = []
    for path in sorted((SAMPLES / "dragen").iterdir()):
        content = replaced.get(path.name, path.read_bytes())
        files.append(RawFile(f"{DRAGEN}/{path.name}", content, "2025-01-06T20:00:00"))
    return files


def test_dragen_metrics_give_one_sample_qc_row_per_sample():
    rows = parse_dragen_metrics(dragen_folder())["sample_qc"]
    assert rows == [
        {
            "sample_id": "SMP-000123",
            "run_id": "20250106_LH00412_0087_A22FJLMLT3",
            "mean_coverage": "38.21",
            "pct_target_bases_20x": "93.47",
            "contamination_estimate": "0.0012",
            "predicted_sex": "XX",
            "reported_sex": None,
            # The whole sample's mapped reads, not the read group's.
            "mapping_rate": "99.12",
            "qc_status": None,
            "called_at": "2025-01-06T20:00:00",
            "_source_file": f"{DRAGEN}/SMP-000123.mapping_metrics.csv",
        },
        {
            "sample_id": "SMP-000456",
            "run_id": "20250106_LH00412_0087_A22FJLMLT3",
            # A targeted panel's QC region instead of the genome.
            "mean_coverage": "112.40",
            "pct_target_bases_20x": "98.91",
            # DRAGEN's NA: kept, silver's decimal cast quarantines this row alone.
            "contamination_estimate": "NA",
            "predicted_sex": None,
            "reported_sex": None,
            "mapping_rate": "98.19",
            "qc_status": None,
            "called_at": "2025-01-06T20:00:00",
            "_source_file": f"{DRAGEN}/SMP-000456.mapping_metrics.csv",
        },
    ]
    assert parse_raw_folder("dragen-metrics-csv", "sample_qc", dragen_folder()) == rows


def test_a_dragen_folder_with_a_foreign_or_malformed_file_is_rejected():
    foreign = [*dragen_folder(), RawFile(f"{DRAGEN}/SMP-000123.hard-filtered.vcf.gz", b"x")]
    with pytest.raises(RawFormatError, match=r"hard-filtered.vcf.gz: not a DRAGEN metrics file"):
        parse_dragen_metrics(foreign)
    with pytest.raises(RawFormatError, match=r"SMP-000456.mapping_metrics.csv:2: not a DRAGEN"):
        parse_dragen_metrics(
            dragen_folder(
                **{"SMP-000456.mapping_metrics.csv": b"MAPPING/ALIGNING SUMMARY,,Reads,1\n<html>\n"}
            )
        )


PHENOTYPE = "s3://landing/variant-calls/pgx_diplotypes/dt=2025-01-06/SMP-000123.phenotype.json"


def test_pharmcat_phenotypes_give_one_row_per_called_gene_cpic_first():
    content = (SAMPLES / "SMP-000123.phenotype.json").read_bytes()
    rows = parse_pharmcat_phenotypes(content, PHENOTYPE, "2025-01-07T00:00:00")["pgx_diplotypes"]
    assert [(r["gene"], r["diplotype"], r["phenotype"], r["activity_score"]) for r in rows] == [
        ("CYP2C19", "*1/*17", "Rapid Metabolizer", None),  # CPIC's, not DPWG's
        ("CYP2C9", "*1/*3", "Intermediate Metabolizer", "1.0"),
        # DPYD: PharmCAT called nothing, so no row. SLCO1B1's score `n/a` is kept for silver.
        ("SLCO1B1", "*1/*5", "Decreased Function", "n/a"),
    ]
    assert {(r["sample_id"], r["caller"], r["called_at"]) for r in rows} == {
        ("SMP-000123", "PharmCAT 2.13.0", "2025-01-06T18:40:11.123Z")
    }
    # Later PharmCAT versions key the reports by gene directly.
    call = b'{"label": "*1/*3A", "phenotypes": ["Intermediate Metabolizer"], "activityScore": 1.5}'
    flat = b'{"geneReports": {"TPMT": {"geneSymbol": "TPMT", "sourceDiplotypes": [%s]}}}' % call
    (row,) = parse_raw("pharmcat-json", "pgx_diplotypes", flat, PHENOTYPE, "2025-01-07T00:00:00")
    assert (row["gene"], row["activity_score"], row["called_at"], row["caller"]) == (
        "TPMT",
        "1.5",
        "2025-01-07T00:00:00",
        "PharmCAT",
    )


def test_a_file_that_is_not_a_pharmcat_phenotype_file_is_rejected():
    with pytest.raises(RawFormatError, match=r":1:2: not JSON"):
        parse_pharmcat_phenotypes(b"{gene: CYP2C19}", PHENOTYPE)
    with pytest.raises(RawFormatError, match="no geneReports object"):
        parse_pharmcat_phenotypes(b'{"genes": {}}', PHENOTYPE)
    with pytest.raises(RawFormatError, match=r"geneReports\.CPIC is not an object"):
        parse_pharmcat_phenotypes(b'{"geneReports": {"CPIC": []}}', PHENOTYPE)
