package io.chartpulse.embedded.kafka.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * Renders a {@link ConfigDef} as the Markdown table module READMEs carry, so a test can hold the README to the
 * declaration: {@code assertThat(readme).contains(ConfigTable.markdown(MyConfig.CONFIG))}. Rows keep the order
 * of declaration.
 */
public final class ConfigTable {

    private ConfigTable() {}

    public static String markdown(ConfigDef def) {
        StringBuilder out = new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            out.append("| `")
                    .append(key.name)
                    .append("` | ")
                    .append(key.type.name().toLowerCase(Locale.ROOT))
                    .append(" | ")
                    .append(defaultOf(key))
                    .append(" | ")
                    .append(key.documentation.replace("|", "\\|").replace("\n", " "))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The README's text, for tests. */
    public static String read(Path readme) {
        try {
            return Files.readString(readme);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + readme, e);
        }
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        Object value = key.defaultValue;
        if (value == null) {
            return "(none)";
        }
        if (value instanceof Password password) {
            return password.value().isEmpty() ? "`\"\"`" : "(hidden)";
        }
        if (value instanceof List<?> list) {
            StringJoiner joined = new StringJoiner(",");
            list.forEach(item -> joined.add(String.valueOf(item)));
            value = joined.toString();
        } else if (value instanceof Class<?> type) {
            value = type.getName();
        }
        String text = String.valueOf(value);
        return text.isEmpty() ? "`\"\"`" : "`" + text + "`";
    }
}
