package io.chartpulse.connect.mongo;

import com.mongodb.MongoException;
import com.mongodb.kafka.connect.sink.MongoSinkTask;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The official MongoDB sink task, with outages retried instead of dead-lettered. With {@code errors.tolerance=all}
 * the stock task reports every record of a batch whose write failed to the dead-letter topic, whatever the failure:
 * during a MongoDB outage each valid record it held went there and never reached MongoDB (the fault run of
 * {@code e2e/} lost 310 events that way in a 60 s outage). Here a failure that is an outage ({@link MongoOutages}) —
 * whether the stock task throws it or hands it to the dead-letter reporter — becomes a {@link RetriableException}:
 * Connect keeps the batch, waits ({@link #backoff}, 0.5 s doubling to 10 s) and puts it again, for as long as the
 * outage lasts; the writes are idempotent upserts, so a batch written in part before the outage is written again
 * harmlessly. A record MongoDB refuses still goes to the dead-letter topic as before.
 */
public class RetryingMongoSinkTask extends MongoSinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingMongoSinkTask.class);
    static final long FIRST_BACKOFF_MS = 500;
    static final long MAX_BACKOFF_MS = 10_000;

    private SinkTaskContext connect;
    private int outages;

    @Override
    public void initialize(SinkTaskContext context) {
        this.connect = context;
        super.initialize(new OutageAwareContext(context));
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            super.put(records);
            if (outages > 0) {
                LOG.info("MongoDB answers again after {} retried batch(es)", outages);
                outages = 0;
            }
        } catch (RetriableException e) {
            throw e;
        } catch (RuntimeException e) {
            MongoException outage = MongoOutages.outage(e);
            if (outage == null) {
                throw e;
            }
            throw retry(outage);
        }
    }

    private RetriableException retry(MongoException outage) {
        outages++;
        long wait = backoff(outages);
        connect.timeout(wait);
        String message = "MongoDB is unreachable (" + outage.getClass().getSimpleName() + ": " + outage.getMessage()
                + "); the batch is retried in " + wait + " ms, attempt " + outages;
        if (outages == 1 || outages % 10 == 0) {
            LOG.warn(message);
        }
        return new RetriableException(message, outage);
    }

    /** The wait before attempt {@code n + 1}: 0.5 s, doubling, at most 10 s. */
    static long backoff(int n) {
        return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(n - 1, 10));
    }

    /** Connect's context, but its dead-letter reporter turns an outage into a retry instead of a dead letter. */
    private final class OutageAwareContext implements SinkTaskContext {
        private final SinkTaskContext delegate;

        OutageAwareContext(SinkTaskContext delegate) {
            this.delegate = delegate;
        }

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            ErrantRecordReporter reporter = delegate.errantRecordReporter();
            if (reporter == null) {
                return null;
            }
            return (record, error) -> {
                MongoException outage = MongoOutages.outage(error);
                if (outage != null) {
                    throw retry(outage);
                }
                return reporter.report(record, error);
            };
        }

        @Override
        public Map<String, String> configs() {
            return delegate.configs();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
            delegate.offset(offsets);
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
            delegate.offset(tp, offset);
        }

        @Override
        public void timeout(long timeoutMs) {
            delegate.timeout(timeoutMs);
        }

        @Override
        public Set<TopicPartition> assignment() {
            return delegate.assignment();
        }

        @Override
        public void pause(TopicPartition... partitions) {
            delegate.pause(partitions);
        }

        @Override
        public void resume(TopicPartition... partitions) {
            delegate.resume(partitions);
        }

        @Override
        public void requestCommit() {
            delegate.requestCommit();
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return delegate.pluginMetrics();
        }
    }
}
