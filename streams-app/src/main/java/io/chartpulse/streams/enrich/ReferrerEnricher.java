package io.chartpulse.streams.enrich;

import io.chartpulse.avro.Campaign;
import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import io.chartpulse.avro.Referrer;
import io.chartpulse.avro.ReferrerClass;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Classifies where the visitor came from and reads the UTM campaign of the page URL.
 * <ol>
 *   <li>PAID: a paid utm_medium (cpc, ppc, paid, display, cpm, affiliate) or an ad click id (gclid, fbclid, msclkid);</li>
 *   <li>DIRECT: no referrer;</li>
 *   <li>INTERNAL: the referrer's host is the page's host (or a subdomain of the same site);</li>
 *   <li>EMAIL: utm_medium email or a web-mail referrer;</li>
 *   <li>SEARCH / SOCIAL: a known search engine or social network, whose name becomes the source;</li>
 *   <li>OTHER: anything else.</li>
 * </ol>
 */
public final class ReferrerEnricher implements Enricher {

    private static final Set<String> PAID_MEDIA =
            Set.of("cpc", "ppc", "paid", "paidsearch", "display", "cpm", "affiliate");
    private static final Set<String> AD_CLICK_IDS = Set.of("gclid", "fbclid", "msclkid", "ttclid");
    private static final Map<String, String> SEARCH = Map.of(
            "google.",
            "google",
            "bing.com",
            "bing",
            "duckduckgo.com",
            "duckduckgo",
            "yahoo.",
            "yahoo",
            "baidu.com",
            "baidu",
            "yandex.",
            "yandex",
            "ecosia.org",
            "ecosia",
            "search.brave.com",
            "brave",
            "qwant.com",
            "qwant",
            "startpage.com",
            "startpage");
    private static final Map<String, String> SOCIAL = Map.ofEntries(
            Map.entry("facebook.com", "facebook"),
            Map.entry("fb.com", "facebook"),
            Map.entry("t.co", "twitter"),
            Map.entry("twitter.com", "twitter"),
            Map.entry("x.com", "twitter"),
            Map.entry("instagram.com", "instagram"),
            Map.entry("linkedin.com", "linkedin"),
            Map.entry("lnkd.in", "linkedin"),
            Map.entry("reddit.com", "reddit"),
            Map.entry("pinterest.", "pinterest"),
            Map.entry("youtube.com", "youtube"),
            Map.entry("tiktok.com", "tiktok"));
    private static final Set<String> WEBMAIL =
            Set.of("mail.google.com", "outlook.live.com", "mail.yahoo.com", "webmail.");

    @Override
    public void enrich(ChartEvent e, EnrichedEvent out) {
        Map<String, String> query = query(e.getPage().getUrl());
        Campaign campaign = campaign(query);
        out.setCampaign(campaign);
        out.setReferrer(classify(e.getPage().getReferrer(), host(e.getPage().getUrl()), query));
    }

    static Referrer classify(String referrer, String pageHost, Map<String, String> query) {
        String medium = query.getOrDefault("utm_medium", "").toLowerCase(Locale.ROOT);
        String host = host(referrer);
        if (PAID_MEDIA.contains(medium) || AD_CLICK_IDS.stream().anyMatch(query::containsKey)) {
            return referrer(ReferrerClass.PAID, host, query.get("utm_source"));
        }
        if (host == null) {
            return referrer(
                    medium.equals("email") ? ReferrerClass.EMAIL : ReferrerClass.DIRECT, null, query.get("utm_source"));
        }
        if (pageHost != null && (host.equals(pageHost) || site(host).equals(site(pageHost)))) {
            return referrer(ReferrerClass.INTERNAL, host, null);
        }
        if (medium.equals("email") || WEBMAIL.stream().anyMatch(host::contains)) {
            return referrer(ReferrerClass.EMAIL, host, query.get("utm_source"));
        }
        String search = match(SEARCH, host);
        if (search != null) {
            return referrer(ReferrerClass.SEARCH, host, search);
        }
        String social = match(SOCIAL, host);
        if (social != null) {
            return referrer(ReferrerClass.SOCIAL, host, social);
        }
        return referrer(ReferrerClass.OTHER, host, null);
    }

    static Campaign campaign(Map<String, String> query) {
        if (query.keySet().stream().noneMatch(k -> k.startsWith("utm_"))) {
            return null;
        }
        return new Campaign(
                query.get("utm_source"),
                query.get("utm_medium"),
                query.get("utm_campaign"),
                query.get("utm_term"),
                query.get("utm_content"));
    }

    static Map<String, String> query(String url) {
        Map<String, String> params = new HashMap<>();
        int q = url == null ? -1 : url.indexOf('?');
        if (q < 0) {
            return params;
        }
        int hash = url.indexOf('#', q);
        for (String pair : url.substring(q + 1, hash < 0 ? url.length() : hash).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    params.putIfAbsent(
                            pair.substring(0, eq).toLowerCase(Locale.ROOT),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException malformed) {
                    // a broken escape: the parameter is ignored
                }
            }
        }
        return params;
    }

    private static Referrer referrer(ReferrerClass type, String host, String source) {
        return new Referrer(type, host, source);
    }

    private static String match(Map<String, String> known, String host) {
        for (Map.Entry<String, String> entry : known.entrySet()) {
            String domain = entry.getKey();
            if (domain.endsWith(".")
                    ? (host.startsWith(domain) || host.contains("." + domain))
                    : (host.equals(domain) || host.endsWith("." + domain))) {
                return entry.getValue();
            }
        }
        return null;
    }

    /**
     * The lower-cased host of an absolute URL ({@code scheme://[user@]host[:port]...}), or null. A hand-rolled scan: {@code java.net.URI} is strict
     * (one bad character and the host is lost) and was a tenth of the topology's time.
     */
    static String host(String url) {
        if (url == null) {
            return null;
        }
        String trimmed = url.trim();
        int scheme = trimmed.indexOf("://");
        if (scheme <= 0 || !Character.isLetter(trimmed.charAt(0))) {
            return null;
        }
        for (int i = 1; i < scheme; i++) {
            char c = trimmed.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '+' && c != '-' && c != '.') {
                return null;
            }
        }
        url = trimmed;
        int start = scheme + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        if (at >= start) {
            start = at + 1;
        }
        int port = url.indexOf(':', start);
        if (port >= 0 && port < end && url.charAt(start) != '[') {
            end = port;
        }
        return start == end ? null : url.substring(start, end).toLowerCase(Locale.ROOT);
    }

    // The last two labels: good enough to tell www.example.com and shop.example.com apart from other sites.
    private static String site(String host) {
        String[] labels = host.split("\\.");
        return labels.length <= 2 ? host : labels[labels.length - 2] + "." + labels[labels.length - 1];
    }
}
