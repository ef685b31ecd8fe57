package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chartpulse.schemas.ChartPulseSchema;
import org.apache.avro.SchemaBuilder;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class AvroToIcebergTest {

    @Test
    void mapsTheEnrichedEventContract() {
        Schema schema = AvroToIceberg.schema(ChartPulseSchema.ENRICHED_EVENT.schema());
        assertThat(schema.findField("event_id").isRequired()).isTrue();
        assertThat(schema.findType("event_id")).isEqualTo(Types.StringType.get());
        assertThat(schema.findType("event_type")).as("enum as its symbol").isEqualTo(Types.StringType.get());
        assertThat(schema.findType("derived_at")).isEqualTo(Types.TimestampType.withZone());
        assertThat(schema.findField("derived_at").isRequired()).isTrue();
        assertThat(schema.findField("user_id").isOptional()).isTrue();
        assertThat(schema.findField("chart").isOptional()).isTrue();
        assertThat(schema.findType("chart").isStructType()).isTrue();
        assertThat(schema.findType("chart.filters").isMapType()).isTrue();
        assertThat(schema.findType("properties").asMapType().keyType()).isEqualTo(Types.StringType.get());
        assertThat(schema.findField("chart.chart_id").doc()).isNotBlank();
        assertThat(schema.columns())
                .hasSize(ChartPulseSchema.ENRICHED_EVENT.schema().getFields().size());
    }

    @Test
    void mapsArraysOfTheSessionContractToLists() {
        Schema schema = AvroToIceberg.schema(ChartPulseSchema.SESSION.schema());
        assertThat(schema.findType("pages").isListType()).isTrue();
        assertThat(schema.findType("pages").asListType().elementType()).isEqualTo(Types.StringType.get());
        assertThat(schema.findType("entry_at")).isEqualTo(Types.TimestampType.withZone());
        assertThat(schema.findField("entry_at").isOptional()).isTrue();
    }

    @Test
    void refusesAUnionOfTwoTypesNamingTheField() {
        org.apache.avro.Schema avro = SchemaBuilder.record("R")
                .fields()
                .name("v")
                .type()
                .unionOf()
                .stringType()
                .and()
                .longType()
                .endUnion()
                .noDefault()
                .endRecord();
        assertThatThrownBy(() -> AvroToIceberg.schema(avro))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("R.v");
    }
}
