package io.chartpulse.config;

/**
 * A closed configuration choice: an enum whose constants each carry the exact string a config file or connector
 * JSON uses ({@code "kafka_partition"}, {@code "exactly_once_v2"}). {@link ConfigChoices} turns such an enum into the
 * {@code ConfigDef} validator, recommender and parser, so the accepted values are declared once, by the enum.
 */
public interface ConfigChoice {

    /** The string that selects this choice in configuration. */
    String configValue();
}
