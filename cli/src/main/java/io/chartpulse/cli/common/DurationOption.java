package io.chartpulse.cli.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** An option holding an ISO-8601 duration: parsed, or a one-line usage error naming the option and an example. */
public final class DurationOption {

    private DurationOption() {}

    /**
     * {@code value} as a duration, not negative.
     *
     * @throws CliException with {@link ExitCode#USAGE}, naming {@code option}, when it is not one
     */
    public static Duration parse(String option, String value, String example) {
        Duration d;
        try {
            d = Duration.parse(value);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new CliException(
                    ExitCode.USAGE, option + " must be an ISO-8601 duration such as " + example + ", got " + value);
        }
        if (d.isNegative()) {
            throw new CliException(ExitCode.USAGE, option + " must not be negative, got " + value);
        }
        return d;
    }
}
