"""Reads a ChartPulse lake table with pyiceberg + pyarrow (a reader ChartPulse did not write) and prints JSON.

Usage: read_table.py TABLE  (catalog and S3 settings from the environment: CATALOG_URI, WAREHOUSE,
S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION; COLUMNS names the columns to return per row).
"""

import datetime
import json
import os
import sys

from pyiceberg.catalog.sql import SqlCatalog


def main() -> None:
    table_name = sys.argv[1]
    catalog = SqlCatalog(
        "chartpulse",
        **{
            "uri": os.environ["CATALOG_URI"],
            "warehouse": os.environ["WAREHOUSE"],
            "s3.endpoint": os.environ["S3_ENDPOINT"],
            "s3.access-key-id": os.environ["S3_ACCESS_KEY"],
            "s3.secret-access-key": os.environ["S3_SECRET_KEY"],
            "s3.region": os.environ["S3_REGION"],
            "s3.force-virtual-addressing": "false",
        },
    )
    table = catalog.load_table(table_name)
    columns = os.environ["COLUMNS"].split(",")
    arrow = table.scan(selected_fields=tuple(columns)).to_arrow()

    def plain(value):
        if isinstance(value, datetime.datetime):
            return int(value.timestamp() * 1000)
        return value

    rows = [{c: plain(v) for c, v in zip(columns, row)} for row in zip(*(arrow.column(c).to_pylist() for c in columns))]
    out = {
        "count": arrow.num_rows,
        "schema": {field.name: str(field.type) for field in arrow.schema},
        "partition_spec": str(table.spec()),
        "snapshot_summary": dict(table.current_snapshot().summary.additional_properties) if table.current_snapshot() else {},
        "rows": rows,
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
