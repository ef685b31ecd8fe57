"""chartpulse_daily run for real, for one day, against the stack AirflowDailyIT starts (it sets the environment:
the MongoDB URI, the lake's and the archive's settings, CHARTPULSE_COMMAND running the CLI's jar). The rollup is
read back with pymongo, MongoDB's own Python driver; a second run of the same day leaves every document as it was.
Run by that Java test only: on its own it fails, naming what is missing."""

import http.server
import importlib
import os
import subprocess
import sys
import threading

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


class Pushgateway(http.server.ThreadingHTTPServer):
    """Records what the batch job pushes (path and body), as a Prometheus Pushgateway would receive it."""

    def __init__(self):
        self.pushes = []
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                gateway.pushes.append((self.path, body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


def documents(db, collection):
    docs = list(db[collection].find({"interval": "2026-12-01"}).sort("_id"))
    for d in docs:
        d.pop("run_id")
        d.pop("computed_at")
    return docs


def test_a_day_runs_through_every_task_and_a_second_run_changes_nothing():
    dag = daily_dag()
    db = pymongo.MongoClient(os.environ["CHARTPULSE_MONGO_URI"])[os.environ.get("CHARTPULSE_MONGO_DATABASE", "chartpulse")]

    gateway = Pushgateway()
    os.environ["CHARTPULSE_PUSHGATEWAY_URL"] = gateway.url()
    try:
        run = dag.test(logical_date=RUN)
    finally:
        gateway.shutdown()
        os.environ.pop("CHARTPULSE_PUSHGATEWAY_URL")
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
    # What the batch SLA alerts read: each step's outcome, and the newest day rolled up (2026-12-01 ends 2026-12-02).
    pushed = dict(gateway.pushes)
    assert set(pushed) == {
        "/metrics/job/chartpulse_batch/step/rollup/grain/day",
        "/metrics/job/chartpulse_batch/step/reconcile/grain/day",
    }, gateway.pushes
    rollup = pushed["/metrics/job/chartpulse_batch/step/rollup/grain/day"]
    assert "chartpulse_batch_last_run_ok 1\n" in rollup
    end = pendulum.datetime(2026, 12, 2, tz="UTC").int_timestamp
    assert f"chartpulse_batch_completed_interval_end_seconds {end}.000\n" in rollup
    assert "chartpulse_batch_last_run_ok 1\n" in pushed["/metrics/job/chartpulse_batch/step/reconcile/grain/day"]

    before = {c: documents(db, c) for c in ("product_daily", "chart_daily", "funnel_daily", "rank_ctr_daily")}
    first_run = db["chart_daily"].find_one({"interval": "2026-12-01"})["run_id"]
    again = dag.test(logical_date=RUN)
    assert str(again.state) in ("success", "DagRunState.SUCCESS"), again.state
    assert db["chart_daily"].find_one({"interval": "2026-12-01"})["run_id"] != first_run
    after = {c: documents(db, c) for c in before}
    assert after == before
