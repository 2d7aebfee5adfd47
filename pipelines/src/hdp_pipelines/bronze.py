"""landing -> bronze: read one landing partition, add ingestion metadata, write it to bronze.

Bronze keeps what arrived: csv and ndjson values as strings, parquet as typed, raw formats parsed
into the table's columns as strings. A rerun of a partition replaces that partition's rows (one
atomic Delta commit with `replaceWhere` on `_landing_date`), so reruns are idempotent and a new
day is an append.
"""

from __future__ import annotations

import posixpath
import uuid
from dataclasses import dataclass
from datetime import datetime

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .raw import FOLDER_PARSERS, RAW_TABLES, RawFile, RawFormatError, parse_raw, parse_raw_folder
from .spec import TableSpec

# Metadata columns bronze adds to every row (silver keeps the first four).
BATCH_ID = "_batch_id"
INGESTED_AT = "_ingested_at"
LANDING_DATE = "_landing_date"
SOURCE_FILE = "_source_file"
ROW_ID = "_row_id"
ERROR = "_error"
METADATA_COLUMNS = (BATCH_ID, INGESTED_AT, LANDING_DATE, SOURCE_FILE, ROW_ID, ERROR)


@dataclass(frozen=True)
class BronzeResult:
    table: str
    batch_id: str
    rows: int
    files: int


def path_exists(spark: SparkSession, path: str) -> bool:
    """Whether a path exists on the file system Spark reads it with (S3, DBFS, local)."""
    jvm = spark.sparkContext._jvm
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    fs = hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    return bool(fs.exists(hpath))


def empty_files(spark: SparkSession, path: str) -> list[tuple[str, str]]:
    """The zero-length files under `path` (not hidden), with their modification times.

    Spark's file scans skip empty files, but some are data: a run folder's completion markers
    (`RTAComplete.txt`, `CopyComplete.txt`) say by being there, and when they were written, that
    the run ended. Listed on the driver through the file system Spark reads with.
    """
    jvm = spark.sparkContext._jvm
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    fs = hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    found = fs.listFiles(hpath, True)
    out = []
    while found.hasNext():
        status = found.next()
        name = status.getPath().getName()
        if status.getLen() == 0 and not name.startswith((".", "_")):
            # Local time, as Spark gives binaryFile's modificationTime to Python.
            when = datetime.fromtimestamp(status.getModificationTime() / 1000)
            out.append((status.getPath().toString(), when.isoformat()))
    return out


def read_landing(spark: SparkSession, spec: TableSpec, date: str) -> DataFrame:
    """One landing partition as rows with `_source_file` and `_error`; one reader per format."""
    path = spec.landing.partition(date)
    fmt = spec.landing.format
    if fmt == "csv":
        df = spark.read.options(header=True, inferSchema=False, mode="PERMISSIVE").csv(path)
    elif fmt == "ndjson":
        df = spark.read.options(primitivesAsString=True, mode="PERMISSIVE").json(path)
    elif fmt == "parquet":
        df = spark.read.parquet(path)
    else:
        return _read_raw(spark, spec, path)
    df = df.withColumn(SOURCE_FILE, F.col("_metadata.file_path"))
    if "_corrupt_record" in df.columns:
        df = df.withColumn(
            ERROR,
            F.when(F.col("_corrupt_record").isNotNull(), F.lit("malformed record")),
        ).drop("_corrupt_record")
    else:
        df = df.withColumn(ERROR, F.lit(None).cast("string"))
    return df


def _read_raw(spark: SparkSession, spec: TableSpec, path: str) -> DataFrame:
    """Raw vendor files parsed into the table's columns (strings); a bad file: one error row."""
    names = [c.name for c in spec.columns]
    fmt, table = spec.landing.format, spec.table
    if table not in RAW_TABLES[fmt]:
        raise ValueError(
            f"{spec.key}: the {fmt} parser produces {', '.join(sorted(RAW_TABLES[fmt]))}, "
            f"not {table}: give the table a landingFormat of its own"
        )
    # Files below the partition too: a run folder or DRAGEN output folder keeps its own directory.
    files = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(path)

    def row(rec, file):
        return (*[rec.get(n) for n in names], rec.get(SOURCE_FILE) or file, None)

    def failed(file, e):
        return (*[None for _ in names], file, f"unparseable {fmt} file: {e}")

    def parse(rows):  # runs on the executors
        for r in rows:
            modified = r.modificationTime.isoformat() if r.modificationTime else None
            try:
                for rec in parse_raw(fmt, table, bytes(r.content), r.path, modified):
                    yield row(rec, r.path)
            except (RawFormatError, UnicodeDecodeError, ValueError) as e:
                yield failed(r.path, e)

    def parse_folder(group):  # one directory's files together, on the executors
        folder, found = group
        batch = sorted((RawFile(*f) for f in found), key=lambda f: f.path)
        try:
            for rec in parse_raw_folder(fmt, table, batch):
                yield row(rec, folder)
        except (RawFormatError, UnicodeDecodeError, ValueError) as e:
            yield failed(f"{folder}/", e)

    schema = T.StructType(
        [T.StructField(n, T.StringType()) for n in names]
        + [T.StructField(SOURCE_FILE, T.StringType()), T.StructField(ERROR, T.StringType())]
    )
    if fmt in FOLDER_PARSERS:
        found = files.rdd.map(
            lambda r: (
                r.path,
                bytes(r.content),
                r.modificationTime.isoformat() if r.modificationTime else None,
            )
        ).union(
            spark.sparkContext.parallelize(
                [(p, b"", modified) for p, modified in empty_files(spark, path)], 1
            )
        )
        grouped = found.map(lambda f: (posixpath.dirname(f[0]), f)).groupByKey()
        return spark.createDataFrame(grouped.flatMap(parse_folder), schema)
    return spark.createDataFrame(files.rdd.mapPartitions(parse), schema)


def run_bronze(spark: SparkSession, spec: TableSpec, date: str) -> BronzeResult:
    """Lands one partition in bronze; a missing partition is no data, not an error."""
    target = spec.names.bronze
    if target is None:
        raise ValueError(f"{spec.key}: the table does not reach bronze")
    batch_id = uuid.uuid4().hex
    path = spec.landing.partition(date)
    if not path_exists(spark, path):
        print(f"bronze {spec.key} {date}: no landing partition at {path}; nothing to do")
        return BronzeResult(target, batch_id, 0, 0)
    df = (
        read_landing(spark, spec, date)
        .withColumn(BATCH_ID, F.lit(batch_id))
        .withColumn(INGESTED_AT, F.current_timestamp())
        .withColumn(LANDING_DATE, F.lit(date).cast("date"))
        .withColumn(ROW_ID, F.monotonically_increasing_id())
    ).cache()
    counts = df.agg(F.count(F.lit(1)), F.count_distinct(SOURCE_FILE)).first()
    rows, files = int(counts[0]), int(counts[1])
    writer = df.write.format("delta").option("mergeSchema", "true")
    if spark.catalog.tableExists(target):
        writer.mode("overwrite").option("replaceWhere", f"{LANDING_DATE} = '{date}'").saveAsTable(
            target
        )
    else:
        writer.mode("append").partitionBy(LANDING_DATE).saveAsTable(target)
    df.unpersist()
    print(f"bronze {spec.key} {date}: {rows} rows from {files} files -> {target} ({batch_id})")
    return BronzeResult(target, batch_id, rows, files)
