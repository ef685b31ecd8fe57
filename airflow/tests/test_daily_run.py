"""chartpulse_daily run for real, for one day, against the stack AirflowDailyIT starts (it sets the environment:
the MongoDB URI, the lake's and the archive's settings, CHARTPULSE_COMMAND running the CLI's jar). The rollup is
read back with pymongo, MongoDB's own Python driver; a second run of the same day leaves every document as it was.
Run by that Java test only: on its own it fails, naming what is missing."""

import importlib
import os
import subprocess
import sys

import pendulum
import pymongo
from airflow.dag_processing.dagbag import DagBag

from conftest import DAGS

# A manual run's data interval is the last whole day before its logical date: this one covers 2026-12-01.
RUN = pendulum.datetime(2026, 12, 2, tz="UTC")
NEEDED = ("CHARTPULSE_MONGO_URI", "CHARTPULSE_COMMAND", "CHARTPULSE_LAKE_CONNECTOR_CONFIG", "CHARTPULSE_TEST_CHARTS")


def daily_dag():
    missing = [n for n in NEEDED if not os.environ.get(n)]
    assert not missing, f"run by AirflowDailyIT, which sets {missing}"
    os.environ["CHARTPULSE_AIRFLOW_RUNNER"] = "local"
    sys.modules.pop("chartpulse_tasks", None)
    importlib.invalidate_caches()
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True, capture_output=True)
    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    return bag.dags["chartpulse_daily"]


def documents(db, collection):
    docs = list(db[collection].find({"interval": "2026-12-01"}).sort("_id"))
    for d in docs:
        d.pop("run_id")
        d.pop("computed_at")
    return docs


def test_a_day_runs_through_every_task_and_a_second_run_changes_nothing():
    dag = daily_dag()
    db = pymongo.MongoClient(os.environ["CHARTPULSE_MONGO_URI"])[os.environ.get("CHARTPULSE_MONGO_DATABASE", "chartpulse")]

    run = dag.test(logical_date=RUN)
    assert run.data_interval_start == pendulum.datetime(2026, 12, 1, tz="UTC")
    assert str(run.state) in ("success", "DagRunState.SUCCESS"), run.state
    states = {ti.task_id: str(ti.state) for ti in run.get_task_instances()}
    assert set(states) == {"wait_until_ready", "rollup", "reconcile", "maintain_lake"}
    assert all(s in ("success", "TaskInstanceState.SUCCESS") for s in states.values()), states

    charts = sorted(os.environ["CHARTPULSE_TEST_CHARTS"].split(","))
    chart_daily = documents(db, "chart_daily")
    assert sorted(d["chart_id"] for d in chart_daily) == charts
    assert all(d["product_impressions"] > 0 for d in chart_daily)
    assert db["funnel_daily"].count_documents({"interval": "2026-12-01", "chart_id": "*"}) == 1
    assert db["reconcile_reports"].find_one({"_id": "2026-12-01"})["status"] == "OK"
    assert db["batch_runs"].find_one({"_id": "rollup|day|2026-12-01"}) is not None

    before = {c: documents(db, c) for c in ("product_daily", "chart_daily", "funnel_daily", "rank_ctr_daily")}
    first_run = db["chart_daily"].find_one({"interval": "2026-12-01"})["run_id"]
    again = dag.test(logical_date=RUN)
    assert str(again.state) in ("success", "DagRunState.SUCCESS"), again.state
    assert db["chart_daily"].find_one({"interval": "2026-12-01"})["run_id"] != first_run
    after = {c: documents(db, c) for c in before}
    assert after == before
