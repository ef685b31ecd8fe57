package io.chartpulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The fault run's count of late metric inputs adds up the counters of the streams processes it restarts. */
class LateCounterTest {

    @Test
    void aCounterStartingAgainFromZeroIsANewProcessAndANonAnsweringOneKeepsTheCount() throws Exception {
        AtomicReference<String> value = new AtomicReference<>("3.0");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] page = ("# TYPE chartpulse_streams_late_total counter\n"
                            + "chartpulse_streams_late_total{for=\"sessions\"} 100.0\n"
                            + "chartpulse_streams_late_total{for=\"metrics\"} " + value.get() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        try {
            Timeline.LateCounter late = new Timeline.LateCounter(
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
            assertThat(late.read()).isEqualTo(3);
            value.set("5.0");
            assertThat(late.read()).isEqualTo(5);
            value.set("2.0"); // restarted: 5 counted by the process before, 2 by this one
            assertThat(late.read()).isEqualTo(7);
            server.stop(0); // killed: the count stands
            assertThat(late.read()).isEqualTo(7);
        } finally {
            server.stop(0);
        }
    }
}
