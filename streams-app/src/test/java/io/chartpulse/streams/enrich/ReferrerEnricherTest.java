package io.chartpulse.streams.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.chartpulse.avro.ReferrerClass;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferrerEnricherTest {

    @Test
    void hostIsTheAuthorityWithoutUserPortOrCase() {
        assertThat(ReferrerEnricher.host("https://www.Google.com/search?q=tv")).isEqualTo("www.google.com");
        assertThat(ReferrerEnricher.host(" http://user:pw@shop.example.com:8080/a#b "))
                .isEqualTo("shop.example.com");
        assertThat(ReferrerEnricher.host("https://t.co?x=1")).isEqualTo("t.co");
        assertThat(ReferrerEnricher.host("android-app://com.google.android.gm/"))
                .isEqualTo("com.google.android.gm");
        assertThat(ReferrerEnricher.host("https://example.com/path?next=http://other.com/"))
                .isEqualTo("example.com");
    }

    @Test
    void noHostWithoutAnAbsoluteUrl() {
        assertThat(ReferrerEnricher.host(null)).isNull();
        assertThat(ReferrerEnricher.host("")).isNull();
        assertThat(ReferrerEnricher.host("/relative/path")).isNull();
        assertThat(ReferrerEnricher.host("https:///no-host")).isNull();
        assertThat(ReferrerEnricher.host("/redirect?to=https://x.com")).isNull();
        assertThat(ReferrerEnricher.host("not a url")).isNull();
    }

    @Test
    void classifiesBySourceInTheDocumentedOrder() {
        assertThat(ReferrerEnricher.classify("https://www.google.de/", "shop.example.com", Map.of())
                        .getReferrerClass())
                .isEqualTo(ReferrerClass.SEARCH);
        assertThat(ReferrerEnricher.classify("https://www.example.com/a", "shop.example.com", Map.of())
                        .getReferrerClass())
                .isEqualTo(ReferrerClass.INTERNAL);
        assertThat(ReferrerEnricher.classify("https://www.google.de/", "shop.example.com", Map.of("gclid", "x"))
                        .getReferrerClass())
                .isEqualTo(ReferrerClass.PAID);
        assertThat(ReferrerEnricher.classify(null, "shop.example.com", Map.of()).getReferrerClass())
                .isEqualTo(ReferrerClass.DIRECT);
        assertThat(ReferrerEnricher.classify("https://l.instagram.com/", "shop.example.com", Map.of())
                        .getSource())
                .isEqualTo("instagram");
    }
}
