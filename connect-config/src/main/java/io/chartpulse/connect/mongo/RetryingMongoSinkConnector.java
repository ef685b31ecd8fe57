package io.chartpulse.connect.mongo;

import com.mongodb.kafka.connect.MongoSinkConnector;
import org.apache.kafka.connect.connector.Task;

/**
 * The official MongoDB sink connector (same configuration, same validation) whose tasks wait out a MongoDB outage
 * instead of sending the records they hold to the dead-letter topic: see {@link RetryingMongoSinkTask}.
 */
public class RetryingMongoSinkConnector extends MongoSinkConnector {

    @Override
    public Class<? extends Task> taskClass() {
        return RetryingMongoSinkTask.class;
    }
}
