"""chartpulse_daily: each UTC day, once its data is in, roll it up, reconcile it and maintain the lake.

One run per data interval (the day [data_interval_start, data_interval_end)); catchup is on, so a new deployment
or a paused DAG fills the days it missed, and ``airflow dags backfill`` reruns any range. Every task is idempotent
for its day, which is what makes retries, catchup and backfills safe.

    wait_until_ready -> rollup -> reconcile -> maintain_lake

- wait_until_ready: ``chartpulse batch ready`` until the day is closed (its lookback has passed and the lake and
  the raw archive have committed past it); up to 24 h.
- rollup: ``chartpulse batch rollup`` into MongoDB and the lake; updates the rollup Assets.
- reconcile: ``chartpulse batch reconcile``; fails the run when the closed day's counts disagree.
- maintain_lake: ``chartpulse lake maintain`` (snapshot expiry, compaction of closed days, orphan removal).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import DAG, chain
from airflow.sdk.definitions.timetables.interval import CronDataIntervalTimetable

from chartpulse_tasks import DAY, DEFAULT_ARGS, ROLLUP_ASSETS, batch_task, ready_sensor, run_failed

with DAG(
    dag_id="chartpulse_daily",
    description="Roll up, reconcile and maintain each UTC day once it is closed",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=pendulum.datetime(2026, 11, 1, tz="UTC"),
    catchup=True,
    max_active_runs=3,
    max_active_tasks=6,
    default_args=DEFAULT_ARGS,
    # The SLA is a timeout: a day's run fails (and says so) when it has not finished 30 h after it started, its
    # readiness wait included. (Airflow 3.3.2's DeadlineAlert breaks dag.test() on a successful run - DagRun.
    # update_state looks the alerts up by id and gets their definitions - so the DAG does not declare one.)
    dagrun_timeout=timedelta(hours=30),
    on_failure_callback=run_failed,
    tags=["chartpulse", "batch"],
    doc_md=__doc__,
) as dag:
    wait_until_ready = ready_sensor("wait_until_ready", DAY, timeout=timedelta(hours=24), retries=0)
    rollup = batch_task(
        "rollup",
        ["batch", "rollup", "--interval", DAY, "--target", "mongo,lake"],
        outlets=ROLLUP_ASSETS,
    )
    reconcile = batch_task("reconcile", ["batch", "reconcile", "--interval", DAY], retries=1)
    maintain_lake = batch_task("maintain_lake", ["lake", "maintain"], retries=2)
    chain(wait_until_ready, rollup, reconcile, maintain_lake)
