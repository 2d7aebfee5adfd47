"""One SparkSession for the whole run: local[2], Delta Lake, a temp warehouse, no UI."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    from delta import configure_spark_with_delta_pip
    from pyspark.sql import SparkSession

    # Python-side datetimes are read in the process time zone: make it UTC like the session's.
    os.environ["TZ"] = "UTC"
    time.tzset()
    # Python workers run this venv's interpreter (it has hdp_pipelines), not whatever `python3` is.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    warehouse = Path(tempfile.mkdtemp(prefix="hdp-spark-warehouse-"))
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("hdp-pipelines-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.warehouse.dir", str(warehouse / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={warehouse / 'derby'}")
        .config("spark.sql.session.timeZone", "UTC")
        # Delta reads its log with 50 partitions by default: far too many for tiny local tables.
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "2")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config(
            "spark.sql.catalog.spark_catalog",
            "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        )
    )
    session = configure_spark_with_delta_pip(builder).getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
        shutil.rmtree(warehouse, ignore_errors=True)
