package io.chartpulse.registry;

/** Small Avro schemas for registry tests, written as a user would post them. */
final class Schemas {

    private Schemas() {}

    /** A record {@code Thing} with the given field declarations, e.g. {@code field("a", "\"int\"")}. */
    static String record(String... fields) {
        return "{\"type\":\"record\",\"name\":\"Thing\",\"namespace\":\"io.chartpulse.test\",\"fields\":["
                + String.join(",", fields) + "]}";
    }

    static String field(String name, String type) {
        return "{\"name\":\"" + name + "\",\"type\":" + type + "}";
    }

    static String field(String name, String type, String defaultJson) {
        return "{\"name\":\"" + name + "\",\"type\":" + type + ",\"default\":" + defaultJson + "}";
    }

    static final String INT_A = field("a", "\"int\"");
    static final String INT_A_DEFAULT = field("a", "\"int\"", "0");
    static final String OPTIONAL_B = field("b", "[\"null\",\"string\"]", "null");
    static final String REQUIRED_B = field("b", "\"string\"");
    static final String B_WITH_DEFAULT = field("b", "\"string\"", "\"x\"");
    static final String REQUIRED_C = field("c", "\"string\"");
}
