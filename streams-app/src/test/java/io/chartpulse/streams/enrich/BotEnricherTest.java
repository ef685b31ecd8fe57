package io.chartpulse.streams.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.Context;
import io.chartpulse.avro.UserAgentInfo;
import io.chartpulse.schemas.SampleRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BotEnricherTest {

    private static final UserAgentInfo BROWSER = UserAgentInfo.newBuilder()
            .setDeviceClass("Desktop")
            .setAgentClass("Browser")
            .build();

    private static ChartEvent withAgent(String agent) {
        return ChartEvent.newBuilder(SampleRecords.chartEvent())
                .setContext(Context.newBuilder().setUserAgent(agent).build())
                .build();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "python-requests/2.31.0",
                "Go-http-client/2.0",
                "Mozilla/5.0 (compatible; SomeCrawler/1.0)",
                "facebookexternalhit/1.1",
                "Java/17.0.2",
                "Wget/1.21"
            })
    void theBotListCatchesWhatTheParserCallsABrowser(String agent) {
        assertThat(BotEnricher.reason(withAgent(agent), BROWSER)).isEqualTo("known_bot_list");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
            })
    void peopleAreNotFlagged(String agent) {
        assertThat(BotEnricher.reason(withAgent(agent), BROWSER)).isNull();
    }

    @Test
    void robotClassesWinOverEverythingElse() {
        UserAgentInfo robot = UserAgentInfo.newBuilder()
                .setDeviceClass("Robot")
                .setAgentClass("Robot")
                .build();
        assertThat(BotEnricher.reason(withAgent("anything"), robot)).isEqualTo("ua_robot_class");
    }
}
