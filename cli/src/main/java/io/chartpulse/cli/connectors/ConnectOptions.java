package io.chartpulse.cli.connectors;

import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.ExitCode;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where Kafka Connect is and how to talk to it: every {@code connectors} subcommand mixes these in. */
final class ConnectOptions {

    @Option(
            names = "--connect-url",
            defaultValue = "${env:CHARTPULSE_CONNECT_URL:-http://localhost:8083}",
            description = "Kafka Connect REST URL (env CHARTPULSE_CONNECT_URL; default ${DEFAULT-VALUE}).")
    String url;

    @Option(
            names = "--user",
            defaultValue = "${env:CHARTPULSE_CONNECT_USER}",
            description = "Basic auth user (env CHARTPULSE_CONNECT_USER).")
    String user;

    @Option(
            names = "--password",
            defaultValue = "${env:CHARTPULSE_CONNECT_PASSWORD}",
            description = "Basic auth password (env CHARTPULSE_CONNECT_PASSWORD).")
    String password;

    @Option(
            names = "--timeout",
            defaultValue = "30s",
            description = "Per-request timeout, e.g. 10s, 500ms (default ${DEFAULT-VALUE}).")
    String timeout;

    ConnectClient client() {
        return new ConnectClient(url, user == null || user.isEmpty() ? null : user, password, parse(timeout));
    }

    private static Duration parse(String text) {
        try {
            return text.endsWith("ms")
                    ? Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)))
                    : text.endsWith("s")
                            ? Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)))
                            : Duration.ofMillis(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new CliException(ExitCode.USAGE, "--timeout " + text + ": expected e.g. 30s or 500ms");
        }
    }
}
