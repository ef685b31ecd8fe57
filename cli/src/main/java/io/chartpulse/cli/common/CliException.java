package io.chartpulse.cli.common;

/** A failure with the {@link ExitCode} it maps to and a one-line message for people (never a stack trace). */
public final class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
