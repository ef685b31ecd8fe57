"""How ChartPulse's DAGs run the batch job: one place that turns a `chartpulse ...` command into a task.

Two runners, chosen when the DAGs are parsed by the environment variable CHARTPULSE_AIRFLOW_RUNNER:

- ``kubernetes`` (the default, production): a KubernetesPodOperator running the batch image
  (deploy/docker/batch.Dockerfile). Namespace, image, service account and resources come from Airflow
  Variables, read when the task runs (templated), so changing them needs no redeploy of the DAGs:

  ========================== ======================================== ==========================
  Variable                   meaning                                  default
  ========================== ======================================== ==========================
  chartpulse_namespace       namespace of the pods                    chartpulse
  chartpulse_batch_image     image of the batch job                   chartpulse/batch:0.1.0
  chartpulse_service_account service account of the pods              chartpulse-batch
  chartpulse_batch_cpu       CPU request                              1
  chartpulse_batch_memory    memory request and limit                 3Gi
  ========================== ======================================== ==========================

  The pod reads its settings (lake catalog, S3, MongoDB, Kafka) from the overlay's ConfigMap ``chartpulse-batch``
  and the sinks' Secrets (chartpulse-s3, chartpulse-mongo, chartpulse-lake-catalog), as the CronJob of
  k8s/base/batch.yaml does.
- ``local`` (dev and the tests): the command runs on the Airflow worker itself, as CHARTPULSE_COMMAND (default
  ``chartpulse``, e.g. the repository's ./chartpulse script) followed by the arguments, with the worker's
  environment (CHARTPULSE_MONGO_URI, CHARTPULSE_LAKE_CONNECTOR_CONFIG, ...). The readiness sensor pokes every
  CHARTPULSE_AIRFLOW_POKE_SECONDS (default 600); every task retries CHARTPULSE_AIRFLOW_RETRIES times (default 3).

Every task of the batch job is idempotent for its interval, so Airflow's retries are always safe.
"""

from __future__ import annotations

import json
import logging
import os
import shlex
import subprocess
from datetime import timedelta

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.sdk import Asset

log = logging.getLogger(__name__)

RUNNER = os.environ.get("CHARTPULSE_AIRFLOW_RUNNER", "kubernetes")
if RUNNER not in ("kubernetes", "local"):
    raise ValueError(f"CHARTPULSE_AIRFLOW_RUNNER must be kubernetes or local, got {RUNNER!r}")

# What every batch task retries with: a run is bound to its interval and replaces its output, so a retry is safe.
DEFAULT_ARGS = {
    "owner": "chartpulse",
    "retries": int(os.environ.get("CHARTPULSE_AIRFLOW_RETRIES", "3")),
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(hours=1),
    "execution_timeout": timedelta(hours=2),
}

# The daily rollup tables, each a MongoDB collection and an Iceberg table of the same name (RollupTable in batch/;
# an hourly run writes the *_hourly ones, which this daily DAG does not).
ROLLUP_TABLES = ("product_daily", "chart_daily", "funnel_daily", "rank_ctr_daily")

# Assets the daily rollup updates, so that downstream DAGs (BI extracts, exports) can be scheduled on them.
ROLLUP_ASSETS = [Asset(name=f"chartpulse.{t}", uri=f"chartpulse://rollups/{t}", group="chartpulse") for t in ROLLUP_TABLES]

# The interval a data-interval run covers: its UTC day.
DAY = "{{ data_interval_start | ds }}"


def command() -> list[str]:
    """The batch job's command line on a local worker (CHARTPULSE_COMMAND, default chartpulse)."""
    return shlex.split(os.environ.get("CHARTPULSE_COMMAND", "chartpulse"))


def batch_task(task_id: str, arguments: list[str], **kwargs):
    """A task running ``chartpulse <arguments>`` (arguments may hold Jinja templates)."""
    if RUNNER == "local":
        return BashOperator(
            task_id=task_id,
            bash_command=shlex.join([*command(), *arguments]),
            append_env=True,
            **kwargs,
        )
    return _pod(task_id, arguments, **kwargs)


def mapped_batch_task(task_id: str, arguments):
    """A task mapped over ``arguments`` (an XComArg of argument lists): one run of the batch job per interval."""
    if RUNNER == "local":
        return BashOperator.partial(task_id=task_id, append_env=True).expand(
            bash_command=arguments.map(lambda args: shlex.join([*command(), *args]))
        )
    from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator

    return KubernetesPodOperator.partial(task_id=task_id, **_pod_settings(task_id)).expand(arguments=arguments)


def ready_sensor(task_id: str, interval: str, timeout: timedelta, **kwargs):
    """Waits until ``chartpulse batch ready --interval <interval>`` says the interval is closed.

    Local: a PythonSensor in reschedule mode (the worker slot is free between pokes). Kubernetes: a deferrable pod
    running ``batch ready --wait``, which checks once a minute inside the pod while Airflow's triggerer watches it.
    """
    if RUNNER == "local":
        return PythonSensor(
            task_id=task_id,
            python_callable=_ready,
            op_kwargs={"interval": interval},
            mode="reschedule",
            poke_interval=int(os.environ.get("CHARTPULSE_AIRFLOW_POKE_SECONDS", "600")),
            timeout=timeout,
            **kwargs,
        )
    hours = int(timeout.total_seconds() // 3600)
    return _pod(
        task_id,
        ["batch", "ready", "--interval", interval, "--wait", f"PT{max(hours, 1)}H"],
        deferrable=True,
        **kwargs,
    )


def run_local(arguments: list[str]) -> subprocess.CompletedProcess:
    """Runs the batch job on this worker and logs its output."""
    result = subprocess.run([*command(), *arguments], capture_output=True, text=True, check=False)
    for line in (result.stdout + result.stderr).splitlines():
        log.info("%s", line)
    return result


def gaps(since: str) -> list[str]:
    """The due intervals no rollup has completed since ``since`` (``chartpulse batch gaps``)."""
    result = run_local(["batch", "gaps", "--since", since])
    if result.returncode not in (0, 1):
        raise RuntimeError(f"chartpulse batch gaps exited with {result.returncode}: {result.stderr.strip()}")
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


def run_failed(context):
    """A DAG run failed or timed out: one line naming the DAG, the run and the interval, for log-based alerting."""
    run = context.get("dag_run")
    log.error(
        "ChartPulse batch run failed: %s",
        json.dumps(
            {
                "dag_id": getattr(run, "dag_id", None),
                "run_id": getattr(run, "run_id", None),
                "data_interval_start": str(getattr(run, "data_interval_start", None)),
                "reason": str(context.get("reason")),
            }
        ),
    )


def _ready(interval: str) -> bool:
    result = run_local(["batch", "ready", "--interval", interval])
    if result.returncode == 0:
        return True
    if result.returncode == 1:
        return False
    raise RuntimeError(f"chartpulse batch ready exited with {result.returncode}: {result.stderr.strip()}")


# The secrets the batch pods read, as the CronJob of k8s/base/batch.yaml reads them.
SECRET_ENV = [
    {"name": "CHARTPULSE_S3_ACCESS_KEY", "valueFrom": {"secretKeyRef": {"name": "chartpulse-s3", "key": "access-key", "optional": True}}},
    {"name": "CHARTPULSE_S3_SECRET_KEY", "valueFrom": {"secretKeyRef": {"name": "chartpulse-s3", "key": "secret-key", "optional": True}}},
    {"name": "CHARTPULSE_MONGO_URI", "valueFrom": {"secretKeyRef": {"name": "chartpulse-mongo", "key": "uri"}}},
    {"name": "CHARTPULSE_LAKE_CATALOG_USER", "valueFrom": {"secretKeyRef": {"name": "chartpulse-lake-catalog", "key": "user", "optional": True}}},
    {"name": "CHARTPULSE_LAKE_CATALOG_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "chartpulse-lake-catalog", "key": "password", "optional": True}}},
]


def _pod_settings(task_id: str) -> dict:
    return {
        "name": f"chartpulse-{task_id.replace('_', '-')}",
        "namespace": "{{ var.value.get('chartpulse_namespace', 'chartpulse') }}",
        "image": "{{ var.value.get('chartpulse_batch_image', 'chartpulse/batch:0.1.0') }}",
        "cmds": ["chartpulse"],
        # Rendered at run time (pod_template_dict is templated): service account, resources and settings.
        "pod_template_dict": {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"labels": {"app.kubernetes.io/name": "chartpulse-batch", "app.kubernetes.io/part-of": "chartpulse"}},
            "spec": {
                "serviceAccountName": "{{ var.value.get('chartpulse_service_account', 'chartpulse-batch') }}",
                "restartPolicy": "Never",
                "containers": [
                    {
                        "name": "base",
                        "resources": {
                            "requests": {
                                "cpu": "{{ var.value.get('chartpulse_batch_cpu', '1') }}",
                                "memory": "{{ var.value.get('chartpulse_batch_memory', '3Gi') }}",
                            },
                            "limits": {"memory": "{{ var.value.get('chartpulse_batch_memory', '3Gi') }}"},
                        },
                        "envFrom": [{"configMapRef": {"name": "chartpulse-batch"}}],
                        "env": SECRET_ENV,
                    }
                ],
            },
        },
        "get_logs": True,
        "on_finish_action": "delete_succeeded_pod",
    }


def _pod(task_id: str, arguments: list[str], **kwargs):
    from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator

    return KubernetesPodOperator(task_id=task_id, arguments=arguments, **_pod_settings(task_id), **kwargs)
