"""chartpulse_replay: reprocess a time range of the raw archive, on demand.

Triggered by hand (or by the API) with params: ``from`` and ``to`` (UTC instants or days), and ``target``
(``mongo``, ``lake`` or both). Runs ``chartpulse replay``, which pushes the archive's events through the streams
app's own validation, dedup and enrichment code and rewrites MongoDB ``events``/``sessions`` and the lake's
partitions for the range with no duplicates; then rolls up again every day the range touches. Safe to run twice.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import DAG, Param, chain, task

from chartpulse_tasks import DEFAULT_ARGS, batch_task, mapped_batch_task

with DAG(
    dag_id="chartpulse_replay",
    description="Replay a range of the raw archive into MongoDB and the lake, then roll its days up again",
    schedule=None,
    start_date=pendulum.datetime(2026, 11, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={
        "from": Param("2026-12-01", type="string", description="First instant or day of the range (UTC)"),
        "to": Param("2026-12-02", type="string", description="End of the range, exclusive (UTC)"),
        "target": Param("mongo,lake", type="string", enum=["mongo,lake", "mongo", "lake"]),
    },
    tags=["chartpulse", "batch"],
    doc_md=__doc__,
) as dag:
    replay = batch_task(
        "replay",
        [
            "replay",
            "--from",
            "{{ params['from'] }}",
            "--to",
            "{{ params['to'] }}",
            "--target",
            "{{ params['target'] }}",
        ],
        execution_timeout=timedelta(hours=12),
    )

    @task
    def days(params=None) -> list[list[str]]:
        """The rollup arguments of every day the range touches."""
        start = pendulum.parse(params["from"]).in_timezone("UTC").start_of("day")
        end = pendulum.parse(params["to"]).in_timezone("UTC")
        out = []
        day = start
        while day < end:
            out.append(["batch", "rollup", "--interval", day.strftime("%Y-%m-%d")])
            day = day.add(days=1)
        return out

    rollups = mapped_batch_task("rollup", days())
    chain(replay, rollups)
