package io.chartpulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chartpulse.schemas.ChartPulseSchema;
import io.chartpulse.schemas.Topic;
import io.chartpulse.streams.service.StreamsAppConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both overlays render with kubectl kustomize, and what they render is fit to run. */
class KubernetesTest {

    static List<JsonNode> render(String overlay) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", "../k8s/overlays/" + overlay)
                    .redirectErrorStream(false)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "kubectl is not installed: Debian's kubernetes-client has it (.ci/run installs it)", e);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("kubectl kustomize k8s/overlays/" + overlay + ":\n" + err)
                .isZero();
        List<JsonNode> docs = new ArrayList<>();
        MappingIterator<JsonNode> it =
                new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(out);
        while (it.hasNext()) {
            JsonNode d = it.next();
            if (d != null && !d.isNull() && !d.isMissingNode()) {
                docs.add(d);
            }
        }
        return docs;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "aws"})
    void everyContainerHasProbesLimitsAndRunsAsNonRoot(String overlay) throws Exception {
        List<JsonNode> workloads = render(overlay).stream()
                .filter(d -> List.of("Deployment", "StatefulSet")
                        .contains(d.path("kind").asText()))
                .toList();
        assertThat(workloads)
                .extracting(d -> d.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("registry", "collector", "streams-app");
        for (JsonNode workload : workloads) {
            JsonNode pod = workload.path("spec").path("template").path("spec");
            for (JsonNode container : pod.path("containers")) {
                String name = workload.path("metadata").path("name").asText() + "/"
                        + container.path("name").asText();
                assertThat(container.has("livenessProbe"))
                        .as(name + " liveness probe")
                        .isTrue();
                assertThat(container.has("readinessProbe"))
                        .as(name + " readiness probe")
                        .isTrue();
                assertThat(container.path("resources").path("limits").has("cpu"))
                        .as(name + " cpu limit")
                        .isTrue();
                assertThat(container.path("resources").path("limits").has("memory"))
                        .as(name + " memory limit")
                        .isTrue();
                boolean nonRoot =
                        container.path("securityContext").path("runAsNonRoot").asBoolean(false)
                                || pod.path("securityContext")
                                        .path("runAsNonRoot")
                                        .asBoolean(false);
                assertThat(nonRoot).as(name + " runs as non-root").isTrue();
                assertThat(container
                                .path("securityContext")
                                .path("allowPrivilegeEscalation")
                                .asBoolean(true))
                        .as(name + " no privilege escalation")
                        .isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "aws"})
    void theStreamsAppIsAStatefulSetWithStaticMembershipByPodName(String overlay) throws Exception {
        JsonNode streams = render(overlay).stream()
                .filter(d -> d.path("kind").asText().equals("StatefulSet")
                        && d.path("metadata").path("name").asText().equals("streams-app"))
                .findFirst()
                .orElseThrow();
        JsonNode env = container(streams).path("env");
        Map<String, String> values = new HashMap<>();
        env.forEach(e -> values.put(e.path("name").asText(), e.path("value").asText()));
        // A pod restarted under its name rejoins at once instead of waiting session.timeout.ms for the dead member.
        assertThat(values).containsEntry("CHARTPULSE_STREAMS_STREAMS_GROUP_INSTANCE_ID", "$(POD_NAME)");
        assertThat(values).containsKey("POD_NAME");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "aws"})
    void theBatchCronJobRunsTheDailyStepsOnceAtATimeAsNonRootWithItsSettings(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        JsonNode cron = cronJob(docs, "chartpulse-batch-daily");
        assertThat(cron.path("spec").path("concurrencyPolicy").asText()).isEqualTo("Forbid");
        JsonNode pod = cron.path("spec")
                .path("jobTemplate")
                .path("spec")
                .path("template")
                .path("spec");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("resources").path("limits").has("memory")).isTrue();
        String script = container.path("args").get(0).asText();
        assertThat(script)
                .contains("batch ready --interval", "batch rollup --interval", "batch reconcile", "lake maintain");
        String configMap = container
                .path("envFrom")
                .get(0)
                .path("configMapRef")
                .path("name")
                .asText();
        JsonNode settings = docs.stream()
                .filter(d -> d.path("kind").asText().equals("ConfigMap")
                        && d.path("metadata").path("name").asText().equals(configMap))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + configMap + " in " + overlay));
        assertThat(settings.path("data").has("CHARTPULSE_LAKE_CATALOG_TYPE")).isTrue();
        assertThat(settings.path("data").has("CHARTPULSE_KAFKA_BOOTSTRAP_SERVERS"))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "aws"})
    void theErasureCronJobRunsHourlyOnceAtATimeAndTakesNotYetAsSuccess(String overlay) throws Exception {
        JsonNode cron = cronJob(render(overlay), "chartpulse-erasure");
        assertThat(cron.path("spec").path("schedule").asText()).isEqualTo("15 * * * *");
        assertThat(cron.path("spec").path("concurrencyPolicy").asText()).isEqualTo("Forbid");
        JsonNode container = cron.path("spec")
                .path("jobTemplate")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
        assertThat(container.path("args").get(0).asText())
                .contains("chartpulse erase run")
                .contains("|| [ $? -eq 1 ]");
        assertThat(container
                        .path("envFrom")
                        .get(0)
                        .path("configMapRef")
                        .path("name")
                        .asText())
                .isEqualTo("chartpulse-batch");
    }

    private static JsonNode cronJob(List<JsonNode> docs, String name) {
        return docs.stream()
                .filter(d -> d.path("kind").asText().equals("CronJob")
                        && d.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no CronJob " + name));
    }

    /** Each topic's partition count as the overlay creates it: dev's KafkaTopics, the aws topics Job's script. */
    static Map<String, Integer> partitions(String overlay) throws Exception {
        Map<String, Integer> partitions = new HashMap<>();
        for (JsonNode doc : render(overlay)) {
            if (doc.path("kind").asText().equals("KafkaTopic")) {
                partitions.put(
                        doc.path("spec").path("topicName").asText(),
                        doc.path("spec").path("partitions").asInt());
            }
            if (doc.path("kind").asText().equals("Job")) {
                Matcher m =
                        Pattern.compile("--topic (\\S+) --partitions (\\d+)").matcher(script(doc));
                while (m.find()) {
                    partitions.put(m.group(1), Integer.parseInt(m.group(2)));
                }
            }
        }
        return partitions;
    }

    /** The first container of a workload (Deployment, StatefulSet, Job). */
    static JsonNode container(JsonNode workload) {
        return workload.path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
    }

    /** The shell script a Job's container runs (its first argument). */
    static String script(JsonNode job) {
        return container(job).path("args").get(0).asText();
    }

    static JsonNode find(List<JsonNode> docs, String kind, String name) {
        return docs.stream()
                .filter(d -> d.path("kind").asText().equals(kind)
                        && d.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElse(null);
    }

    @Test
    void onAwsTheStreamsAppScalesOnItsLagUpToTheRawTopicsPartitions() throws Exception {
        List<JsonNode> aws = render("aws");
        JsonNode scaled = find(aws, "ScaledObject", "streams-app");
        assertThat(scaled).as("a KEDA ScaledObject for the streams app").isNotNull();
        JsonNode spec = scaled.path("spec");
        assertThat(spec.path("scaleTargetRef").path("kind").asText()).isEqualTo("StatefulSet");
        assertThat(spec.path("scaleTargetRef").path("name").asText()).isEqualTo("streams-app");
        int raw = partitions("aws").get(Topic.RAW_EVENTS.topicName());
        assertThat(spec.path("maxReplicaCount").asInt())
                .as("an instance beyond the raw topic's partitions would sit idle")
                .isEqualTo(raw);
        assertThat(spec.path("minReplicaCount").asInt()).isEqualTo(2);
        JsonNode trigger = spec.path("triggers").get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        JsonNode metadata = trigger.path("metadata");
        assertThat(metadata.path("consumerGroup").asText()).isEqualTo(StreamsAppConfig.DEFAULT_APPLICATION_ID);
        assertThat(metadata.path("topic").asText()).isEqualTo(Topic.RAW_EVENTS.topicName());
        assertThat(metadata.path("allowIdleConsumers").asText()).isEqualTo("false");
        assertThat(metadata.path("sasl").asText()).isEqualTo("aws_msk_iam");
        // KEDA resolves the bootstrap servers from the scaled container's own environment.
        String env =
                container(find(aws, "StatefulSet", "streams-app")).path("env").toString();
        assertThat(env).contains(metadata.path("bootstrapServersFromEnv").asText());
        String auth = trigger.path("authenticationRef").path("name").asText();
        assertThat(find(aws, "TriggerAuthentication", auth))
                .as("TriggerAuthentication " + auth)
                .isNotNull();
        assertThat(find(aws, "HorizontalPodAutoscaler", "streams-app"))
                .as("KEDA owns the streams app's HPA on aws")
                .isNull();
    }

    @Test
    void inDevTheStreamsAppScalesOnCpuUpToTheRawTopicsPartitions() throws Exception {
        List<JsonNode> dev = render("dev");
        JsonNode hpa = find(dev, "HorizontalPodAutoscaler", "streams-app");
        assertThat(hpa).isNotNull();
        assertThat(hpa.path("spec").path("scaleTargetRef").path("kind").asText())
                .isEqualTo("StatefulSet");
        assertThat(hpa.path("spec").path("maxReplicas").asInt())
                .isEqualTo(partitions("dev").get(Topic.RAW_EVENTS.topicName()));
        assertThat(find(dev, "ScaledObject", "streams-app"))
                .as("no KEDA needed in dev")
                .isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "aws"})
    void noConnectorHasMoreTasksThanItsTopicHasPartitions(String overlay) throws Exception {
        Map<String, Integer> partitions = partitions(overlay);
        List<JsonNode> connectors = render(overlay).stream()
                .filter(d -> d.path("kind").asText().equals("KafkaConnector"))
                .toList();
        assertThat(connectors).isNotEmpty();
        for (JsonNode connector : connectors) {
            String topic = connector.path("spec").path("config").path("topics").asText();
            assertThat(partitions).as("partitions of " + topic).containsKey(topic);
            assertThat(connector.path("spec").path("tasksMax").asInt())
                    .as(connector.path("metadata").path("name").asText()
                            + " tasks (a task beyond the partitions idles)")
                    .isPositive()
                    .isLessThanOrEqualTo(partitions.get(topic));
        }
    }

    @Test
    void everyTopicHasAKafkaTopic() throws Exception {
        List<String> declared = render("dev").stream()
                .filter(d -> d.path("kind").asText().equals("KafkaTopic"))
                .map(d -> d.path("spec").path("topicName").asText())
                .toList();
        List<String> expected = new ArrayList<>(List.of("_schemas"));
        for (ChartPulseSchema schema : ChartPulseSchema.values()) {
            expected.add(schema.topic());
        }
        assertThat(declared).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void onMskATopicJobCreatesEveryTopicOverIam() throws Exception {
        List<JsonNode> aws = render("aws");
        JsonNode job = aws.stream()
                .filter(d -> d.path("kind").asText().equals("Job"))
                .findFirst()
                .orElseThrow();
        String script = script(job);
        assertThat(script).contains("sasl.mechanism=AWS_MSK_IAM", "--if-not-exists");
        assertThat(script).contains("--topic _schemas ");
        for (ChartPulseSchema schema : ChartPulseSchema.values()) {
            assertThat(script).contains("--topic " + schema.topic() + " ");
        }
        assertThat(aws.stream().filter(d -> d.path("kind").asText().equals("KafkaTopic")))
                .as("no Strimzi topics on MSK")
                .isEmpty();
        for (JsonNode doc : aws) {
            if (List.of("Deployment", "StatefulSet").contains(doc.path("kind").asText())) {
                String env = container(doc).path("env").toString();
                assertThat(env).as(doc.path("metadata").path("name").asText()).contains("AWS_MSK_IAM", "SASL_SSL");
                assertThat(doc.path("spec")
                                .path("template")
                                .path("spec")
                                .path("serviceAccountName")
                                .asText())
                        .isEqualTo("chartpulse-services");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "aws"})
    void everythingLandsInTheChartPulseNamespace(String overlay) throws Exception {
        for (JsonNode doc : render(overlay)) {
            if (!doc.path("kind").asText().equals("Namespace")) {
                assertThat(doc.path("metadata").path("namespace").asText())
                        .as(doc.path("kind") + " " + doc.path("metadata").path("name"))
                        .isEqualTo("chartpulse");
            }
        }
    }
}
