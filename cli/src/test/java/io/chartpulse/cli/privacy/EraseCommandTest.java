package io.chartpulse.cli.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.batch.erasure.Erasure;
import io.chartpulse.cli.ChartPulseCli;
import io.chartpulse.schemas.Topic;
import io.chartpulse.streams.service.StreamsAppConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What {@code chartpulse erase} refuses before it touches Kafka, and what an erasure run waits for. */
class EraseCommandTest {

    @Test
    void aRequestWithoutAnIdentifierIsRefusedNamingWhatIsMissing() {
        StringWriter err = new StringWriter();
        var cli = ChartPulseCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        assertThat(cli.execute("erase", "--requester", "test")).isEqualTo(2);
        assertThat(err.toString())
                .contains("at least one anonymous id or user id", "--anonymous-id")
                .doesNotContain("Exception");
        assertThat(cli.execute("erase", "--anonymous-id", " ")).isEqualTo(2);
        assertThat(err.toString()).contains("An identifier is empty");
    }

    @Test
    void aRunWaitsForTheStreamsAppAndEverySinkOfTheEnrichedAndSessionsTopics() {
        Path connectors = Path.of("..", "connect-config", "connectors");
        assertThat(EraseCommand.upstreams(connectors, StreamsAppConfig.DEFAULT_APPLICATION_ID, true))
                .containsExactlyInAnyOrder(
                        new Erasure.Upstream(StreamsAppConfig.DEFAULT_APPLICATION_ID, Topic.RAW_EVENTS.topicName()),
                        new Erasure.Upstream("connect-mongo-enriched-events", Topic.ENRICHED_EVENTS.topicName()),
                        new Erasure.Upstream("connect-mongo-sessions", Topic.SESSIONS.topicName()),
                        new Erasure.Upstream("connect-iceberg-enriched-events", Topic.ENRICHED_EVENTS.topicName()),
                        new Erasure.Upstream("connect-iceberg-sessions", Topic.SESSIONS.topicName()));
        assertThat(EraseCommand.upstreams(connectors, "app", false))
                .extracting(Erasure.Upstream::group)
                .containsExactlyInAnyOrder("app", "connect-mongo-enriched-events", "connect-mongo-sessions");
    }
}
