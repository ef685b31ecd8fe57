# ChartPulse registry. Build context: the repository root, after the Maven build made the jar:
#   ./mvnw -B -pl registry -am package -DskipTests
#   docker build -f deploy/docker/registry.Dockerfile -t chartpulse/registry:0.1.0 .
FROM eclipse-temurin:17.0.13_11-jre-jammy
RUN groupadd --system --gid 10001 chartpulse && useradd --system --uid 10001 --gid chartpulse --home-dir /app chartpulse
WORKDIR /app
COPY --chown=10001:10001 registry/target/chartpulse-registry-0.1.0-SNAPSHOT-all.jar /app/chartpulse-registry.jar
USER 10001:10001
EXPOSE 8081
# Heap from the container's memory limit; a JVM that ran out of memory exits (and is restarted) instead of limping.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8081 && printf "GET /healthz HTTP/1.0\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
ENTRYPOINT ["java", "-jar", "/app/chartpulse-registry.jar"]
