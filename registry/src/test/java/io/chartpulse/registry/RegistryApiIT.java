package io.chartpulse.registry;

import static io.chartpulse.registry.Schemas.B_WITH_DEFAULT;
import static io.chartpulse.registry.Schemas.INT_A;
import static io.chartpulse.registry.Schemas.OPTIONAL_B;
import static io.chartpulse.registry.Schemas.REQUIRED_C;
import static io.chartpulse.registry.Schemas.field;
import static io.chartpulse.registry.Schemas.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.embedded.kafka.EmbeddedKafka;
import io.chartpulse.embedded.kafka.junit.KafkaExtension;
import io.chartpulse.embedded.kafka.junit.TestTopics;
import io.chartpulse.registry.RegistryClient.Response;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Confluent REST API, endpoint by endpoint and error code by error code, on a real broker. */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryApiIT {

    private static final AtomicInteger SUBJECTS = new AtomicInteger();

    private RegistryServer server;
    private RegistryClient client;

    @BeforeAll
    void start(EmbeddedKafka kafka, TestTopics topics) {
        server = RegistryFixture.start(kafka, topics.unique("_schemas"));
        client = new RegistryClient(server.url());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String subject() {
        return "api-" + SUBJECTS.incrementAndGet() + "-value";
    }

    @Test
    void registrationIsIdempotentAndIdsAreGlobal() {
        String s = subject();
        int id = client.registerOk(s, record(INT_A));

        assertThat(client.registerOk(s, record(INT_A))).isEqualTo(id);
        // Whitespace and attribute order do not matter: schemas are compared in canonical form.
        assertThat(client.registerOk(
                        s,
                        "{ \"namespace\": \"io.chartpulse.test\", \"type\": \"record\", \"name\": \"Thing\","
                                + " \"fields\": [ {\"type\": \"int\", \"name\": \"a\"} ] }"))
                .isEqualTo(id);
        assertThat(client.get("/subjects/" + s + "/versions").array().getList()).containsExactly(1);

        String other = subject();
        assertThat(client.registerOk(other, record(INT_A))).isEqualTo(id);
        assertThat(client.get("/schemas/ids/" + id + "/subjects").array().getList())
                .contains(s, other);
        assertThat(client.get("/schemas/ids/" + id + "/versions").array().getList())
                .contains(new JsonObject().put("subject", s).put("version", 1).getMap());

        int second = client.registerOk(s, record(INT_A, OPTIONAL_B));
        assertThat(second).isGreaterThan(id);
        assertThat(client.get("/subjects/" + s + "/versions").array().getList()).containsExactly(1, 2);
    }

    @Test
    void versionsAreServedByNumberAndLatest() {
        String s = subject();
        int id1 = client.registerOk(s, record(INT_A));
        int id2 = client.registerOk(s, record(INT_A, OPTIONAL_B));

        JsonObject v1 = client.get("/subjects/" + s + "/versions/1").json();
        assertThat(v1.getString("subject")).isEqualTo(s);
        assertThat(v1.getInteger("version")).isEqualTo(1);
        assertThat(v1.getInteger("id")).isEqualTo(id1);
        assertThat(new JsonObject(v1.getString("schema")).getString("name")).isEqualTo("Thing");
        assertThat(client.get("/subjects/" + s + "/versions/latest").json().getInteger("id"))
                .isEqualTo(id2);
        assertThat(client.get("/subjects/" + s + "/versions/-1").json().getInteger("version"))
                .isEqualTo(2);

        Response raw = client.get("/subjects/" + s + "/versions/1/schema");
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.json().getJsonArray("fields")).hasSize(1);
        assertThat(client.get("/subjects").array().getList()).contains(s);
    }

    @Test
    void badVersionsAndUnknownSubjectsGetTheirErrorCodes() {
        String s = subject();
        client.registerOk(s, record(INT_A));

        assertThat(client.get("/subjects/" + s + "/versions/0").errorCode()).isEqualTo(42202);
        assertThat(client.get("/subjects/" + s + "/versions/abc").errorCode()).isEqualTo(42202);
        Response missing = client.get("/subjects/" + s + "/versions/99");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo(40402);
        Response unknown = client.get("/subjects/nope-" + s + "/versions");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo(40401);
        assertThat(unknown.json().getString("message")).contains("nope-" + s);
    }

    @Test
    void schemasByIdAndTypes() {
        String s = subject();
        int id = client.registerOk(s, record(INT_A));

        assertThat(new JsonObject(client.get("/schemas/ids/" + id).json().getString("schema")).getString("name"))
                .isEqualTo("Thing");
        assertThat(client.get("/schemas/ids/" + id + "/schema").json().getString("type"))
                .isEqualTo("record");
        Response missing = client.get("/schemas/ids/987654");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo(40403);
        assertThat(client.get("/schemas/ids/x").errorCode()).isEqualTo(40403);
        assertThat(client.get("/schemas/types").array().getList()).containsExactly("AVRO");
    }

    @Test
    void lookupFindsTheVersionOfASchema() {
        String s = subject();
        int id = client.registerOk(s, record(INT_A));

        Response found = client.post("/subjects/" + s, new JsonObject().put("schema", record(INT_A)));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().getInteger("id")).isEqualTo(id);
        assertThat(found.json().getInteger("version")).isEqualTo(1);
        assertThat(client.post("/subjects/" + s, new JsonObject().put("schema", record(REQUIRED_C)))
                        .errorCode())
                .isEqualTo(40403);
        assertThat(client.post("/subjects/nope-" + s, new JsonObject().put("schema", record(INT_A)))
                        .errorCode())
                .isEqualTo(40401);
    }

    @Test
    void invalidInputGetsTheDocumentedErrorNeverA500() {
        String s = subject();
        Response invalidAvro = client.register(
                s, "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"nonsense\"}]}");
        assertThat(invalidAvro.status()).isEqualTo(422);
        assertThat(invalidAvro.errorCode()).isEqualTo(42201);
        assertThat(invalidAvro.json().getString("message")).contains("nonsense");

        assertThat(client.register(s, "not json at all").errorCode()).isEqualTo(42201);
        assertThat(client.register(s, "{\"type\":\"int\",\"default\":\"x\"").errorCode())
                .isEqualTo(42201);
        assertThat(client.post("/subjects/" + s + "/versions", new JsonObject()).errorCode())
                .isEqualTo(42201);
        assertThat(client.post(
                                "/subjects/" + s + "/versions",
                                new JsonObject().put("schema", record(INT_A)).put("schemaType", "PROTOBUF"))
                        .errorCode())
                .isEqualTo(42201);

        Response notJson = client.post("/subjects/" + s + "/versions", "{{{");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errorCode()).isEqualTo(400);
        Response array = client.post("/subjects/" + s + "/versions", "[1,2]");
        assertThat(array.status()).isEqualTo(400);

        Response huge = client.register(s, "\"" + "x".repeat(5 * 1024 * 1024) + "\"");
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.errorCode()).isEqualTo(413);

        Response wrongType = client.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/subjects/" + s + "/versions")),
                "POST",
                new JsonObject().put("schema", record(INT_A)),
                "text/html");
        assertThat(wrongType.status()).isEqualTo(415);

        Response noRoute = client.get("/no/such/path");
        assertThat(noRoute.status()).isEqualTo(404);
        assertThat(noRoute.errorCode()).isEqualTo(404);

        for (Response r : List.of(invalidAvro, notJson, huge, wrongType, noRoute)) {
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(r.contentType()).isEqualTo(RegistryClient.VND);
        }
        assertThat(client.get("/subjects").array().getList()).doesNotContain(s);
    }

    @Test
    void plainJsonContentTypeIsAcceptedToo() {
        String s = subject();
        Response r = client.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/subjects/" + s + "/versions")),
                "POST",
                new JsonObject().put("schema", record(INT_A)),
                "application/json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo(RegistryClient.VND);
    }

    @Test
    void incompatibleRegistrationIs409AndVerboseTestSaysWhy() {
        String s = subject();
        client.registerOk(s, record(INT_A));

        Response rejected = client.register(s, record(INT_A, REQUIRED_C));
        assertThat(rejected.status()).isEqualTo(409);
        assertThat(rejected.errorCode()).isEqualTo(409);
        assertThat(rejected.json().getString("message")).contains(s).contains("field 'c'");

        JsonObject verbose = client.post(
                        "/compatibility/subjects/" + s + "/versions/latest?verbose=true",
                        new JsonObject().put("schema", record(INT_A, REQUIRED_C)))
                .json();
        assertThat(verbose.getBoolean("is_compatible")).isFalse();
        assertThat(verbose.getJsonArray("messages").getString(0)).contains("field 'c'", "version 1");

        JsonObject ok = client.post(
                        "/compatibility/subjects/" + s + "/versions/1",
                        new JsonObject().put("schema", record(INT_A, OPTIONAL_B)))
                .json();
        assertThat(ok.getBoolean("is_compatible")).isTrue();
        assertThat(ok.containsKey("messages")).isFalse();

        assertThat(client.post(
                                "/compatibility/subjects/" + s + "/versions/7",
                                new JsonObject().put("schema", record(INT_A)))
                        .errorCode())
                .isEqualTo(40402);
        assertThat(client.post(
                                "/compatibility/subjects/nope-" + s + "/versions/latest",
                                new JsonObject().put("schema", record(INT_A)))
                        .errorCode())
                .isEqualTo(40401);
    }

    @Test
    void softAndHardDeleteOfAVersion() {
        String s = subject();
        int id = client.registerOk(s, record(INT_A));
        client.registerOk(s, record(INT_A, OPTIONAL_B));

        assertThat(client.delete("/subjects/" + s + "/versions/1?permanent=true")
                        .errorCode())
                .isEqualTo(40407);
        Response soft = client.delete("/subjects/" + s + "/versions/1");
        assertThat(soft.status()).isEqualTo(200);
        assertThat(soft.body()).isEqualTo("1");
        assertThat(client.get("/subjects/" + s + "/versions").array().getList()).containsExactly(2);
        assertThat(client.get("/subjects/" + s + "/versions?deleted=true")
                        .array()
                        .getList())
                .containsExactly(1, 2);
        assertThat(client.get("/subjects/" + s + "/versions/1").errorCode()).isEqualTo(40402);
        assertThat(client.get("/subjects/" + s + "/versions/1?deleted=true")
                        .json()
                        .getInteger("id"))
                .isEqualTo(id);
        assertThat(client.post("/subjects/" + s, new JsonObject().put("schema", record(INT_A)))
                        .errorCode())
                .isEqualTo(40403);
        assertThat(client.post("/subjects/" + s + "?deleted=true", new JsonObject().put("schema", record(INT_A)))
                        .json()
                        .getInteger("version"))
                .isEqualTo(1);
        assertThat(client.delete("/subjects/" + s + "/versions/1").errorCode()).isEqualTo(40406);

        assertThat(client.delete("/subjects/" + s + "/versions/1?permanent=true")
                        .body())
                .isEqualTo("1");
        assertThat(client.get("/subjects/" + s + "/versions?deleted=true")
                        .array()
                        .getList())
                .containsExactly(2);
        // Ids are forever: the schema is still served by id.
        assertThat(client.get("/schemas/ids/" + id).status()).isEqualTo(200);
    }

    @Test
    void softAndHardDeleteOfASubject() {
        String s = subject();
        client.registerOk(s, record(INT_A));
        client.registerOk(s, record(INT_A, OPTIONAL_B));

        assertThat(client.delete("/subjects/" + s + "?permanent=true").errorCode())
                .isEqualTo(40405);
        assertThat(client.delete("/subjects/" + s).array().getList()).containsExactly(1, 2);
        assertThat(client.get("/subjects").array().getList()).doesNotContain(s);
        assertThat(client.get("/subjects?deleted=true").array().getList()).contains(s);
        assertThat(client.delete("/subjects/" + s).errorCode()).isEqualTo(40404);

        // Registering again continues the version numbers.
        client.registerOk(s, record(INT_A));
        assertThat(client.get("/subjects/" + s + "/versions").array().getList()).containsExactly(3);
        client.delete("/subjects/" + s);

        assertThat(client.delete("/subjects/" + s + "?permanent=true").array().getList())
                .containsExactly(1, 2, 3);
        assertThat(client.get("/subjects?deleted=true").array().getList()).doesNotContain(s);
        assertThat(client.delete("/subjects/" + s).errorCode()).isEqualTo(40401);
    }

    @Test
    void subjectConfigOverridesTheGlobalOne() {
        String s = subject();
        client.registerOk(s, record(INT_A));

        Response none = client.get("/config/" + s);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.errorCode()).isEqualTo(40408);
        assertThat(client.get("/config/" + s + "?defaultToGlobal=true").json().getString("compatibilityLevel"))
                .isEqualTo(client.get("/config").json().getString("compatibilityLevel"));

        assertThat(client.put("/config/" + s, new JsonObject().put("compatibility", "NONE"))
                        .json()
                        .getString("compatibility"))
                .isEqualTo("NONE");
        assertThat(client.get("/config/" + s).json().getString("compatibilityLevel"))
                .isEqualTo("NONE");
        client.registerOk(s, record(field("a", "\"string\"")));

        assertThat(client.put("/config/" + s, new JsonObject().put("compatibility", "SIDEWAYS"))
                        .errorCode())
                .isEqualTo(42203);
        assertThat(client.delete("/config/" + s).json().getString("compatibilityLevel"))
                .isEqualTo("NONE");
        assertThat(client.get("/config/" + s).errorCode()).isEqualTo(40408);
    }

    @Test
    void modeIsReadWrite() {
        assertThat(client.get("/mode").json().getString("mode")).isEqualTo("READWRITE");
        assertThat(client.put("/mode", new JsonObject().put("mode", "READONLY")).errorCode())
                .isEqualTo(42204);
    }

    @Test
    void healthReadinessAndMetrics() {
        assertThat(client.get("/healthz").status()).isEqualTo(200);
        assertThat(client.get("/readyz").json().getBoolean("leader")).isTrue();
        client.get("/subjects");
        String metrics = client.get("/metrics").body();
        assertThat(metrics)
                .contains("chartpulse_registry_http_requests_seconds_count")
                .contains("route=\"/subjects\"")
                .contains("chartpulse_registry_schemas");
    }

    @Test
    void addingAFieldWithADefaultIsAcceptedUnderTheDefaultMode() {
        String s = subject();
        client.registerOk(s, record(INT_A));
        client.registerOk(s, record(INT_A, B_WITH_DEFAULT));
        assertThat(client.get("/subjects/" + s + "/versions").array().getList()).containsExactly(1, 2);
    }
}
