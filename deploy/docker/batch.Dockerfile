# The batch job: chartpulse batch rollup | reconcile | ready | gaps, chartpulse replay, chartpulse lake maintain and
# chartpulse erase run, run by the Kubernetes CronJobs of k8s/base/batch.yaml or by Airflow's KubernetesPodOperator
# (airflow/).
# A one-shot job, so no HEALTHCHECK: its exit code is its health. The command is `chartpulse <args>`.
# Build context: the repository root, after ./mvnw -B package -DskipTests:
#   docker build -f deploy/docker/batch.Dockerfile -t chartpulse/batch:0.1.0 .
FROM eclipse-temurin:17.0.13_11-jre-jammy
RUN groupadd --system --gid 10001 chartpulse && useradd --system --uid 10001 --gid chartpulse --home-dir /app chartpulse \
    && printf '#!/bin/sh\nexec java ${CHARTPULSE_JAVA_OPTS:-} -jar /app/chartpulse-cli.jar "$@"\n' > /usr/local/bin/chartpulse \
    && chmod 0755 /usr/local/bin/chartpulse
WORKDIR /app
COPY --chown=10001:10001 cli/target/chartpulse-cli-0.1.0-SNAPSHOT-all.jar /app/chartpulse-cli.jar
COPY --chown=10001:10001 connect-config/connectors /app/connect-config/connectors
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["chartpulse"]
