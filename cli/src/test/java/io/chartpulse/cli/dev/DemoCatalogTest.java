package io.chartpulse.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoCatalogTest {

    @Test
    void theResourceListsTenLaptopsEachWithIdNameBrandAndAPrice() {
        List<String[]> products = DemoCatalog.products();
        assertThat(products).hasSize(10);
        assertThat(products).allSatisfy(p -> {
            assertThat(p).hasSize(4);
            assertThat(p[0]).matches("p-\\d\\d");
            assertThat(Double.parseDouble(p[3])).isPositive();
        });
        assertThat(products.stream().map(p -> p[0]).distinct()).hasSize(10);
        // The load generator's product ids (p-01 … p-07 by rank) must be in the catalog for the join to show.
        assertThat(products.stream().map(p -> p[0])).contains("p-01", "p-07");
    }
}
