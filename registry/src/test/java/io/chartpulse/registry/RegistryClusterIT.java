package io.chartpulse.registry;

import static io.chartpulse.registry.Schemas.INT_A;
import static io.chartpulse.registry.Schemas.OPTIONAL_B;
import static io.chartpulse.registry.Schemas.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.KafkaExtension;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store topic is the truth: restarts and several instances serve the same ids; one instance writes. */
@ExtendWith(KafkaExtension.class)
class RegistryClusterIT {

    @Test
    void restartOnTheSameTopicKeepsIdsVersionsAndConfig(EmbeddedKafka kafka, TestTopics topics) {
        String topic = topics.unique("_schemas");
        int id1;
        int id2;
        try (RegistryServer first = RegistryFixture.start(kafka, topic)) {
            RegistryClient client = new RegistryClient(first.url());
            id1 = client.registerOk("orders-value", record(INT_A));
            id2 = client.registerOk("orders-value", record(INT_A, OPTIONAL_B));
            client.put("/config/orders-value", new JsonObject().put("compatibility", "FULL"));
            client.delete("/subjects/orders-value/versions/1");
        }
        assertThat(kafka.admin().describeTopics(List.of(topic)).allTopicNames())
                .succeedsWithin(Duration.ofSeconds(10))
                .satisfies(d -> assertThat(d.get(topic).partitions()).hasSize(1));

        try (RegistryServer again = RegistryFixture.start(kafka, topic)) {
            RegistryClient client = new RegistryClient(again.url());
            assertThat(client.get("/subjects/orders-value/versions").array().getList())
                    .containsExactly(2);
            assertThat(client.get("/subjects/orders-value/versions/2").json().getInteger("id"))
                    .isEqualTo(id2);
            assertThat(client.get("/schemas/ids/" + id1).status()).isEqualTo(200);
            assertThat(client.get("/config/orders-value").json().getString("compatibilityLevel"))
                    .isEqualTo("FULL");
            // The next id continues after the highest one ever assigned.
            assertThat(client.registerOk("other-value", record(Schemas.REQUIRED_C)))
                    .isEqualTo(id2 + 1);
        }
    }

    @Test
    void aNewInstanceTakesOverWritingAndTheOldOneForwards(EmbeddedKafka kafka, TestTopics topics) {
        String topic = topics.unique("_schemas");
        try (RegistryServer first = RegistryFixture.start(kafka, topic);
                RegistryServer second = RegistryFixture.start(kafka, topic)) {
            RegistryClient viaFirst = new RegistryClient(first.url());
            RegistryClient viaSecond = new RegistryClient(second.url());

            assertThat(viaSecond.get("/readyz").json().getBoolean("leader")).isTrue();
            int id = viaFirst.registerOk("clicks-value", record(INT_A));
            assertThat(viaFirst.get("/readyz").json().getBoolean("leader")).isFalse();

            // The write went through the writer; both serve it.
            assertThat(viaSecond.get("/schemas/ids/" + id).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> viaFirst.get("/schemas/ids/" + id).status() == 200);
            assertThat(viaFirst.registerOk("clicks-value", record(INT_A))).isEqualTo(id);
            assertThat(viaFirst.delete("/subjects/clicks-value").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> viaSecond.get("/subjects").array().getList().isEmpty());
        }
    }

    @Test
    void anIneligibleInstanceForwardsWritesToTheWriter(EmbeddedKafka kafka, TestTopics topics) {
        String topic = topics.unique("_schemas");
        try (RegistryServer writer = RegistryFixture.start(kafka, topic);
                RegistryServer reader =
                        RegistryFixture.start(kafka, topic, RegistryConfig.LEADER_ELIGIBILITY_CONFIG, "false")) {
            RegistryClient viaReader = new RegistryClient(reader.url());
            assertThat(viaReader.get("/readyz").json().getBoolean("leader")).isFalse();

            int id = viaReader.registerOk("views-value", record(INT_A));
            assertThat(new RegistryClient(writer.url())
                            .get("/schemas/ids/" + id)
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void withoutAWriterWritesAreRefusedClearly(EmbeddedKafka kafka, TestTopics topics) {
        String topic = topics.unique("_schemas");
        try (RegistryServer reader =
                RegistryFixture.start(kafka, topic, RegistryConfig.LEADER_ELIGIBILITY_CONFIG, "false")) {
            RegistryClient.Response refused = new RegistryClient(reader.url()).register("views-value", record(INT_A));
            assertThat(refused.status()).isEqualTo(500);
            assertThat(refused.errorCode()).isEqualTo(50004);
            assertThat(refused.json().getString("message")).contains("not the leader");
        }
    }
}
