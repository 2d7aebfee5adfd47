"""The raw-format parsers on real-shaped samples (no Spark)."""

import gzip
import json
from pathlib import Path

import pytest

from hdp_pipelines import raw
from hdp_pipelines.raw import (
    FOLDER_PARSERS,
    PARSERS,
    RAW_TABLES,
    RawFormatError,
    hl7_timestamp,
    parse_fastq,
    parse_hl7_oru_r01,
    parse_raw,
    parse_raw_folder,
    parse_vcf,
)
from hdp_pipelines.raw_common import RawFile
from hdp_pipelines.spec import RAW_FORMATS

SAMPLES = Path(__file__).parent / "samples"


def test_hl7_timestamps_become_iso_8601():
    assert hl7_timestamp("20260301101500-0600") == "2026-03-01T10:15:00-06:00"
    assert hl7_timestamp("202603011015") == "2026-03-01T10:15:00"
    assert hl7_timestamp("20260301") == "2026-03-01T00:00:00"
    assert hl7_timestamp("") is None


def test_a_value_that_is_no_hl7_timestamp_stays_as_it_arrived():
    # Not normalised, not an error: silver's timestamp cast quarantines the row with its text.
    assert hl7_timestamp("March 1st") == "March 1st"
    assert hl7_timestamp("n/a") == "n/a"
    assert hl7_timestamp("20261301") == "20261301"  # month 13
    assert hl7_timestamp("20260230120000") == "20260230120000"  # 30 February


def test_oru_r01_with_one_bad_timestamp_keeps_every_row():
    sample = (SAMPLES / "oru_r01.hl7").read_bytes()
    good = parse_hl7_oru_r01(sample, "oru_r01.hl7")
    # OBX 2's observation time (OBX-14) and the SPM's received time (SPM-18) are `n/a`.
    bad_obx = b"|H|||F|||n/a\r"
    assert sample.count(b"|H|||F|||20260301100000-0600\r") == 1
    broken = sample.replace(b"|H|||F|||20260301100000-0600\r", bad_obx).replace(
        b"|20260301094500-0600|", b"|n/a|"
    )
    tables = parse_hl7_oru_r01(broken, "oru_r01.hl7")
    assert tables["lab_orders"] == good["lab_orders"]
    results = tables["lab_results"]
    assert [r["observation_seq"] for r in results] == ["1", "2", "3"]
    assert [r["observed_at"] for r in results] == [
        "2026-03-01T10:00:00-06:00",
        "n/a",
        None,
    ]
    assert [results[0], results[2]] == [good["lab_results"][0], good["lab_results"][2]]
    assert results[1] == {**good["lab_results"][1], "observed_at": "n/a"}
    assert tables["specimens"] == [{**good["specimens"][0], "received_at": "n/a"}]


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


def test_oru_r01_gives_one_culture_row_per_isolate_with_its_growth_and_source():
    tables = parse_hl7_oru_r01((SAMPLES / "oru_r01_micro.hl7").read_bytes(), "micro.hl7")
    preliminary, *final = tables["micro_cultures"]
    # The preliminary report (SPM gives the source; the Gram stain has no sub-ID: no isolate).
    assert preliminary == {
        "accession_number": "MB2600123",
        "isolate_number": "1",
        "culture_source": "BLD",
        "organism_code": "3092008",
        "organism_name": "Staphylococcus aureus",
        "growth_quantity": None,
        "is_final": "false",
        "resulted_at": "2026-03-02T17:55:00-06:00",
        "message_time": "2026-03-02T18:00:00-06:00",
    }
    # The final report: the same isolate 1 (same sub-ID) now final with its growth, isolate 2
    # known by its original text only; the source from OBR-15 (no SPM in that message).
    assert [
        (r["isolate_number"], r["organism_code"], r["organism_name"], r["growth_quantity"])
        for r in final
    ] == [
        ("1", "3092008", "Staphylococcus aureus", "Heavy growth"),
        ("2", None, "Coagulase-negative staphylococcus", None),
    ]
    assert {(r["culture_source"], r["is_final"], r["accession_number"]) for r in final} == {
        ("BLD", "true", "MB2600123")
    }
    assert final[0]["resulted_at"] == "2026-03-03T08:00:00-06:00"
    assert final[1]["resulted_at"] == "2026-03-03T08:10:00-06:00"
    # The susceptibility panel's OBX are no isolates; every OBX still is a lab result.
    assert len(tables["lab_results"]) == 2 + 4 + 3


def test_oru_r01_gives_one_susceptibility_row_per_antimicrobial_of_a_child_order():
    tables = parse_hl7_oru_r01((SAMPLES / "oru_r01_micro.hl7").read_bytes(), "micro.hl7")
    rows = tables["micro_susceptibilities"]
    # The culture's accession from OBR-29, not the child order's own filler number.
    assert {r["accession_number"] for r in rows} == {"MB2600123"}
    assert {r["message_time"] for r in rows} == {"2026-03-03T08:15:00-06:00"}
    fields = ("isolate_number", "antibiotic_code", "mic_value", "interpretation", "method")
    assert [tuple(r[f] for f in fields) for r in rows] == [
        ("1", "OXA", "<=0.25", "S", "MIC"),
        ("1", "VAN", "2", "S", "MIC"),
        # No OBX-4: the isolate is OBR-26's sub-ID; a disk zone rather than an MIC.
        ("1", "SXT", "12", "R", "DISK"),
    ]


def test_oru_r01_micro_rows_need_an_isolate():
    msh = b"MSH|^~\\&|L|H|R|S|20260301||ORU^R01|9|P|2.5.1\r"
    # A coded result without a sub-ID (e.g. a qualitative test) is no isolate.
    coded = msh + b"OBR|1|P1|ACC1|COVID^^L\rOBX|1|CWE|94500-6^^LN||260373001^Detected^SCT\r"
    assert parse_hl7_oru_r01(coded)["micro_cultures"] == []
    # A reflex child order without any isolate sub-ID gives no susceptibility.
    reflex = msh + b"OBR|1|P1|ACC2|HIVR^^L" + b"|" * 25 + b"^ACC1\rOBX|1|ST|X^^L||pos\r"
    tables = parse_hl7_oru_r01(reflex)
    assert tables["micro_susceptibilities"] == []
    assert len(tables["lab_results"]) == 1
    # A reflex child order linked by OBR-26 to a result that identifies no organism: the same.
    reflex26 = msh + b"OBR|1|P1|ACC2|HIVR^^L" + b"|" * 22 + b"75622-1&HIV screen&LN\r"
    reflex26 += b"OBX|1|ST|X^^L||pos\r"
    assert parse_hl7_oru_r01(reflex26)["micro_susceptibilities"] == []
    # Dotted sub-IDs name their isolate by the first part; any other sub-ID stays as it arrived.
    dotted = msh + b"OBR|1|P1|ACC3|UCUL^^L\rOBX|1|CWE|630-4^^LN|2.1|112283007^E. coli^SCT\r"
    assert [r["isolate_number"] for r in parse_hl7_oru_r01(dotted)["micro_cultures"]] == ["2"]
    odd = dotted.replace(b"|2.1|", b"|2a|")
    assert [r["isolate_number"] for r in parse_hl7_oru_r01(odd)["micro_cultures"]] == ["2a"]


def test_oru_r01_an_isolate_without_its_sub_id_surfaces_with_a_null_isolate_number():
    msh = b"MSH|^~\\&|L|H|R|S|20260301||ORU^R01|9|P|2.5.1\r"
    obr = b"OBR|1|P1|ACC1|CUL^Culture^L\r"
    organism = b"OBX|1|CWE|11475-1^Microorganism identified^LN||3092008^S. aureus^SCT||||||F\r"
    growth = b"OBX|2|ST|GROWTH^Growth quantity^L||Heavy growth||||||F\r"
    gram = b"OBX|3|CWE|664-3^Gram stain^LN||GPC^Gram positive cocci^L||||||F\r"
    tables = parse_hl7_oru_r01(msh + obr + organism + growth + gram)
    # The organism OBX is an isolate's (its observation identifies an organism) but says not
    # which one: its row keeps a null isolate_number, a key silver quarantines; the growth OBX
    # without a sub-ID describes no isolate, and the Gram stain is none.
    assert [
        (r["accession_number"], r["isolate_number"], r["organism_code"], r["growth_quantity"])
        for r in tables["micro_cultures"]
    ] == [("ACC1", None, "3092008", None)]
    assert len(tables["lab_results"]) == 3
    # A specimen-specific organism identification (LOINC's "... identified ...") the same.
    blood = organism.replace(
        b"11475-1^Microorganism identified", b"600-7^Bacteria identified in Blood by Culture"
    )
    rows = parse_hl7_oru_r01(msh + obr + blood)["micro_cultures"]
    assert [r["isolate_number"] for r in rows] == [None]


def test_oru_r01_a_susceptibility_without_its_isolate_or_culture_surfaces_with_null_keys():
    msh = b"MSH|^~\\&|L|H|R|S|20260301||ORU^R01|9|P|2.5.1\r"
    parent = b"OBR|1|P1|ACC1|CUL^Culture^L\r"

    def child(obr26: bytes, obr29: bytes) -> bytes:
        return b"OBR|2||ACC1-S|29576-6^^LN" + b"|" * 22 + obr26 + b"|||" + obr29 + b"\r"

    drug = b"OBX|1|SN|OXA^Oxacillin^L||<=^0.25|ug/mL||S|||F||||||MIC^^L\r"
    # OBR-26 names the organism result but no sub-ID, and OBX-4 has none: which isolate is
    # unknown, so the row surfaces with a null isolate_number instead of vanishing.
    no_isolate = msh + parent + child(b"11475-1&Microorganism identified&LN^", b"^ACC1") + drug
    rows = parse_hl7_oru_r01(no_isolate)["micro_susceptibilities"]
    assert [(r["accession_number"], r["isolate_number"], r["antibiotic_code"]) for r in rows] == [
        ("ACC1", None, "OXA")
    ]
    # OBR-29 without the culture's filler number: the accession is null, not the child's own.
    no_culture = msh + parent + child(b"11475-1&Microorganism identified&LN^1", b"^") + drug
    rows = parse_hl7_oru_r01(no_culture)["micro_susceptibilities"]
    assert [(r["accession_number"], r["isolate_number"]) for r in rows] == [(None, "1")]
    # A child naming no parent order (OBR-26 only) keeps its own accession.
    own = msh + parent + child(b"11475-1&Microorganism identified&LN^1", b"") + drug
    rows = parse_hl7_oru_r01(own)["micro_susceptibilities"]
    assert [(r["accession_number"], r["isolate_number"]) for r in rows] == [("ACC1-S", "1")]


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


def test_every_table_of_raw_tables_json_is_produced_by_its_parser():
    """raw_tables.json is what `hdp validate` lets a raw-format source declare: each entry must
    come out of its parser, with rows, on a real-shaped sample (and nothing unlisted)."""
    manifest = json.loads((Path(raw.__file__).parent / "raw_tables.json").read_text())
    formats = {k: v for k, v in manifest.items() if not k.startswith("$")}
    assert sorted(formats) == sorted({**PARSERS, **FOLDER_PARSERS}) == sorted(RAW_FORMATS)
    samples = {
        # One batch file of the lab's messages: a chemistry panel, then a culture's reports.
        "hl7": (
            (SAMPLES / "oru_r01.hl7").read_bytes() + (SAMPLES / "oru_r01_micro.hl7").read_bytes(),
            "oru_r01.hl7",
        ),
        "vcf": ((SAMPLES / "sample.vcf").read_bytes(), "sample.vcf"),
        "fastq": (_fastq(2), "run/Analysis/1/Data/BCLConvert/fastq/S-1_S1_L001_R1_001.fastq"),
        "bclconvert-quality-csv": (
            (SAMPLES / "illumina" / "Quality_Metrics.csv").read_bytes(),
            "run/Analysis/1/Data/BCLConvert/Reports/Quality_Metrics.csv",
        ),
        "pharmcat-json": (
            (SAMPLES / "SMP-000123.phenotype.json").read_bytes(),
            "SMP-000123.phenotype.json",
        ),
    }
    folders = {
        "illumina-run-xml": [
            RawFile(f"run/{n}", (SAMPLES / "illumina" / n).read_bytes())
            for n in ("RunInfo.xml", "RunParameters.xml")
        ],
        "dragen-metrics-csv": [
            RawFile(f"run/{p.name}", p.read_bytes()) for p in (SAMPLES / "dragen").iterdir()
        ],
    }
    for fmt, entry in formats.items():
        listed = set(entry["tables"])
        assert listed, fmt
        assert RAW_TABLES[fmt] == listed
        # A reader of other files of a drop names the drop's format, and reads folders or not.
        assert entry.get("deliveredBy", fmt) in formats, fmt
        assert entry.get("folder", False) == (fmt in FOLDER_PARSERS), fmt
        if fmt in FOLDER_PARSERS:
            produced = FOLDER_PARSERS[fmt](folders[fmt])
        else:
            content, file = samples[fmt]
            produced = PARSERS[fmt](content, file, None)
        assert set(produced) == listed, fmt
        for table in listed:
            assert produced[table], f"{fmt}/{table}: the sample gave no row"
            if fmt in FOLDER_PARSERS:
                assert parse_raw_folder(fmt, table, folders[fmt]) == produced[table]
            else:
                assert parse_raw(fmt, table, content, file, None) == produced[table]
