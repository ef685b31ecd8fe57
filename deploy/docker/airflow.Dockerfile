# Airflow with ChartPulse's DAGs and the batch job's command line, for the compose stack's `airflow` profile: the DAGs
# run `chartpulse …` as local BashOperator tasks (CHARTPULSE_AIRFLOW_RUNNER=local); on Kubernetes they run the batch
# image as pods instead and this image is not needed. Airflow's version is the one airflow/requirements.txt pins.
# Build context: the repository root, after ./mvnw -B package -DskipTests:
#   docker build -f deploy/docker/airflow.Dockerfile -t chartpulse/airflow:0.1.0 .
FROM apache/airflow:3.3.2-python3.11
USER root
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /opt/chartpulse \
    && printf '#!/bin/sh\nexec java ${CHARTPULSE_JAVA_OPTS:-} -jar /opt/chartpulse/chartpulse-cli.jar "$@"\n' > /usr/local/bin/chartpulse \
    && chmod 0755 /usr/local/bin/chartpulse
COPY --chown=50000:0 cli/target/chartpulse-cli-0.1.0-SNAPSHOT-all.jar /opt/chartpulse/chartpulse-cli.jar
COPY --chown=50000:0 connect-config/connectors /opt/chartpulse/connect-config/connectors
COPY --chown=50000:0 airflow/dags /opt/airflow/dags
USER 50000
WORKDIR /opt/chartpulse
ENV CHARTPULSE_AIRFLOW_RUNNER=local \
    CHARTPULSE_COMMAND=chartpulse \
    CHARTPULSE_LAKE_CONNECTOR_CONFIG=/opt/chartpulse/connect-config/connectors/iceberg-enriched-events.json \
    CHARTPULSE_ARCHIVE_CONNECTOR_CONFIG=/opt/chartpulse/connect-config/connectors/s3-raw-events.json
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s --retries=5 \
    CMD curl -fsS http://127.0.0.1:8080/api/v2/monitor/health || exit 1
