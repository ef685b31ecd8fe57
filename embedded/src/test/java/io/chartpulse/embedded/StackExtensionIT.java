package io.chartpulse.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(StackExtension.class)
class StackExtensionIT {

    @Test
    void registryRunsOnTheSharedBrokerAndAnswers(EmbeddedRegistry registry, EmbeddedRegistry again, EmbeddedKafka kafka)
            throws Exception {
        assertThat(registry).isSameAs(again);
        assertThat(kafka.topics()).contains("_schemas");
        HttpResponse<String> types = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(registry.url() + "/schemas/types"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(types.body()).isEqualTo("[\"AVRO\"]");
        assertThat(registry.serdeConfig()).containsEntry("schema.registry.url", registry.url());
    }
}
