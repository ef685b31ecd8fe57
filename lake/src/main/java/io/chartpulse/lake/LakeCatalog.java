package io.chartpulse.lake;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.io.FileIO;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Opens the lake's Iceberg catalog with the settings its sink connectors use. The connector configs are the one
 * place those settings are written ({@code iceberg.catalog} and the {@code iceberg.catalog.*} keys of
 * {@code connect-config/connectors/iceberg-*.json}); the CLI and the batch jobs read the same keys, with the same
 * {@code ${env:NAME}} placeholders resolved from their own environment, so a table the sink writes is the table
 * they read.
 */
public final class LakeCatalog {

    /** The connector key naming the catalog. */
    public static final String CATALOG_NAME_KEY = "iceberg.catalog";

    /** The prefix of the connector keys that are catalog properties. */
    public static final String CATALOG_PREFIX = "iceberg.catalog.";

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");

    private LakeCatalog() {}

    /**
     * The catalog properties of a connector config ({@code iceberg.catalog.*} without the prefix), each
     * {@code ${env:NAME}} replaced by {@code env.apply(NAME)}; a property whose placeholders resolve to nothing is
     * left out, as if not set.
     *
     * @throws IllegalArgumentException naming the variable, when one is not set
     */
    public static Map<String, String> catalogProperties(
            Map<String, String> connectorConfig, UnaryOperator<String> env) {
        Map<String, String> properties = new LinkedHashMap<>();
        connectorConfig.forEach((key, value) -> {
            if (key.startsWith(CATALOG_PREFIX)) {
                String resolved = resolve(key, value, env);
                // An empty value means "not set" (S3FileIO would take an empty endpoint or key literally): the AWS
                // overlay leaves the endpoint, keys and JDBC URI empty, so the pod's role and Glue are used.
                if (!resolved.isEmpty() || value.isEmpty()) {
                    properties.put(key.substring(CATALOG_PREFIX.length()), resolved);
                }
            }
        });
        if (properties.isEmpty()) {
            throw new IllegalArgumentException("The connector config has no " + CATALOG_PREFIX + "* keys");
        }
        return properties;
    }

    /** The catalog's name in a connector config ({@code iceberg.catalog}, default {@code iceberg} as the sink's). */
    public static String catalogName(Map<String, String> connectorConfig) {
        return connectorConfig.getOrDefault(CATALOG_NAME_KEY, "iceberg");
    }

    /** Opens the catalog {@code name} with {@code properties} (the caller closes it when it is Closeable). */
    public static Catalog open(String name, Map<String, String> properties) {
        return CatalogUtil.buildIcebergCatalog(name, properties, new Configuration(false));
    }

    /**
     * Asks the warehouse's storage one question, with no retries, and returns once it answers at all: any HTTP
     * status counts (a 403 for a missing key is an answer; whether this caller may read is for the real operation to
     * find out). Only when nothing answers (connection refused, unknown host, timeout) does it throw. The catalog's
     * own retries (32 of them, up to 20 s apart, for the sinks, and Iceberg's own ten minutes of metadata retries)
     * are right for a connector riding out an outage and wrong for a person at a prompt, who should hear at once.
     * Without a warehouse or an {@code io-impl} there is nothing to ask and nothing is done.
     *
     * @throws StorageUnreachable naming the endpoint and the cause
     */
    public static void checkStorageAnswers(Map<String, String> properties) {
        String warehouse = properties.get(CatalogProperties.WAREHOUSE_LOCATION);
        String ioImpl = properties.get(CatalogProperties.FILE_IO_IMPL);
        if (warehouse == null || ioImpl == null) {
            return;
        }
        Map<String, String> once = new HashMap<>(properties);
        once.put(S3_RETRIES, "0");
        String probe = warehouse.replaceAll("/+$", "") + "/.chartpulse-probe";
        try (FileIO io = CatalogUtil.loadFileIO(ioImpl, once, new Configuration(false))) {
            io.newInputFile(probe).exists();
        } catch (RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof SdkServiceException) {
                    return; // an HTTP answer: the storage is there
                }
            }
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new StorageUnreachable(
                    "The lake's storage does not answer at "
                            + properties.getOrDefault(S3_ENDPOINT, "the region's S3 endpoint") + " (warehouse "
                            + warehouse + "): " + root.getMessage(),
                    e);
        }
    }

    /** The S3FileIO property of the S3 client's retries. */
    static final String S3_RETRIES = "s3.retry.num-retries";

    /** The S3FileIO property of an S3 endpoint other than AWS's. */
    static final String S3_ENDPOINT = "s3.endpoint";

    /** The warehouse's storage gave no answer at all. */
    public static final class StorageUnreachable extends RuntimeException {
        StorageUnreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Every value of {@code connectorConfig} with its {@code ${env:NAME}} placeholders resolved by {@code env}. */
    public static Map<String, String> resolveAll(Map<String, String> connectorConfig, UnaryOperator<String> env) {
        Map<String, String> resolved = new LinkedHashMap<>();
        connectorConfig.forEach((key, value) -> resolved.put(key, resolve(key, value, env)));
        return resolved;
    }

    static String resolve(String key, String value, UnaryOperator<String> env) {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String resolved = env.apply(m.group(1));
            if (resolved == null) {
                throw new IllegalArgumentException(
                        key + " needs the environment variable " + m.group(1) + ", which is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }
}
