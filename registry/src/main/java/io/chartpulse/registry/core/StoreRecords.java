package io.chartpulse.registry.core;

import io.chartpulse.schemas.evolution.CompatibilityMode;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of the store topic: JSON keys and values in the layout Confluent's registry uses for
 * {@code _schemas}, so the topic compacts per key (latest value wins, a tombstone removes).
 *
 * <ul>
 *   <li>{@code {"keytype":"SCHEMA","subject":s,"version":v,"magic":1}} →
 *       {@code {"subject","version","id","schema","deleted"}}; a tombstone is a permanent delete</li>
 *   <li>{@code {"keytype":"CONFIG","subject":s|null,"magic":0}} → {@code {"compatibilityLevel":m}}; a tombstone
 *       clears the subject's config (or resets the global one)</li>
 *   <li>{@code {"keytype":"LEADER","magic":0}} → {@code {"url":u}}: the instance that may write</li>
 * </ul>
 * Other key types are skipped, so the reader tolerates records it does not know.
 */
public final class StoreRecords {

    private static final Logger LOG = LoggerFactory.getLogger(StoreRecords.class);

    private StoreRecords() {}

    public static byte[] schemaKey(String subject, int version) {
        return bytes(new JsonObject()
                .put("keytype", "SCHEMA")
                .put("subject", subject)
                .put("version", version)
                .put("magic", 1));
    }

    public static byte[] schemaValue(SchemaVersion v) {
        return bytes(new JsonObject()
                .put("subject", v.subject())
                .put("version", v.version())
                .put("id", v.id())
                .put("schema", v.schema())
                .put("deleted", v.deleted()));
    }

    public static byte[] configKey(String subject) {
        return bytes(new JsonObject()
                .put("keytype", "CONFIG")
                .put("subject", subject)
                .put("magic", 0));
    }

    public static byte[] configValue(CompatibilityMode mode) {
        return bytes(new JsonObject().put("compatibilityLevel", mode.name()));
    }

    public static byte[] leaderKey() {
        return bytes(new JsonObject().put("keytype", "LEADER").put("magic", 0));
    }

    public static byte[] leaderValue(String url) {
        return bytes(new JsonObject().put("url", url));
    }

    /**
     * Applies one record of the log to the state; a record that cannot be read is logged and skipped.
     *
     * @return the record's key type, e.g. {@code SCHEMA}; {@code null} when unreadable
     */
    public static String apply(RegistryState state, byte[] key, byte[] value) {
        JsonObject k;
        try {
            k = new JsonObject(new String(key, StandardCharsets.UTF_8));
        } catch (DecodeException | NullPointerException e) {
            LOG.warn("Skipping store record with unreadable key");
            return null;
        }
        JsonObject v = value == null ? null : new JsonObject(new String(value, StandardCharsets.UTF_8));
        String keyType = String.valueOf(k.getString("keytype"));
        switch (keyType) {
            case "SCHEMA" -> {
                if (v == null) {
                    state.removeVersion(k.getString("subject"), k.getInteger("version"));
                } else {
                    state.putVersion(new SchemaVersion(
                            v.getString("subject"),
                            v.getInteger("version"),
                            v.getInteger("id"),
                            v.getString("schema"),
                            v.getBoolean("deleted", false)));
                }
            }
            case "CONFIG" ->
                state.putConfig(
                        k.getString("subject"),
                        v == null ? null : CompatibilityMode.parse(v.getString("compatibilityLevel")));
            case "LEADER" -> state.putLeader(v == null ? null : v.getString("url"));
            default -> LOG.debug("Skipping store record of key type {}", keyType);
        }
        return keyType;
    }

    private static byte[] bytes(JsonObject json) {
        return json.encode().getBytes(StandardCharsets.UTF_8);
    }
}
