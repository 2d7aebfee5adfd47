"""PySpark + Delta Lake ingest code, parameterised by a per-table JSON spec."""
