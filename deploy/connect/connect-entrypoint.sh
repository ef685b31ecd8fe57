#!/usr/bin/env bash
# Renders the worker's properties from CONNECT_* environment variables (CONNECT_BOOTSTRAP_SERVERS →
# bootstrap.servers, CONNECT_GROUP_ID → group.id, …) over ChartPulse's defaults, then starts a distributed worker.
# Connector configs read their endpoints and secrets through the env config provider (${env:CHARTPULSE_…}).
set -euo pipefail
props=/tmp/connect-distributed.properties
cat > "$props" <<DEFAULTS
group.id=chartpulse-connect
config.storage.topic=chartpulse-connect-configs
offset.storage.topic=chartpulse-connect-offsets
status.storage.topic=chartpulse-connect-status
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.converters.ByteArrayConverter
plugin.path=/opt/connect-plugins
plugin.discovery=service_load
listeners=http://0.0.0.0:8083
config.providers=env,file
config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
DEFAULTS
env | grep '^CONNECT_' | while IFS='=' read -r key value; do
  name=$(echo "${key#CONNECT_}" | tr '[:upper:]' '[:lower:]' | tr '_' '.')
  echo "$name=$value" >> "$props"
done
exec /opt/kafka/bin/connect-distributed.sh "$props"
