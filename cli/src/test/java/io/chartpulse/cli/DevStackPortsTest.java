package io.chartpulse.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.cli.dev.DevStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DevStackPortsTest {

    @Test
    void aTakenPortFailsTheStartWithAMessageNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            DevStack.Settings settings = new DevStack.Settings(
                    Files.createTempDirectory("chartpulse-ports"),
                    Path.of(".."),
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    port,
                    0,
                    0,
                    Duration.ofMinutes(30),
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(60));
            assertThatThrownBy(() -> DevStack.start(settings, new PrintWriter(new StringWriter())))
                    .hasMessageContaining("Port " + port)
                    .hasMessageContaining("the collector");
        }
    }
}
