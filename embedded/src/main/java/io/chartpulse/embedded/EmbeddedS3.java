package io.chartpulse.embedded;

import io.chartpulse.embedded.kafka.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.S3Exceptions;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * S3Proxy in this JVM: a real S3 endpoint (path-style, AWS signature v2/v4, multipart uploads) over an in-memory or
 * filesystem blob store, with static credentials. For failure tests it can refuse writes on demand
 * ({@link #failWrites}), like an S3 outage seen from a client.
 */
public final class EmbeddedS3 implements AutoCloseable {

    /** Development credentials (docs/ARCHITECTURE.md); never used outside dev and tests. */
    public static final String ACCESS_KEY = "chartpulse";

    public static final String SECRET_KEY = "chartpulse-secret";
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final FailingBlobStore store;
    private final URI endpoint;

    private EmbeddedS3(S3Proxy proxy, FailingBlobStore store, URI endpoint) {
        this.proxy = proxy;
        this.store = store;
        this.endpoint = endpoint;
    }

    /**
     * Starts S3Proxy on 127.0.0.1.
     *
     * @param port    0 picks a free port
     * @param dataDir null keeps objects in memory; otherwise they are files under it and survive a restart
     */
    public static EmbeddedS3 start(int port, Path dataDir) {
        if (port != 0) {
            FreePorts.requireFree("the S3 endpoint", port);
        }
        int actual = port == 0 ? FreePorts.pick() : port;
        URI endpoint = URI.create("http://127.0.0.1:" + actual);
        if (dataDir != null) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create " + dataDir, e);
            }
        }
        BlobStore backing = dataDir == null
                ? new TransientNio2BlobStore()
                : new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString());
        FailingBlobStore store = new FailingBlobStore(backing);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start on " + endpoint + ": " + proxy.getState());
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy could not start on " + endpoint, e);
        }
        return new EmbeddedS3(proxy, store, endpoint);
    }

    /** The endpoint URL, e.g. {@code http://127.0.0.1:9000}, for path-style clients. */
    public String endpoint() {
        return endpoint.toString();
    }

    /** Creates a bucket if it is not there yet. */
    public void createBucket(String bucket) {
        if (!store.containerExists(bucket)) {
            store.createContainer(bucket);
        }
    }

    /** A client of this endpoint (path-style, static development credentials); close it after use. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.of(REGION))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** While true, every object write (put, multipart create, part, complete) fails with 503 Service Unavailable. */
    public void failWrites(boolean fail) {
        store.failing = fail;
    }

    /** Writes refused since start. */
    public int refusedWrites() {
        return store.refused.get();
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        }
    }

    private static final class FailingBlobStore extends ForwardingBlobStore {
        private volatile boolean failing;
        private final AtomicInteger refused = new AtomicInteger();

        FailingBlobStore(BlobStore delegate) {
            super(delegate);
        }

        private void check() {
            if (failing) {
                refused.incrementAndGet();
                // 503 Service Unavailable, as S3 answers when it cannot take writes: clients retry it (a 4xx they
                // would take as final, which no real outage looks like).
                throw S3Exceptions.fromStatusCode(503);
            }
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
            check();
            return super.putBlob(request, content);
        }

        @Override
        public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
            check();
            return super.initiateMultipartUpload(request);
        }

        @Override
        public UploadPartResponse uploadMultipartPart(
                MultipartUpload upload, UploadPartRequest request, InputStream content) {
            check();
            return super.uploadMultipartPart(upload, request, content);
        }

        @Override
        public CompleteMultipartUploadResponse completeMultipartUpload(
                MultipartUpload upload, CompleteMultipartUploadRequest request) {
            check();
            return super.completeMultipartUpload(upload, request);
        }
    }
}
