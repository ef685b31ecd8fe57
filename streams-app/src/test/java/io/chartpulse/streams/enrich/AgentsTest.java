package io.chartpulse.streams.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.schemas.SampleRecords;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One cache of what an agent string is serves the user-agent and bot steps, and a slow parse holds no one up. */
class AgentsTest {

    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like"
            + " Gecko) Chrome/131.0.0.0 Safari/537.36";

    @Test
    void anAgentIsWorkedOutOnceForBothSteps() {
        Agents agents = new Agents(100);
        List<Enricher> chain = List.of(new UserAgentEnricher(agents), new BotEnricher(agents));
        EnrichedEvent chrome = enrich(chain, CHROME);
        EnrichedEvent curl = enrich(chain, "curl/8.5.0");
        enrich(chain, CHROME);

        assertThat(agents.size())
                .as("two strings, each parsed once for both steps")
                .isEqualTo(2);
        assertThat(agents.of(CHROME)).isSameAs(agents.of(CHROME));
        assertThat(chrome.getUserAgent().getBrowser()).isEqualTo("Chrome");
        assertThat(chrome.getIsBot()).isFalse();
        assertThat(curl.getIsBot()).isTrue();
        assertThat(curl.getBotReason()).isIn("ua_robot_class", "known_bot_list");
        assertThat(agents.of("python-requests/2.31.0").listedBot()).isTrue();
        assertThat(agents.of(CHROME).listedBot()).isFalse();
    }

    @Test
    void aSlowComputationDoesNotHoldUpLookupsOfOtherKeys() throws Exception {
        LruCache<String, String> cache = new LruCache<>(10);
        cache.get("cached", k -> "value");
        CountDownLatch computing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> cache.get("new", k -> {
            computing.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "parsed";
        }));
        assertThat(computing.await(5, TimeUnit.SECONDS)).isTrue();
        // While "new" is being computed, another thread's lookup answers at once.
        String other = CompletableFuture.supplyAsync(() -> cache.get("cached", k -> "recomputed"))
                .get(2, TimeUnit.SECONDS);
        assertThat(other).isEqualTo("value");
        release.countDown();
        assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("parsed");
        assertThat(cache.get("new", k -> "again")).isEqualTo("parsed");
    }

    private static EnrichedEvent enrich(List<Enricher> chain, String agent) {
        ChartEvent e = SampleRecords.chartEvent();
        e.getContext().setUserAgent(agent);
        EnrichedEvent out = SampleRecords.enrichedEvent();
        out.setUserAgent(null);
        out.setIsBot(false);
        out.setBotReason(null);
        chain.forEach(step -> step.enrich(e, out));
        return out;
    }
}
