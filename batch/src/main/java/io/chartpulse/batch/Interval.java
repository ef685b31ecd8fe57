package io.chartpulse.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A data interval {@code [start, end)} in UTC: a day ({@code 2026-12-01}) or an hour ({@code 2026-12-01T13}). Every
 * batch run is bound to one; its key is the interval's name in every document and row the run writes, so a rerun
 * replaces exactly what the last run of the interval wrote.
 */
public record Interval(Grain grain, Instant start) {

    /** The two lengths an interval has. */
    public enum Grain {
        DAY("day", "daily", ChronoUnit.DAYS, DateTimeFormatter.ofPattern("yyyy-MM-dd")),
        HOUR("hour", "hourly", ChronoUnit.HOURS, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH"));

        private final String label;
        private final String tableSuffix;
        private final ChronoUnit unit;
        private final DateTimeFormatter format;

        Grain(String label, String tableSuffix, ChronoUnit unit, DateTimeFormatter format) {
            this.label = label;
            this.tableSuffix = tableSuffix;
            this.unit = unit;
            this.format = format;
        }

        /** {@code day} or {@code hour}, as stored. */
        public String label() {
            return label;
        }

        /** {@code daily} or {@code hourly}: how the rollup tables of this grain end ({@code chart_daily}). */
        public String tableSuffix() {
            return tableSuffix;
        }

        /** The grain called {@code label}. */
        public static Grain of(String label) {
            for (Grain g : values()) {
                if (g.label.equals(label)) {
                    return g;
                }
            }
            throw new IllegalArgumentException("grain must be day or hour, got '" + label + "'");
        }
    }

    public Interval {
        if (!start.truncatedTo(grain.unit).equals(start)) {
            throw new IllegalArgumentException("a " + grain.label + " interval starts on the " + grain.label
                    + "'s first instant, not at " + start);
        }
    }

    /**
     * The interval named {@code text}: {@code yyyy-MM-dd} is a day, {@code yyyy-MM-ddTHH} an hour (a trailing
     * {@code :mm[:ss]Z} or offset-free instant on the hour is accepted too, as schedulers print them).
     *
     * @throws IllegalArgumentException naming the text and both accepted forms
     */
    public static Interval parse(String text) {
        String t = text == null ? "" : text.trim();
        try {
            if (t.length() == 10) {
                return new Interval(Grain.DAY, LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            if (t.length() == 13) {
                return new Interval(Grain.HOUR, LocalDateTime.parse(t + ":00").toInstant(ZoneOffset.UTC));
            }
            Instant instant = t.endsWith("Z") || t.contains("+")
                    ? OffsetDateTime.parse(t).toInstant()
                    : LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            return new Interval(Grain.HOUR, instant);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an interval: give a day (2026-12-01) or an"
                    + " hour (2026-12-01T13), in UTC");
        }
    }

    /** The interval of {@code grain} holding {@code instant}. */
    public static Interval containing(Grain grain, Instant instant) {
        return new Interval(grain, instant.truncatedTo(grain.unit));
    }

    /** The first instant after the interval. */
    public Instant end() {
        return start.plus(1, grain.unit);
    }

    /** How long the interval lasts. */
    public Duration length() {
        return Duration.between(start, end());
    }

    /** The interval's name: {@code 2026-12-01} or {@code 2026-12-01T13}. */
    public String key() {
        return grain.format.format(start.atOffset(ZoneOffset.UTC));
    }

    /** The interval of the same grain that follows. */
    public Interval next() {
        return new Interval(grain, end());
    }

    /** Whether {@code t} lies in {@code [start, end)}. */
    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end());
    }

    /** The UTC hours the interval covers, in order (one for an hour interval). */
    public List<Interval> hours() {
        List<Interval> hours = new ArrayList<>();
        for (Instant h = start; h.isBefore(end()); h = h.plus(1, ChronoUnit.HOURS)) {
            hours.add(new Interval(Grain.HOUR, h));
        }
        return hours;
    }

    /** The intervals of {@code grain} from the one holding {@code from} up to the last that ends by {@code to}. */
    public static List<Interval> between(Grain grain, Instant from, Instant to) {
        List<Interval> out = new ArrayList<>();
        for (Interval i = containing(grain, from); !i.end().isAfter(to); i = i.next()) {
            out.add(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return key();
    }

    /** A stretch of time {@code [from, to)} not aligned to any grain. */
    public record Span(Instant from, Instant to) {
        /** Whether {@code t} lies in {@code [from, to)}. */
        public boolean contains(Instant t) {
            return !t.isBefore(from) && t.isBefore(to);
        }
    }
}
