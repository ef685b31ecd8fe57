package io.chartpulse.streams.topology;

import io.chartpulse.avro.ChartEvent;
import io.chartpulse.avro.RejectedEvent;

/** A raw record after decoding and validation: the event, or why it was refused. Never serialized. */
record Checked(ChartEvent event, RejectedEvent rejected) {}
