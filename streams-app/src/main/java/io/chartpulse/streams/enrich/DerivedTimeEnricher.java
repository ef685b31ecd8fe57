package io.chartpulse.streams.enrich;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.EnrichedEvent;
import java.time.Duration;

/**
 * Corrects the device clock: derived_at = received_at - (sent_at - created_at), the event's time on the
 * collector's clock; clock_skew_ms = sent_at - received_at (the device's offset, network delay included).
 */
public final class DerivedTimeEnricher implements Enricher {
    @Override
    public void enrich(ChartEvent e, EnrichedEvent out) {
        out.setDerivedAt(e.getReceivedAt().minus(Duration.between(e.getCreatedAt(), e.getSentAt())));
        out.setClockSkewMs(Duration.between(e.getReceivedAt(), e.getSentAt()).toMillis());
    }
}
