"""Shared by the DAG tests: a private AIRFLOW_HOME with a SQLite metadata database, no example DAGs, and the DAGs
folder on sys.path as Airflow puts it there for the DAG files' own imports (chartpulse_tasks)."""

import os
import sys
import tempfile
from pathlib import Path

DAGS = Path(__file__).resolve().parent.parent / "dags"

os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="chartpulse-airflow-"))
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS)
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "False")
sys.path.insert(0, str(DAGS))
