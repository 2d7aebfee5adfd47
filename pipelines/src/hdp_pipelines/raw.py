"""Raw vendor formats -> per-table rows. Pure functions: bytes in, plain dicts of strings out.

Values stay strings (as they were in the file, timestamps normalised to ISO 8601): bronze keeps
what arrived, silver casts and quarantines. A value that does not normalise (an HL7 timestamp that
is not one) stays as it arrived, so its row still reaches bronze and silver quarantines that row
alone, with its reason; only a file that is not its format at all (`RawFormatError`) is lost
whole, as one error row. Each parser returns `{table id: [row, ...]}`.

HL7, VCF and FASTQ are read here; the other files of the genomics drops (Illumina run folders and
BCL Convert reports, DRAGEN metrics and PharmCAT calls) in `raw_illumina.py` and `raw_dragen.py`.
A folder parser (`FOLDER_PARSERS`) takes a directory's files together; the others one file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PurePosixPath

from .raw_common import RawFile, RawFormatError, Row, Tables
from .raw_dragen import parse_dragen_metrics, parse_pharmcat_phenotypes
from .raw_illumina import parse_quality_metrics, parse_run_folder

__all__ = ["RawFile", "RawFormatError", "Row", "Tables"]


# ---------------------------------------------------------------------------------------- HL7 v2


_HL7_TS = re.compile(r"(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?")


def hl7_timestamp(value: str | None) -> str | None:
    """HL7 TS/DTM (`YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]`) -> ISO 8601, or None when empty.

    A value that is not an HL7 timestamp (`n/a`, or no such date: `20261301`) is returned as it
    is: one bad field must not lose the file's other rows. Silver's timestamp cast then fails on
    it and quarantines its row, the value in its reason as it arrived.
    """
    if not value:
        return None
    m = _HL7_TS.fullmatch(value)
    if not m:
        return value
    y, mo, d, h, mi, s, frac, tz = m.groups()
    try:
        datetime(int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return value
    out = f"{y}-{mo or '01'}-{d or '01'}T{h or '00'}:{mi or '00'}:{s or '00'}"
    if frac:
        out += f".{frac}"
    if tz:
        out += f"{tz[:3]}:{tz[3:]}"
    return out


def _component(field: str, index: int = 0, sep: str = "^") -> str | None:
    parts = field.split(sep)
    value = parts[index] if index < len(parts) else ""
    return value or None


def parse_hl7_oru_r01(content: bytes, file: str = "") -> Tables:
    """ORU^R01 messages (one or many per file) -> `lab_orders` (OBR), `lab_results` (OBX),
    `specimens` (SPM, HL7 v2.5 and later) and the microbiology tables `micro_cultures` and
    `micro_susceptibilities` (see `_MicroOrder`).

    Segments end with CR (LF and CRLF are accepted too); each message starts with MSH.
    """
    text = content.decode("utf-8-sig", errors="strict").replace("\r\n", "\r").replace("\n", "\r")
    segments = [s for s in text.split("\r") if s.strip()]
    if not segments or not segments[0].startswith("MSH"):
        raise RawFormatError(f"{file}: not an HL7 v2 message (no MSH segment first)")
    orders: list[Row] = []
    results: list[Row] = []
    specimens: list[Row] = []
    cultures: list[Row] = []
    susceptibilities: list[Row] = []
    msh: list[str] = []
    pid: list[str] = []
    pv1: list[str] = []
    obr: list[str] = []
    micro = _MicroOrder([], [])
    for seg in segments:
        if seg.startswith("MSH") or seg.startswith("OBR"):
            cultures.extend(micro.cultures())
        if seg.startswith("MSH"):
            sep = seg[3]
            # MSH-1 is the field separator itself, so it is put back as msh[1]: MSH-n is msh[n].
            msh = ["MSH", sep, *seg[4:].split(sep)]
            message_type = _field(msh, 9)
            if not message_type.startswith("ORU^R01"):
                raise RawFormatError(f"{file}: message type {message_type!r} is not ORU^R01")
            pid, pv1, obr = [], [], []
            continue
        fields = seg.split(msh[1] if msh else "|")
        kind = fields[0]
        if kind == "PID":
            pid = fields
        elif kind == "PV1":
            pv1 = fields
        elif kind == "OBR":
            obr = fields
            micro = _MicroOrder(msh, obr)
            orders.append(
                {
                    "accession_number": _accession(obr),
                    "order_code": _component(_field(obr, 4)),
                    "placer_order_number": _component(_field(obr, 2)),
                    "mrn": _component(_field(pid, 3)),
                    "encounter_csn": _component(_field(pv1, 19)),
                    "ordering_provider_npi": _component(_field(obr, 16)),
                    "order_priority": _field(obr, 5) or None,
                    "ordered_at": hl7_timestamp(_field(obr, 6)),
                    "collected_at": hl7_timestamp(_field(obr, 7)),
                    "performing_lab": _component(_field(obr, 21)) if _field(obr, 21) else None,
                    "message_control_id": _field(msh, 10) or None,
                    "message_time": hl7_timestamp(_field(msh, 7)),
                }
            )
        elif kind == "OBX":
            if not obr:
                raise RawFormatError(f"{file}: OBX segment before any OBR")
            code = _field(fields, 3)
            value_type = _field(fields, 2)
            value = _field(fields, 5)
            results.append(
                {
                    "accession_number": _accession(obr),
                    "order_code": _component(_field(obr, 4)),
                    "observation_seq": _field(fields, 1) or None,
                    "loinc_code": _component(code, 0) if _component(code, 2) == "LN" else None,
                    "local_test_code": _component(code, 3)
                    or (_component(code, 0) if _component(code, 2) != "LN" else None),
                    "result_value": value or None,
                    "numeric_value": value if value_type in ("NM", "SN") and value else None,
                    "units": _component(_field(fields, 6)),
                    "reference_range": _field(fields, 7) or None,
                    "abnormal_flag": _field(fields, 8) or None,
                    "result_status": _field(fields, 11) or None,
                    "observed_at": hl7_timestamp(_field(fields, 14)),
                    "resulted_at": hl7_timestamp(_field(fields, 19)),
                    "message_time": hl7_timestamp(_field(msh, 7)),
                }
            )
            susceptibility = micro.observation(fields)
            if susceptibility is not None:
                susceptibilities.append(susceptibility)
        elif kind == "SPM":
            # v2.5+ ORU^R01: the SPECIMEN group of the ORDER_OBSERVATION it follows.
            if not obr:
                raise RawFormatError(f"{file}: SPM segment before any OBR")
            specimens.append(
                {
                    "specimen_id": _specimen_id(_field(fields, 2)),
                    "accession_number": _accession(obr),
                    "specimen_type": _component(_field(fields, 4)),
                    "specimen_source_site": _component(_field(fields, 8)),
                    # SPM-17 is a range (DR): its start is when the specimen was collected.
                    "collected_at": hl7_timestamp(_component(_field(fields, 17))),
                    "received_at": hl7_timestamp(_field(fields, 18)),
                    "rejection_reason": _component(_field(fields, 21), 1)
                    or _component(_field(fields, 21)),
                    "message_time": hl7_timestamp(_field(msh, 7)),
                }
            )
            micro.specimen(fields)
    cultures.extend(micro.cultures())
    return {
        "lab_orders": orders,
        "lab_results": results,
        "specimens": specimens,
        "micro_cultures": cultures,
        "micro_susceptibilities": susceptibilities,
    }


class _MicroOrder:
    """The microbiology rows of one ORDER_OBSERVATION group (an OBR and what follows it), the way
    HL7 v2.5.1 (chapter 7; the US ELR and LRI guides) reports cultures:

    - A culture's OBR carries one OBX per isolate: coded (CWE or CE) organism in OBX-5
      (SNOMED CT `code^name^SCT`), the isolate numbered by the sub-ID OBX-4, which never changes
      while the culture goes from preliminary to final (OBX-11 P -> F, C). Other OBX of the order
      with the same sub-ID describe that isolate (an uncoded one, e.g. `Heavy growth`, is its
      growth quantity); OBX without a sub-ID (Gram stain, comments, a coded qualitative result)
      are no isolate. The culture source is the specimen type of the group's SPM (SPM-4), else
      OBR-15.
    - Susceptibilities come in a child OBR linked to its parent: OBR-26 (parent result) names the
      isolate's OBX-3^OBX-4^OBX-5, OBR-29 (parent) the culture's placer^filler numbers. Each
      antimicrobial is one OBX: the drug in OBX-3, the isolate by OBX-4 (else OBR-26's sub-ID),
      the MIC or zone in OBX-5 (SN `<=^0.25` reads `<=0.25`), S/I/R in OBX-8 and the method in
      OBX-17. The accession is the culture's: OBR-29's filler number when OBR-29 is there (the
      child's own filler number only when the child names no parent order).

    A segment that *is* an isolate's but cannot say which isolate never vanishes: a coded OBX of
    an organism-identification observation (`_identifies_organism`) without a sub-ID gives a
    culture row with a null `isolate_number`, and an OBX of a child panel whose OBR-26 names an
    organism-identification result, with no sub-ID in OBX-4 nor OBR-26, a susceptibility row
    with a null `isolate_number`: silver quarantines both (a key may not be null), with their
    reason, like an unreadable timestamp. A child order that names no organism result (a reflex
    test linked by OBR-29, or by OBR-26 to another kind of result) is no isolate's: its OBX
    without a sub-ID stay out of the micro tables (they are `lab_results` rows).

    Every OBX still gives its `lab_results` row too: these tables are views of the same feed.
    """

    def __init__(self, msh: list[str], obr: list[str]) -> None:
        self._msh = msh
        self._obr = obr
        parent_result = _field(obr, 26)
        self._child = bool(parent_result or _field(obr, 29))
        self._parent_isolate = _isolate(_component(parent_result, 1))
        # OBR-26.1 is the parent OBX-3 (a CE, its parts as subcomponents): an organism's
        # identification makes this child the panel of an isolate, readable or not.
        parent_code = (_component(parent_result, 0) or "").replace("&", "^")
        self._isolate_panel = _identifies_organism(parent_code)
        self._isolates: list[Row] = []
        self._described: dict[str, str] = {}
        # OBR-15 (SPS): its first component is the specimen source, a code as its first part.
        self._source = _component(_component(_field(obr, 15)) or "", 0, "&")

    def observation(self, obx: list[str]) -> Row | None:
        """Takes one OBX of the group; returns its susceptibility row when it is one."""
        isolate = _isolate(_field(obx, 4))
        message_time = hl7_timestamp(_field(self._msh, 7))
        if self._child:
            isolate = isolate or self._parent_isolate
            if isolate is None and not self._isolate_panel:
                return None  # a reflex test's result, not an isolate's susceptibility
            parent = _field(self._obr, 29)
            return {
                # The culture's accession: OBR-29's filler number (null when OBR-29 names none,
                # so silver quarantines the row), the child's own when it names no parent order.
                "accession_number": _component(_field(parent.split("^"), 1), 0, "&")
                if parent
                else _accession(self._obr),
                "isolate_number": isolate,
                "antibiotic_code": _component(_field(obx, 3)),
                "mic_value": "".join(_field(obx, 5).split("^")) or None,
                "interpretation": _field(obx, 8) or None,
                "method": _component(_field(obx, 17)),
                "message_time": message_time,
            }
        coded = _field(obx, 2) in ("CWE", "CE")
        if isolate is None and not (coded and _identifies_organism(_field(obx, 3))):
            return None  # no isolate's: a Gram stain, a comment, a coded qualitative result
        if coded:
            value = _field(obx, 5)
            status = _field(obx, 11)
            self._isolates.append(
                {
                    "accession_number": _accession(self._obr),
                    "isolate_number": isolate,
                    "culture_source": None,
                    "organism_code": _component(value, 0),
                    "organism_name": _component(value, 1) or _component(value, 8),
                    "growth_quantity": None,
                    "is_final": None if not status else str(status in ("F", "C")).lower(),
                    "resulted_at": hl7_timestamp(_field(obx, 19) or _field(self._obr, 22)),
                    "message_time": message_time,
                }
            )
        elif isolate is not None and _field(obx, 5):
            self._described.setdefault(isolate, _field(obx, 5))
        return None

    def specimen(self, spm: list[str]) -> None:
        self._source = _component(_field(spm, 4)) or self._source

    def cultures(self) -> list[Row]:
        """The group's isolates, complete once the group has ended (SPM follows the OBX)."""
        rows = [
            {
                **row,
                "culture_source": self._source,
                "growth_quantity": None
                if row["isolate_number"] is None
                else self._described.get(row["isolate_number"]),
            }
            for row in self._isolates
        ]
        self._isolates = []
        return rows


def _isolate(sub_id: str | None) -> str | None:
    """An isolate's number from an OBX-4 sub-ID: `1`, or the first part of a dotted `1.2`.

    Anything else (`n/a`, `1a`) stays as it arrived: silver's integer cast quarantines its row.
    """
    if not sub_id:
        return None
    m = re.fullmatch(r"(\d+)(?:\.\d+)*", sub_id)
    return str(int(m[1])) if m else sub_id


# LOINC's generic "Microorganism identified" (the ELR guide's culture result); specimen-specific
# ones are named "<Bacteria|Fungus|Virus|...> identified in <specimen> by <method>".
_ORGANISM_IDENTIFIED = "11475-1"


def _identifies_organism(code: str) -> bool:
    """Whether an observation identifier (OBX-3, CE/CWE `code^text^system`) is an organism's
    identification: LOINC 11475-1, or a name with "identified" (LOINC's organism-identification
    component, e.g. 600-7 `Bacteria identified in Blood by Culture`). Such an OBX is an isolate's
    even when its sub-ID is missing; a Gram stain (664-3) or a coded qualitative test is not."""
    return _component(code, 0) == _ORGANISM_IDENTIFIED or " identified" in (
        f" {_component(code, 1) or ''}".lower()
    )


def _field(fields: list[str], n: int) -> str:
    return fields[n] if n < len(fields) else ""


def _specimen_id(field: str) -> str | None:
    """SPM-2 (EIP: placer^filler, each an EI whose id is its first subcomponent): the filler's
    id when the lab assigned one, else the placer's."""
    filler = _component(_field(field.split("^"), 1), 0, "&")
    return filler or _component(_field(field.split("^"), 0), 0, "&")


def _accession(obr: list[str]) -> str | None:
    """The filler's accession: OBR-20 when the lab fills it, else OBR-3 (filler order number)."""
    return _component(_field(obr, 20)) or _component(_field(obr, 3))


# ------------------------------------------------------------------------------------------- VCF


def parse_vcf(content: bytes, file: str = "") -> Tables:
    """A single-sample VCF (plain or gzip) -> `variants`: one row per ALT allele of each record."""
    if content[:2] == b"\x1f\x8b":
        content = gzip.decompress(content)
    lines = content.decode("utf-8").splitlines()
    meta: dict[str, str] = {}
    header: list[str] = []
    rows: list[Row] = []
    for n, line in enumerate(lines, start=1):
        if line.startswith("##"):
            key, _, value = line[2:].partition("=")
            meta.setdefault(key, value)
            continue
        if line.startswith("#CHROM"):
            header = line[1:].split("\t")
            if len(header) < 10:
                raise RawFormatError(f"{file}:{n}: the header names no sample column")
            continue
        if not line.strip():
            continue
        if not header:
            raise RawFormatError(f"{file}:{n}: record before the #CHROM header")
        cols = line.split("\t")
        if len(cols) != len(header):
            raise RawFormatError(
                f"{file}:{n}: {len(cols)} columns where the header has {len(header)}"
            )
        rec = dict(zip(header, cols, strict=True))
        info = _vcf_info(rec["INFO"])
        fmt = dict(zip(rec["FORMAT"].split(":"), cols[9].split(":"), strict=False))
        ann = info.get("ANN", "").split(",")
        for i, alt in enumerate(rec["ALT"].split(",")):
            a = ann[i].split("|") if i < len(ann) and ann[i] else []
            rows.append(
                {
                    "sample_id": header[9],
                    "chrom": rec["CHROM"],
                    "pos": rec["POS"],
                    "ref": rec["REF"],
                    "alt": alt,
                    "genotype": fmt.get("GT"),
                    "qual": None if rec["QUAL"] == "." else rec["QUAL"],
                    "filter": rec["FILTER"],
                    "depth": fmt.get("DP") or info.get("DP"),
                    "allele_fraction": _nth(fmt.get("AF"), i),
                    "gene_symbol": a[3] if len(a) > 3 and a[3] else None,
                    "hgvs_c": a[9] if len(a) > 9 and a[9] else None,
                    "hgvs_p": a[10] if len(a) > 10 and a[10] else None,
                    "consequence": a[1] if len(a) > 1 and a[1] else None,
                    "clinvar_significance": info.get("CLNSIG"),
                    "gnomad_af": _nth(info.get("gnomAD_AF"), i),
                    "pipeline_version": meta.get("DRAGENVersion") or meta.get("source"),
                    "called_at": _vcf_date(meta.get("fileDate")),
                }
            )
    if not header:
        raise RawFormatError(f"{file}: no #CHROM header line")
    return {"variants": rows}


def _vcf_info(info: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in info.split(";"):
        if not item or item == ".":
            continue
        k, _, v = item.partition("=")
        out[k] = v or "true"
    return out


def _nth(value: str | None, i: int) -> str | None:
    if not value or value == ".":
        return None
    parts = value.split(",")
    return parts[i] if i < len(parts) and parts[i] != "." else None


def _vcf_date(value: str | None) -> str | None:
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", value)
    return f"{m[1]}-{m[2]}-{m[3]}T00:00:00" if m else value


# ----------------------------------------------------------------------------------------- FASTQ

_FASTQ_NAME = re.compile(
    r"^(?P<sample>.+?)_S\d+(?:_L(?P<lane>\d{3}))?_R(?P<read>[12])_\d{3}\.fastq(?:\.gz)?$"
)


def parse_fastq(content: bytes, file: str, modified_at: str | None = None) -> Tables:
    """One FASTQ file -> one `fastq_files` manifest row (counts and checksums, never the reads).

    The path follows Illumina's BCL Convert layout: `.../<run_id>/Analysis/<n>/Data/BCLConvert/
    fastq/<sample>_S<n>_L<lane>_R<read>_001.fastq.gz`.
    """
    path = PurePosixPath(file)
    m = _FASTQ_NAME.match(path.name)
    if not m:
        raise RawFormatError(
            f"{file}: not a BCL Convert FASTQ name (<sample>_S1_L001_R1_001.fastq.gz)"
        )
    parts = path.parts
    run_id = parts[parts.index("Analysis") - 1] if "Analysis" in parts else None
    raw = gzip.decompress(content) if content[:2] == b"\x1f\x8b" else content
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if len(lines) % 4 != 0:
        raise RawFormatError(f"{file}: {len(lines)} lines is not a whole number of 4-line records")
    for i in range(0, len(lines), 4):
        if not lines[i].startswith(b"@") or not lines[i + 2].startswith(b"+"):
            raise RawFormatError(f"{file}: record {i // 4 + 1} is not a FASTQ record")
        if len(lines[i + 1]) != len(lines[i + 3]):
            raise RawFormatError(
                f"{file}: record {i // 4 + 1}: sequence and quality lengths differ"
            )
    return {
        "fastq_files": [
            {
                "file_path": file,
                "run_id": run_id,
                "sample_id": m["sample"],
                "lane": str(int(m["lane"])) if m["lane"] else None,
                "read_number": m["read"],
                "file_size_bytes": str(len(content)),
                "md5": hashlib.md5(content, usedforsecurity=False).hexdigest(),
                "read_count": str(len(lines) // 4),
                "created_at": modified_at,
            }
        ]
    }


Parser = Callable[[bytes, str, str | None], Tables]
FolderParser = Callable[[list[RawFile]], Tables]

# Readers of one file at a time.
PARSERS: dict[str, Parser] = {
    "hl7": lambda content, file, _modified: parse_hl7_oru_r01(content, file),
    "vcf": lambda content, file, _modified: parse_vcf(content, file),
    "fastq": parse_fastq,
    "bclconvert-quality-csv": parse_quality_metrics,
    "pharmcat-json": parse_pharmcat_phenotypes,
}

# Readers of a folder's files together (the files of one directory of the landing partition:
# a run folder, a DRAGEN output folder), whose rows take values from several files.
FOLDER_PARSERS: dict[str, FolderParser] = {
    "illumina-run-xml": parse_run_folder,
    "dragen-metrics-csv": parse_dragen_metrics,
}


def _load_raw_tables() -> dict[str, frozenset[str]]:
    """`raw_tables.json` (beside this file): the one list of what each raw parser produces, which
    `hdp validate` reads too, so a config table with no parser fails there, at its line."""
    manifest = json.loads((Path(__file__).parent / "raw_tables.json").read_text(encoding="utf-8"))
    formats = {fmt: entry for fmt, entry in manifest.items() if not fmt.startswith("$")}
    return {fmt: frozenset(entry["tables"]) for fmt, entry in formats.items()}


# The tables each raw format's parser produces. Other tables of a raw-format source have no
# parser: `hdp validate` refuses them, and their bronze step fails saying so.
RAW_TABLES: dict[str, frozenset[str]] = _load_raw_tables()


def parse_raw(
    fmt: str, table: str, content: bytes, file: str, modified_at: str | None
) -> list[Row]:
    """The rows one raw file gives one table (empty when the file holds nothing for the table)."""
    return PARSERS[fmt](content, file, modified_at).get(table, [])


def parse_raw_folder(fmt: str, table: str, files: list[RawFile]) -> list[Row]:
    """The rows one folder's files give one table (a folder reader's format)."""
    return FOLDER_PARSERS[fmt](files).get(table, [])
