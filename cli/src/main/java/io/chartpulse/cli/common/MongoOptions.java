package io.chartpulse.cli.common;

import picocli.CommandLine.Option;

/**
 * Where MongoDB is, declared once for the commands that read or write it ({@code mongo init}, {@code tail},
 * {@code loadgen}): {@code --mongo-uri} and {@code --mongo-database}, each also accepted under its short name
 * ({@code --uri}, {@code --database}), from the environment the services use.
 */
public final class MongoOptions {

    /** What a command without {@code --mongo-uri} and {@code CHARTPULSE_MONGO_URI} talks to: the dev stack. */
    public static final String DEFAULT_URI = "mongodb://127.0.0.1:27017/?retryWrites=false";

    @Option(
            names = {"--mongo-uri", "--uri"},
            defaultValue = "${env:CHARTPULSE_MONGO_URI:-" + DEFAULT_URI + "}",
            description = "MongoDB connection string (env CHARTPULSE_MONGO_URI; default ${DEFAULT-VALUE}).")
    public String uri;

    @Option(
            names = {"--mongo-database", "--database"},
            defaultValue = "${env:CHARTPULSE_MONGO_DATABASE:-chartpulse}",
            description = "MongoDB database (env CHARTPULSE_MONGO_DATABASE; default ${DEFAULT-VALUE}).")
    public String database;
}
