package io.chartpulse.cli.common;

/**
 * The exit codes of every {@code chartpulse} command, declared once: the root command's help lists them and every
 * subcommand returns or throws one of them.
 */
public final class ExitCode {

    /** Success. */
    public static final int OK = 0;

    /** The check failed: a FAILED connector or task, pending changes in {@code diff}, a reconciliation mismatch. */
    public static final int CHECK_FAILED = 1;

    /** Bad usage or invalid connector configs. */
    public static final int USAGE = 2;

    /** Kafka Connect, MongoDB or another service answered with an error. */
    public static final int REMOTE_ERROR = 3;

    /** Kafka Connect, MongoDB or another service could not be reached. */
    public static final int UNREACHABLE = 4;

    private ExitCode() {}
}
