package io.chartpulse.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.cli.dev.DevStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DevStackPortsTest {

    @Test
    void aTakenPortFailsTheStartWithAMessageNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            DevStack.Settings settings = DevStack.Settings.builder(
                            Files.createTempDirectory("chartpulse-ports"), Path.of(".."))
                    .collectorPort(port)
                    .build();
            assertThatThrownBy(() -> DevStack.start(settings, new PrintWriter(new StringWriter())))
                    .hasMessageContaining("Port " + port)
                    .hasMessageContaining("the collector");
        }
    }
}
