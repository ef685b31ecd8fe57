package io.chartpulse.cli.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chartpulse.avro.ErasureRequest;
import io.chartpulse.batch.erasure.ErasureTopics;
import io.chartpulse.embedded.EmbeddedRegistry;
import io.chartpulse.embedded.junit.StackExtension;
import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.schemas.Topic;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The erasure endpoint against a real broker and registry: a request filed over HTTP is in the request topic under
 * each identifier, its state can be read back, and every call without the token, with a wrong one, or with a body
 * that names no one is refused with a one-line reason and records nothing.
 */
@ExtendWith(StackExtension.class)
class ErasureServerIT {

    private static final String TOKEN = "an-erasure-token-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRequestFiledOverHttpIsRecordedAndItsStateCanBeRead(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        for (Topic t : List.of(Topic.ERASURE_REQUESTS, Topic.ERASURE_AUDIT)) {
            kafka.createTopic(t.topicName(), 1, Map.of("cleanup.policy", "compact"));
        }
        List<String> logged = new ArrayList<>();
        try (ErasureTopics topics = new ErasureTopics(
                        Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        Map.of("schema.registry.url", registry.url()));
                ErasureServer server =
                        ErasureServer.start("127.0.0.1", 0, TOKEN, topics, Clock.systemUTC(), logged::add)) {
            String base = "http://127.0.0.1:" + server.port() + ErasureServer.PATH;
            String body = "{\"anonymous_ids\": [\"visitor-9\"], \"user_ids\": [\"u-9\"], \"requester\": \"ticket-1\"}";

            HttpResponse<String> anonymous = post(base, body, null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(post(base, body, "not-the-token").statusCode()).isEqualTo(401);
            assertThat(topics.requests())
                    .as("nothing recorded without the token")
                    .isEmpty();

            HttpResponse<String> noOne = post(base, "{\"requester\": \"ticket-1\"}", TOKEN);
            assertThat(noOne.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(noOne.body()).path("error").asText()).contains("at least one anonymous id");
            HttpResponse<String> notStrings = post(base, "{\"anonymous_ids\": [1], \"requester\": \"x\"}", TOKEN);
            assertThat(notStrings.statusCode()).isEqualTo(400);
            assertThat(notStrings.body()).contains("anonymous_ids must be an array of strings");
            HttpResponse<String> noRequester = post(base, "{\"anonymous_ids\": [\"v\"]}", TOKEN);
            assertThat(noRequester.statusCode()).isEqualTo(400);
            assertThat(noRequester.body()).contains("requester");
            HttpResponse<String> notJson = post(base, "{anonymous", TOKEN);
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(notJson.body()).isEqualTo("{\"error\":\"the body is not JSON\"}");
            assertThat(topics.requests())
                    .as("nothing recorded for a refused body")
                    .isEmpty();

            HttpResponse<String> filed = post(base, body, TOKEN);
            assertThat(filed.statusCode()).as(filed.body()).isEqualTo(202);
            String id = JSON.readTree(filed.body()).path("request_id").asText();
            assertThat(filed.headers().firstValue("Location")).contains(ErasureServer.PATH + "/" + id);
            ErasureRequest recorded = topics.requests().get(id);
            assertThat(recorded.getAnonymousIds()).containsExactly("visitor-9");
            assertThat(recorded.getUserIds()).containsExactly("u-9");
            assertThat(recorded.getRequester()).isEqualTo("ticket-1");

            HttpResponse<String> state = get(base + "/" + id, TOKEN);
            assertThat(state.statusCode()).isEqualTo(200);
            JsonNode json = JSON.readTree(state.body());
            assertThat(json.path("complete").asBoolean()).isFalse();
            assertThat(json.path("stores").path("MONGODB").path("state").asText())
                    .isEqualTo("pending");
            assertThat(json.path("stores").size()).isEqualTo(5);
            assertThat(get(base + "/no-such-request", TOKEN).statusCode()).isEqualTo(404);
            assertThat(get(base + "/" + id, null).statusCode()).isEqualTo(401);
            assertThat(get(base, TOKEN).statusCode()).isEqualTo(405);
            assertThat(logged).anySatisfy(l -> assertThat(l).contains(id, "ticket-1"));
        }
    }

    private HttpResponse<String> post(String url, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
