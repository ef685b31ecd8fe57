package io.chartpulse.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** {@code ConfigDef} validators, recommenders and parsing for a {@link ConfigChoice} enum. */
public final class ConfigChoices {

    private ConfigChoices() {}

    /** The enum's config values, in declaration order. */
    public static <E extends Enum<E> & ConfigChoice> List<String> values(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(ConfigChoice::configValue)
                .toList();
    }

    /** Accepts exactly the enum's config values (case-sensitive); documents itself as {@code [a, b, c]}. */
    public static <E extends Enum<E> & ConfigChoice> ConfigDef.Validator validator(Class<E> type) {
        return ConfigDef.ValidString.in(values(type).toArray(String[]::new));
    }

    /** Offers the enum's config values to tools that ask (Connect's validate endpoint, UIs). */
    public static <E extends Enum<E> & ConfigChoice> ConfigDef.Recommender recommender(Class<E> type) {
        List<Object> values = List.copyOf(values(type));
        return new ConfigDef.Recommender() {
            @Override
            public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
                return values;
            }

            @Override
            public boolean visible(String name, Map<String, Object> parsedConfig) {
                return true;
            }
        };
    }

    /** The constant {@code value} selects; a value that selects none is refused naming the key and the choices. */
    public static <E extends Enum<E> & ConfigChoice> E parse(Class<E> type, String key, String value) {
        for (E choice : type.getEnumConstants()) {
            if (choice.configValue().equals(value)) {
                return choice;
            }
        }
        throw new ConfigException(key, value, "expected one of " + values(type));
    }
}
