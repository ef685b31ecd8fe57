package io.chartpulse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ConfigChoicesTest {

    enum Codec implements ConfigChoice {
        NONE("null"),
        ZSTD("zstandard");

        private final String value;

        Codec(String value) {
            this.value = value;
        }

        @Override
        public String configValue() {
            return value;
        }
    }

    @Test
    void theEnumDeclaresWhatIsAcceptedOfferedAndParsed() {
        assertThat(ConfigChoices.values(Codec.class)).containsExactly("null", "zstandard");
        assertThat(ConfigChoices.parse(Codec.class, "codec", "zstandard")).isEqualTo(Codec.ZSTD);
        assertThat(ConfigChoices.recommender(Codec.class).validValues("codec", Map.of()))
                .containsExactly("null", "zstandard");
        ConfigDef.Validator validator = ConfigChoices.validator(Codec.class);
        assertThat(validator.toString()).isEqualTo("[null, zstandard]");
        validator.ensureValid("codec", "null");
        assertThatThrownBy(() -> validator.ensureValid("codec", "ZSTD"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("codec");
    }

    @Test
    void aValueNoConstantCarriesIsRefusedNamingTheKeyAndTheChoices() {
        assertThatThrownBy(() -> ConfigChoices.parse(Codec.class, "avro.codec", "lz4"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("avro.codec")
                .hasMessageContaining("lz4")
                .hasMessageContaining("[null, zstandard]");
    }

    @Test
    void aDefinedKeyRecommendsTheChoicesThroughConfigDef() {
        ConfigDef def = new ConfigDef()
                .define(
                        "codec",
                        ConfigDef.Type.STRING,
                        "null",
                        ConfigChoices.validator(Codec.class),
                        ConfigDef.Importance.LOW,
                        "Codec.",
                        "format",
                        1,
                        ConfigDef.Width.SHORT,
                        "Codec",
                        ConfigChoices.recommender(Codec.class));
        assertThat(def.validate(Map.of("codec", "zstandard")).get(0).recommendedValues())
                .containsExactly("null", "zstandard");
    }
}
