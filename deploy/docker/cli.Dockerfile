# The chartpulse command line, for one-shot init jobs (schemas register, mongo init, connectors apply).
# Build context: the repository root, after ./mvnw -B package -DskipTests:
#   docker build -f deploy/docker/cli.Dockerfile -t chartpulse/cli:0.1.0 .
FROM eclipse-temurin:17.0.13_11-jre-jammy
RUN groupadd --system --gid 10001 chartpulse && useradd --system --uid 10001 --gid chartpulse --home-dir /app chartpulse
WORKDIR /app
COPY --chown=10001:10001 cli/target/chartpulse-cli-0.1.0-SNAPSHOT-all.jar /app/chartpulse-cli.jar
COPY --chown=10001:10001 connect-config/connectors /app/connect-config/connectors
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-jar", "/app/chartpulse-cli.jar"]
