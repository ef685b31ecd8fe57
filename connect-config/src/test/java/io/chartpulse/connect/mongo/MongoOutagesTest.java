package io.chartpulse.connect.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoException;
import com.mongodb.MongoSocketWriteException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import java.io.IOException;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class MongoOutagesTest {

    @Test
    void unreachableMongoDbIsAnOutageWhereverItIsInTheCauses() {
        MongoSocketWriteException socket =
                new MongoSocketWriteException("Exception sending message", new ServerAddress(), new IOException());
        assertThat(MongoOutages.outage(socket)).isSameAs(socket);
        MongoTimeoutException timeout = new MongoTimeoutException("no server");
        assertThat(MongoOutages.outage(new DataException(timeout))).isSameAs(timeout);
        MongoException labelled = new MongoException(91, "shutdown in progress");
        labelled.addLabel(MongoOutages.RETRYABLE_WRITE_ERROR);
        assertThat(MongoOutages.outage(labelled)).isSameAs(labelled);
    }

    @Test
    void aRefusedDocumentIsNoOutage() {
        assertThat(MongoOutages.outage(new MongoException(11000, "E11000 duplicate key")))
                .isNull();
        assertThat(MongoOutages.outage(new DataException("bad value"))).isNull();
    }

    @Test
    void theRetryWaitDoublesFromHalfASecondToTenSeconds() {
        assertThat(RetryingMongoSinkTask.backoff(1)).isEqualTo(500);
        assertThat(RetryingMongoSinkTask.backoff(2)).isEqualTo(1000);
        assertThat(RetryingMongoSinkTask.backoff(5)).isEqualTo(8000);
        assertThat(RetryingMongoSinkTask.backoff(6)).isEqualTo(10_000);
        assertThat(RetryingMongoSinkTask.backoff(500)).isEqualTo(10_000);
    }
}
