package io.chartpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LakeCatalogTest {

    @Test
    void takesTheCatalogKeysOfTheConnectorConfigWithVariablesResolved() {
        Map<String, String> config = LakeStack.connectorConfig(LakeTable.SESSIONS);
        Map<String, String> env = Map.ofEntries(
                Map.entry("CHARTPULSE_LAKE_CATALOG_TYPE", "jdbc"),
                Map.entry("CHARTPULSE_LAKE_CATALOG_URI", "jdbc:sqlite:/tmp/c.db"),
                Map.entry("CHARTPULSE_LAKE_CATALOG_USER", ""),
                Map.entry("CHARTPULSE_LAKE_CATALOG_PASSWORD", ""),
                Map.entry("CHARTPULSE_LAKE_WAREHOUSE", "s3://b/warehouse"),
                Map.entry("CHARTPULSE_S3_REGION", "us-east-1"),
                Map.entry("CHARTPULSE_S3_ENDPOINT", "http://127.0.0.1:9000"),
                Map.entry("CHARTPULSE_S3_PATH_STYLE", "true"),
                Map.entry("CHARTPULSE_S3_ACCESS_KEY", "k"),
                Map.entry("CHARTPULSE_S3_SECRET_KEY", "s"));
        Map<String, String> properties = LakeCatalog.catalogProperties(config, env::get);
        assertThat(properties)
                .containsEntry("type", "jdbc")
                .containsEntry("uri", "jdbc:sqlite:/tmp/c.db")
                .containsEntry("warehouse", "s3://b/warehouse")
                .containsEntry("s3.endpoint", "http://127.0.0.1:9000")
                .doesNotContainKey("catalog.type");
        assertThat(LakeCatalog.catalogName(config)).isEqualTo("chartpulse");
    }

    @Test
    void aKeyWhoseVariablesAreEmptyIsLeftOutAsOnAwsWhereTheRoleAndGlueAreUsed() {
        Map<String, String> properties = LakeCatalog.catalogProperties(
                Map.of(
                        "iceberg.catalog.type", "${env:TYPE}",
                        "iceberg.catalog.s3.endpoint", "${env:ENDPOINT}",
                        "iceberg.catalog.s3.access-key-id", "${env:KEY}"),
                Map.of("TYPE", "glue", "ENDPOINT", "", "KEY", "")::get);
        assertThat(properties).containsOnlyKeys("type");
        // The JDBC user and password of a catalog without them stay: empty there means "no password".
        assertThat(LakeCatalog.catalogProperties(Map.of("iceberg.catalog.jdbc.user", ""), name -> null))
                .containsEntry("jdbc.user", "");
    }

    @Test
    void namesTheKeyAndTheVariableThatIsNotSet() {
        assertThatThrownBy(() -> LakeCatalog.catalogProperties(
                        Map.of("iceberg.catalog.uri", "jdbc:sqlite:${env:NOPE}"), name -> null))
                .hasMessage("iceberg.catalog.uri needs the environment variable NOPE, which is not set");
    }

    @Test
    void everyTableHasItsConnectorFileWritingItFromItsTopic() {
        for (LakeTable table : LakeTable.values()) {
            Map<String, String> config = LakeStack.connectorConfig(table);
            assertThat(config.get("topics")).isEqualTo(table.topic());
            assertThat(config.get("iceberg.tables"))
                    .isEqualTo(table.identifier().toString());
            assertThat(config.get("iceberg.tables.auto-create-enabled")).isEqualTo("false");
            assertThat(config.get("iceberg.control.topic")).isEqualTo(LakeStack.CONTROL_TOPIC);
        }
    }
}
