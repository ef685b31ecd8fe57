# Kafka Connect for Strimzi (the KafkaConnect resource in k8s): Strimzi's Kafka image with ChartPulse's
# three plugin directories added to its plugin path and MSK IAM authentication on its classpath. It also runs the aws
# overlay's topic job (kafka-topics.sh with IAM). Build context: the repository root, after the Maven build:
#   docker build -f deploy/docker/connect-strimzi.Dockerfile -t chartpulse/connect-strimzi:0.1.0 .
FROM quay.io/strimzi/kafka:1.0.0-kafka-4.2.0
USER root:root
COPY connect-s3-sink/target/plugin/chartpulse-connect-s3-sink /opt/kafka/plugins/chartpulse-connect-s3-sink
COPY connect-config/target/plugins/chartpulse-mongo-sink /opt/kafka/plugins/chartpulse-mongo-sink
COPY lake/target/plugin/chartpulse-iceberg-sink /opt/kafka/plugins/chartpulse-iceberg-sink
# Amazon MSK IAM authentication for the worker's own clients (the aws overlay), collected by the deploy module.
COPY deploy/target/msk-iam/ /opt/kafka/libs/
USER 1001
# Strimzi runs the worker and probes it itself (the KafkaConnect resource's readiness and liveness probes).
HEALTHCHECK NONE
