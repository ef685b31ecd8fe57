package io.chartpulse.schemas.evolution;

/** Which side reads which in one compatibility check. */
public enum Direction {
    /** The new schema reads data written with an older version. */
    BACKWARD("the new schema reading data written with"),
    /** An older version reads data written with the new schema. */
    FORWARD("readers still on");

    private final String phrase;

    Direction(String phrase) {
        this.phrase = phrase;
    }

    String describe(String version) {
        return this == BACKWARD
                ? phrase + " " + version
                : phrase + " " + version + " reading data written with the new schema";
    }
}
