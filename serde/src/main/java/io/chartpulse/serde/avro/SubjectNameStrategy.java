package io.chartpulse.serde.avro;

import org.apache.avro.Schema;

/** Chooses the registry subject a topic's keys or values are registered under. */
@FunctionalInterface
public interface SubjectNameStrategy {

    /**
     * @param topic  the topic written to or read from
     * @param isKey  true for record keys
     * @param schema the record's schema
     */
    String subjectName(String topic, boolean isKey, Schema schema);

    /** {@code <topic>-key} / {@code <topic>-value}: one schema lineage per topic (the default). */
    final class TopicNameStrategy implements SubjectNameStrategy {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    }

    /** The record's full name: one lineage per record type, across topics. */
    final class RecordNameStrategy implements SubjectNameStrategy {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return schema.getFullName();
        }
    }

    /** {@code <topic>-<record full name>}: several record types per topic, each with its own lineage. */
    final class TopicRecordNameStrategy implements SubjectNameStrategy {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic + "-" + schema.getFullName();
        }
    }
}
