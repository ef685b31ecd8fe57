"""chartpulse_gap_repair: find the days no rollup completed and roll each up, in parallel.

Once a day, ``chartpulse batch gaps`` lists the due days since ``since`` (param; default 35 days back) that
``batch_runs`` has no completed rollup for — a run that failed all its retries, a day before the DAG existed —
and the rollup task is mapped over them, one task (one pod) per day.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, Param, task

from chartpulse_tasks import DEFAULT_ARGS, RUNNER, gaps, mapped_batch_task

with DAG(
    dag_id="chartpulse_gap_repair",
    description="Roll up every due day that no rollup has completed",
    schedule="0 12 * * *",
    start_date=pendulum.datetime(2026, 11, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    max_active_tasks=4,
    default_args=DEFAULT_ARGS,
    params={"since_days": Param(35, type="integer", minimum=1, description="How many days back to look")},
    tags=["chartpulse", "batch"],
    doc_md=__doc__,
) as dag:
    if RUNNER == "local":

        @task
        def find_gaps(params=None, data_interval_end=None) -> list[list[str]]:
            since = data_interval_end.subtract(days=int(params["since_days"])).strftime("%Y-%m-%d")
            return [["batch", "rollup", "--interval", day] for day in gaps(since)]

        intervals = find_gaps()
    else:
        from chartpulse_tasks import batch_task

        listed = batch_task(
            "list_gaps",
            [
                "batch",
                "gaps",
                "--since",
                "{{ data_interval_end.subtract(days=params['since_days']).strftime('%Y-%m-%d') }}",
                "--json-file",
                "/airflow/xcom/return.json",
            ],
            do_xcom_push=True,
        )

        @task
        def find_gaps(days: list[str]) -> list[list[str]]:
            return [["batch", "rollup", "--interval", day] for day in days]

        intervals = find_gaps(listed.output)

    mapped_batch_task("rollup", intervals)
