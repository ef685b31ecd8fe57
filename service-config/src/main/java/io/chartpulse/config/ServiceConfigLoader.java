package io.chartpulse.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Loads a ChartPulse service's settings: a properties file (optional), then environment variables with the service's prefix,
 * which win. {@code CHARTPULSE_REGISTRY_STORE_TOPIC} sets {@code store.topic}; Kafka keys work the same way
 * ({@code CHARTPULSE_REGISTRY_KAFKA_SECURITY_PROTOCOL} sets {@code kafka.security.protocol}).
 */
public final class ServiceConfigLoader {

    private ServiceConfigLoader() {}

    public static Map<String, String> load(Path file, String envPrefix, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        if (file != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                props.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read config file " + file, e);
            }
            props.stringPropertyNames()
                    .forEach(key -> values.put(key, props.getProperty(key).trim()));
        }
        env.forEach((name, value) -> {
            if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
                values.put(
                        name.substring(envPrefix.length())
                                .toLowerCase(Locale.ROOT)
                                .replace('_', '.'),
                        value);
            }
        });
        return values;
    }

    /**
     * The environment that sets {@code settings} for a service reading {@code envPrefix}: the inverse of
     * {@link #load}'s mapping ({@code store.topic} → {@code CHARTPULSE_REGISTRY_STORE_TOPIC}).
     */
    public static Map<String, String> environment(String envPrefix, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        settings.forEach((key, value) -> env.put(envName(envPrefix, key), value));
        return env;
    }

    /** The environment variable that sets {@code key}: the prefix, then the key upper-cased with dots as underscores. */
    public static String envName(String envPrefix, String key) {
        return envPrefix + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** Reads a properties file of users ({@code user=password}). */
    public static Map<String, String> users(Path file) {
        Map<String, String> users = new HashMap<>();
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read users file " + file, e);
        }
        props.stringPropertyNames().forEach(user -> users.put(user, props.getProperty(user)));
        return users;
    }
}
