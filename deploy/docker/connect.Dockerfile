# Kafka Connect with ChartPulse's plugins: the official Apache Kafka image (same version as the build, 4.2.1), the
# S3 sink and the MongoDB sink plugin directories on its plugin.path, and the Prometheus JMX exporter agent.
# Build context: the repository root, after ./mvnw -B package -DskipTests:
#   docker build -f deploy/docker/connect.Dockerfile -t chartpulse/connect:0.1.0 .
FROM apache/kafka:4.2.1
USER root
COPY connect-s3-sink/target/plugin/chartpulse-connect-s3-sink /opt/connect-plugins/chartpulse-connect-s3-sink
COPY connect-config/target/plugins/chartpulse-mongo-sink /opt/connect-plugins/chartpulse-mongo-sink
COPY lake/target/plugin/chartpulse-iceberg-sink /opt/connect-plugins/chartpulse-iceberg-sink
COPY deploy/connect/connect-entrypoint.sh /opt/chartpulse/connect-entrypoint.sh
COPY k8s/base/connect-metrics.yml /opt/chartpulse/jmx-exporter.yml
# Copied from Maven Central by the deploy module's build (deploy/target/jmx/).
COPY deploy/target/jmx/jmx_prometheus_javaagent.jar /opt/chartpulse/jmx_prometheus_javaagent.jar
RUN chmod 755 /opt/chartpulse/connect-entrypoint.sh && chown -R appuser /opt/connect-plugins
USER appuser
EXPOSE 8083 9404
ENV KAFKA_HEAP_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    KAFKA_OPTS="-javaagent:/opt/chartpulse/jmx_prometheus_javaagent.jar=9404:/opt/chartpulse/jmx-exporter.yml"
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8083 && printf "GET /connectors HTTP/1.0\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
ENTRYPOINT ["/opt/chartpulse/connect-entrypoint.sh"]
