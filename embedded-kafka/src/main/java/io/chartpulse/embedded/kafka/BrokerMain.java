package io.chartpulse.embedded.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A development broker in a JVM of its own, for tests that kill or restart Kafka as a process: {@code java -cp …
 * io.chartpulse.embedded.kafka.BrokerMain <data-dir> <port> <controller-port>}. The same single-node KRaft broker as
 * {@link EmbeddedKafka}, on fixed ports (so clients find it again after a restart) and a persistent data directory
 * (so a restart keeps topics, offsets and transactions). Prints one {@code ready <bootstrap servers>} line once it
 * answers clients and runs until stopped; SIGTERM shuts it down cleanly, SIGKILL is a crash.
 */
public final class BrokerMain {

    private BrokerMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: BrokerMain <data-dir> <port> <controller-port>");
            System.exit(2);
        }
        EmbeddedKafka kafka = EmbeddedKafka.builder()
                .dataDir(Path.of(args[0]))
                .port(Integer.parseInt(args[1]))
                .controllerPort(Integer.parseInt(args[2]))
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }));
        System.out.println("ready " + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
