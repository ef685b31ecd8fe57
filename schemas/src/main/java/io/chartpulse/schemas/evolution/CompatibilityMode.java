package io.chartpulse.schemas.evolution;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The schema-registry compatibility modes, with the one mapping from a mode to what it checks.
 *
 * <ul>
 *   <li>BACKWARD: consumers on the new schema can read data written with the previous one (reader = new).</li>
 *   <li>FORWARD: consumers still on the previous schema can read data written with the new one (reader = old).</li>
 *   <li>FULL: both.</li>
 *   <li>*_TRANSITIVE: against every earlier version, not only the latest.</li>
 *   <li>NONE: nothing is checked.</li>
 * </ul>
 */
public enum CompatibilityMode {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityMode(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** True when the new schema must read data written with older versions. */
    public boolean checksBackward() {
        return backward;
    }

    /** True when older versions must read data written with the new schema. */
    public boolean checksForward() {
        return forward;
    }

    /** True when every earlier version is checked, false when only the latest is. */
    public boolean transitive() {
        return transitive;
    }

    /**
     * Parses a mode name case-insensitively.
     *
     * @throws IllegalArgumentException naming the bad value and the valid ones
     */
    public static CompatibilityMode parse(String name) {
        if (name != null) {
            for (CompatibilityMode mode : values()) {
                if (mode.name().equalsIgnoreCase(name.trim())) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("Unknown compatibility mode '" + name + "'; valid modes are "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return name().toUpperCase(Locale.ROOT);
    }
}
