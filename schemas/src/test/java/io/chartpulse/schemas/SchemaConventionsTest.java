package io.chartpulse.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The house rules of docs/ARCHITECTURE.md and the foundation issue, checked on every schema, nested types included. */
class SchemaConventionsTest {

    @ParameterizedTest
    @EnumSource(ChartPulseSchema.class)
    void everyRecordEnumAndFieldHasADoc(ChartPulseSchema record) {
        List<String> missing = new ArrayList<>();
        walk(record.schema(), new HashSet<>(), (schema, field) -> {
            if (field == null && isNamed(schema) && blank(schema.getDoc())) {
                missing.add(schema.getFullName());
            }
            if (field != null && blank(field.doc())) {
                missing.add(schema.getName() + "." + field.name());
            }
        });
        assertThat(missing).as("types and fields without a doc").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ChartPulseSchema.class)
    void enumsDefaultToUnknown(ChartPulseSchema record) {
        List<String> bad = new ArrayList<>();
        walk(record.schema(), new HashSet<>(), (schema, field) -> {
            if (field == null
                    && schema.getType() == Schema.Type.ENUM
                    && (!"UNKNOWN".equals(schema.getEnumDefault())
                            || !schema.getEnumSymbols().contains("UNKNOWN"))) {
                bad.add(schema.getFullName());
            }
        });
        assertThat(bad).as("enums without an UNKNOWN default").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ChartPulseSchema.class)
    void optionalFieldsAreNullFirstUnionsWithNullDefault(ChartPulseSchema record) {
        List<String> bad = new ArrayList<>();
        walk(record.schema(), new HashSet<>(), (schema, field) -> {
            if (field != null && field.schema().getType() == Schema.Type.UNION) {
                List<Schema> branches = field.schema().getTypes();
                boolean ok = branches.size() == 2
                        && branches.get(0).getType() == Schema.Type.NULL
                        && field.hasDefaultValue()
                        && field.defaultVal() == JsonProperties.NULL_VALUE;
                if (!ok) {
                    bad.add(schema.getName() + "." + field.name());
                }
            }
        });
        assertThat(bad)
                .as("unions that are not [\"null\", T] with default null")
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ChartPulseSchema.class)
    void timestampsUseTheTimestampMillisLogicalType(ChartPulseSchema record) {
        List<String> bad = new ArrayList<>();
        walk(record.schema(), new HashSet<>(), (schema, field) -> {
            if (field != null && (field.name().endsWith("_at") || field.name().startsWith("window_"))) {
                Schema type = field.schema().getType() == Schema.Type.UNION
                        ? field.schema().getTypes().get(1)
                        : field.schema();
                if (!(type.getLogicalType() instanceof LogicalTypes.TimestampMillis)) {
                    bad.add(schema.getName() + "." + field.name());
                }
            }
        });
        assertThat(bad).as("time fields without timestamp-millis").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ChartPulseSchema.class)
    void namespaceIsChartPulses(ChartPulseSchema record) {
        assertThat(record.schema().getNamespace()).startsWith("io.chartpulse.avro");
    }

    private interface Visitor {
        void visit(Schema owner, Schema.Field field);
    }

    private static void walk(Schema schema, Set<String> seen, Visitor visitor) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                visitor.visit(schema, null);
                for (Schema.Field field : schema.getFields()) {
                    visitor.visit(schema, field);
                    walk(field.schema(), seen, visitor);
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName())) {
                    visitor.visit(schema, null);
                }
            }
            case UNION -> schema.getTypes().forEach(t -> walk(t, seen, visitor));
            case ARRAY -> walk(schema.getElementType(), seen, visitor);
            case MAP -> walk(schema.getValueType(), seen, visitor);
            default -> {}
        }
    }

    private static boolean isNamed(Schema schema) {
        return schema.getType() == Schema.Type.RECORD || schema.getType() == Schema.Type.ENUM;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
