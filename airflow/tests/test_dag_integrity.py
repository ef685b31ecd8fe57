"""The DAGs load under the real Airflow with both runners, and are declared as the README says."""

import importlib
import os
import sys
from datetime import timedelta

import pytest
from airflow.dag_processing.dagbag import DagBag

from conftest import DAGS


def load(runner):
    os.environ["CHARTPULSE_AIRFLOW_RUNNER"] = runner
    sys.modules.pop("chartpulse_tasks", None)
    importlib.invalidate_caches()
    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}, bag.import_errors
    return bag


@pytest.fixture(params=["local", "kubernetes"])
def bag(request):
    return request.param, load(request.param)


def test_the_three_dags_load(bag):
    _, b = bag
    assert sorted(b.dags) == ["chartpulse_daily", "chartpulse_gap_repair", "chartpulse_replay"]


def test_daily_is_a_data_interval_dag_with_catchup_and_bounded_runs(bag):
    _, b = bag
    dag = b.dags["chartpulse_daily"]
    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    assert dag.timetable.expression == "0 0 * * *"
    assert str(dag.timetable.timezone) in ("UTC", "Timezone('UTC')")
    assert dag.catchup is True
    assert dag.max_active_runs == 3
    assert dag.dagrun_timeout == timedelta(hours=30)
    assert dag.on_failure_callback is not None


def test_daily_task_graph_is_ready_rollup_reconcile_maintain(bag):
    _, b = bag
    dag = b.dags["chartpulse_daily"]
    order = ["wait_until_ready", "rollup", "reconcile", "maintain_lake"]
    assert sorted(t.task_id for t in dag.tasks) == sorted(order)
    for before, after in zip(order, order[1:]):
        assert dag.get_task(before).downstream_task_ids == {after}
    assert dag.get_task("wait_until_ready").upstream_task_ids == set()


def test_batch_tasks_retry_with_backoff(bag):
    _, b = bag
    rollup = b.dags["chartpulse_daily"].get_task("rollup")
    assert rollup.retries == 3
    assert rollup.retry_exponential_backoff
    assert rollup.max_retry_delay == timedelta(hours=1)
    assert rollup.execution_timeout == timedelta(hours=2)


def test_rollup_updates_the_four_rollup_assets(bag):
    _, b = bag
    outlets = b.dags["chartpulse_daily"].get_task("rollup").outlets
    assert sorted(a.name for a in outlets) == [
        "chartpulse.chart_daily",
        "chartpulse.funnel_daily",
        "chartpulse.product_daily",
        "chartpulse.rank_ctr_daily",
    ]


def test_each_runner_runs_the_command_for_the_run_s_interval(bag):
    runner, b = bag
    dag = b.dags["chartpulse_daily"]
    rollup = dag.get_task("rollup")
    sensor = dag.get_task("wait_until_ready")
    if runner == "local":
        assert type(rollup).__name__ == "BashOperator"
        assert "batch rollup --interval" in rollup.bash_command
        assert "data_interval_start" in rollup.bash_command
        assert type(sensor).__name__ == "PythonSensor"
        assert sensor.mode == "reschedule"
    else:
        assert type(rollup).__name__ == "KubernetesPodOperator"
        assert rollup.arguments[:3] == ["batch", "rollup", "--interval"]
        assert "chartpulse_namespace" in rollup.namespace
        assert "chartpulse_batch_image" in rollup.image
        spec = rollup.pod_template_dict["spec"]
        assert "chartpulse_service_account" in spec["serviceAccountName"]
        assert "chartpulse_batch_memory" in spec["containers"][0]["resources"]["limits"]["memory"]
        assert type(sensor).__name__ == "KubernetesPodOperator"
        assert sensor.deferrable
        assert "--wait" in sensor.arguments


def test_replay_takes_its_range_as_params_and_rolls_the_days_up_again(bag):
    _, b = bag
    dag = b.dags["chartpulse_replay"]
    assert type(dag.timetable).__name__ == "NullTimetable"
    assert set(dag.params.keys()) == {"from", "to", "target"}
    assert dag.get_task("replay").downstream_task_ids == {"rollup"}
    assert dag.max_active_runs == 1


def test_gap_repair_maps_the_rollup_over_the_gaps(bag):
    _, b = bag
    dag = b.dags["chartpulse_gap_repair"]
    rollup = dag.get_task("rollup")
    assert type(rollup).__name__ == "MappedOperator"
    assert dag.catchup is False
    assert dag.get_task("find_gaps").downstream_task_ids == {"rollup"}


def test_an_unknown_runner_is_refused_with_its_name():
    os.environ["CHARTPULSE_AIRFLOW_RUNNER"] = "docker"
    sys.modules.pop("chartpulse_tasks", None)
    with pytest.raises(ValueError, match="docker"):
        importlib.import_module("chartpulse_tasks")
    os.environ["CHARTPULSE_AIRFLOW_RUNNER"] = "local"
    sys.modules.pop("chartpulse_tasks", None)
