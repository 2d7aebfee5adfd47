"""The raw-format parsers on real-shaped samples (no Spark)."""

import gzip
from pathlib import Path

import pytest

from hdp_pipelines.raw import (
    RawFormatError,
    hl7_timestamp,
    parse_fastq,
    parse_hl7_oru_r01,
    parse_vcf,
)

SAMPLES = Path(__file__).parent / "samples"


def test_hl7_timestamps_become_iso_8601():
    assert hl7_timestamp("20260301101500-0600") == "2026-03-01T10:15:00-06:00"
    assert hl7_timestamp("202603011015") == "2026-03-01T10:15:00"
    assert hl7_timestamp("20260301") == "2026-03-01T00:00:00"
    assert hl7_timestamp("") is None
    with pytest.raises(RawFormatError):
        hl7_timestamp("March 1st")


def test_oru_r01_gives_one_order_and_one_result_per_obx():
    tables = parse_hl7_oru_r01((SAMPLES / "oru_r01.hl7").read_bytes(), "oru_r01.hl7")
    assert tables["lab_orders"] == [
        {
            "accession_number": "ACC777",
            "order_code": "CBC",
            "placer_order_number": "ORD555",
            "mrn": "MRN123456",
            "encounter_csn": "CSN998877",
            "ordering_provider_npi": "1234567890",
            "order_priority": "R",
            "ordered_at": "2026-03-01T09:00:00-06:00",
            "collected_at": "2026-03-01T09:30:00-06:00",
            "performing_lab": "UMC Core Lab",
            "message_control_id": "MSG0001",
            "message_time": "2026-03-01T10:15:00-06:00",
        }
    ]
    results = tables["lab_results"]
    assert [r["observation_seq"] for r in results] == ["1", "2", "3"]
    hgb = results[0]
    assert hgb["loinc_code"] == "718-7"
    assert hgb["local_test_code"] == "HGB"
    assert hgb["numeric_value"] == "13.2"
    assert hgb["units"] == "g/dL"
    assert hgb["abnormal_flag"] == "N"
    assert hgb["result_status"] == "F"
    assert hgb["observed_at"] == "2026-03-01T10:00:00-06:00"
    assert hgb["resulted_at"] == "2026-03-01T10:10:00-06:00"
    assert results[1]["abnormal_flag"] == "H"
    # A text result has no numeric value; a corrected result keeps its status.
    assert results[2]["numeric_value"] is None
    assert results[2]["result_value"] == "Specimen slightly hemolyzed"
    assert results[2]["result_status"] == "C"
    assert {r["accession_number"] for r in results} == {"ACC777"}


def test_oru_r01_gives_one_specimen_per_spm_of_its_order():
    tables = parse_hl7_oru_r01((SAMPLES / "oru_r01.hl7").read_bytes(), "oru_r01.hl7")
    assert tables["specimens"] == [
        {
            "specimen_id": "SPC456",
            "accession_number": "ACC777",
            "specimen_type": "BLD",
            "specimen_source_site": "LA",
            "collected_at": "2026-03-01T09:30:00-06:00",
            "received_at": "2026-03-01T09:45:00-06:00",
            "rejection_reason": "Hemolyzed",
            "message_time": "2026-03-01T10:15:00-06:00",
        }
    ]
    # Only the placer's id, a collection range, no rejection: still one row.
    msg = (
        b"MSH|^~\\&|L|H|R|S|20260301||ORU^R01^ORU_R01|2|P|2.5.1\r"
        b"OBR|1|P1|ACC9|GLU^^L\r"
        b"SPM|1|PLC9&UMC||SER|||||||||||||20260301080000^20260301080500\r"
    )
    spm = parse_hl7_oru_r01(msg)["specimens"]
    assert [(r["specimen_id"], r["accession_number"], r["specimen_type"]) for r in spm] == [
        ("PLC9", "ACC9", "SER")
    ]
    assert spm[0]["collected_at"] == "2026-03-01T08:00:00"
    assert (spm[0]["received_at"], spm[0]["rejection_reason"]) == (None, None)
    with pytest.raises(RawFormatError, match="SPM segment before any OBR"):
        parse_hl7_oru_r01(b"MSH|^~\\&|L|H|R|S|20260301||ORU^R01|3|P|2.5.1\rSPM|1|X\r")


def test_oru_r01_accepts_lf_segment_endings_and_rejects_other_messages():
    text = (SAMPLES / "oru_r01.hl7").read_bytes().replace(b"\r", b"\n")
    assert len(parse_hl7_oru_r01(text)["lab_results"]) == 3
    with pytest.raises(RawFormatError, match="ADT"):
        parse_hl7_oru_r01(b"MSH|^~\\&|A|B|C|D|20260301||ADT^A01|1|P|2.5.1\rPID|1\r")
    with pytest.raises(RawFormatError, match="MSH"):
        parse_hl7_oru_r01(b"PID|1||X\r")


def test_vcf_gives_one_variant_row_per_alt_allele_gzip_or_not():
    plain = (SAMPLES / "sample.vcf").read_bytes()
    for content in (plain, gzip.compress(plain)):
        rows = parse_vcf(content, "sample.vcf")["variants"]
        assert [(r["chrom"], r["pos"], r["ref"], r["alt"]) for r in rows] == [
            ("chr7", "117559590", "ATCT", "A"),
            ("chr1", "11794419", "G", "A"),
            ("chr1", "11794419", "G", "T"),
        ]
    cftr = rows[0]
    assert cftr["sample_id"] == "NA12878-T1"
    assert cftr["genotype"] == "0/1"
    assert cftr["allele_fraction"] == "0.4844"
    assert cftr["depth"] == "64"
    assert cftr["gene_symbol"] == "CFTR"
    assert cftr["consequence"] == "frameshift_variant"
    assert cftr["hgvs_c"] == "c.1521_1523del"
    assert cftr["hgvs_p"] == "p.Phe508del"
    assert cftr["pipeline_version"] == "4.3.6"
    assert cftr["called_at"] == "2026-03-02T00:00:00"
    assert [r["allele_fraction"] for r in rows[1:]] == ["0.3871", "0.3548"]
    assert rows[1]["filter"] == "LowQual"


def test_vcf_rejects_records_without_a_header_and_ragged_lines():
    with pytest.raises(RawFormatError, match="before the #CHROM header"):
        parse_vcf(b"chr1\t1\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n")
    bad = (SAMPLES / "sample.vcf").read_bytes() + b"chr2\t5\t.\tA\n"
    with pytest.raises(RawFormatError, match="columns"):
        parse_vcf(bad, "x.vcf")


def _fastq(reads: int) -> bytes:
    return b"".join(
        b"@A01234:17:HXXXXDSX5:1:1101:%d:1000 1:N:0:ACGT\nACGTACGTAC\n+\nFFFFFFFF:F\n" % i
        for i in range(reads)
    )


def test_fastq_gives_a_run_manifest_row_not_reads():
    content = gzip.compress(_fastq(3))
    path = (
        "novaseqx/230101_A01234_0017_BHXXXXDSX5/Analysis/1/Data/BCLConvert/fastq/"
        "S-0042_S7_L002_R1_001.fastq.gz"
    )
    (row,) = parse_fastq(content, path, "2026-03-02T04:05:06")["fastq_files"]
    assert row == {
        "file_path": path,
        "run_id": "230101_A01234_0017_BHXXXXDSX5",
        "sample_id": "S-0042",
        "lane": "2",
        "read_number": "1",
        "file_size_bytes": str(len(content)),
        "md5": __import__("hashlib").md5(content).hexdigest(),
        "read_count": "3",
        "created_at": "2026-03-02T04:05:06",
    }


def test_fastq_rejects_truncated_files_and_foreign_names():
    with pytest.raises(RawFormatError, match="4-line"):
        parse_fastq(_fastq(2)[:-12], "run/Analysis/1/x/S1_S1_L001_R1_001.fastq")
    with pytest.raises(RawFormatError, match="BCL Convert"):
        parse_fastq(_fastq(1), "reads.fq")
