package io.chartpulse.connect.s3.storage;

import io.chartpulse.connect.s3.config.S3SinkConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** {@link S3Storage} with the AWS SDK v2: endpoint override, path-style access, SSE and storage class from config. */
public final class AwsS3Storage implements S3Storage {

    private final S3Client s3;
    private final String bucket;
    private final S3SinkConfig.Encryption sse;
    private final String kmsKey;
    private final String storageClass;

    public AwsS3Storage(S3SinkConfig config) {
        AwsCredentialsProvider credentials =
                config.getString(S3SinkConfig.ACCESS_KEY).isEmpty()
                        ? DefaultCredentialsProvider.builder().build()
                        : StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                config.getString(S3SinkConfig.ACCESS_KEY),
                                config.secretKey().value()));
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.getString(S3SinkConfig.REGION)))
                .credentialsProvider(credentials)
                .forcePathStyle(config.getBoolean(S3SinkConfig.PATH_STYLE))
                .httpClient(UrlConnectionHttpClient.create())
                // A couple of quick retries for blips; longer outages are the task's retry loop (s3.retry.*).
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .build());
        if (!config.getString(S3SinkConfig.ENDPOINT).isEmpty()) {
            builder.endpointOverride(URI.create(config.getString(S3SinkConfig.ENDPOINT)));
        }
        this.s3 = builder.build();
        this.bucket = config.bucket();
        this.sse = config.encryption();
        this.kmsKey = config.getString(S3SinkConfig.SSE_KMS_KEY);
        this.storageClass = config.getString(S3SinkConfig.STORAGE_CLASS);
    }

    @Override
    public void put(String key, byte[] content) {
        PutObjectRequest.Builder request =
                PutObjectRequest.builder().bucket(bucket).key(key);
        objectSettings(request::serverSideEncryption, request::ssekmsKeyId, request::storageClass);
        s3.putObject(request.build(), RequestBody.fromBytes(content));
    }

    @Override
    public void putState(String key, byte[] content) {
        PutObjectRequest.Builder request =
                PutObjectRequest.builder().bucket(bucket).key(key);
        objectSettings(request::serverSideEncryption, request::ssekmsKeyId, storage -> {});
        s3.putObject(request.build(), RequestBody.fromBytes(content));
    }

    @Override
    public byte[] getState(String key) {
        try {
            return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException absent) {
            return null;
        }
    }

    @Override
    public String createMultipart(String key) {
        CreateMultipartUploadRequest.Builder request =
                CreateMultipartUploadRequest.builder().bucket(bucket).key(key);
        objectSettings(request::serverSideEncryption, request::ssekmsKeyId, request::storageClass);
        return s3.createMultipartUpload(request.build()).uploadId();
    }

    // SSE and storage class, for the two requests that create objects (their builders share no interface).
    private void objectSettings(
            Consumer<ServerSideEncryption> encryption, Consumer<String> kms, Consumer<String> storage) {
        if (sse != S3SinkConfig.Encryption.BUCKET_DEFAULT) {
            encryption.accept(ServerSideEncryption.fromValue(sse.configValue()));
            if (!kmsKey.isEmpty()) {
                kms.accept(kmsKey);
            }
        }
        if (!storageClass.isEmpty()) {
            storage.accept(storageClass);
        }
    }

    @Override
    public String uploadPart(String key, String uploadId, int number, byte[] content) {
        return s3.uploadPart(
                        r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                        RequestBody.fromBytes(content))
                .eTag();
    }

    @Override
    public void complete(String key, String uploadId, List<String> etags) {
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < etags.size(); i++) {
            parts.add(
                    CompletedPart.builder().partNumber(i + 1).eTag(etags.get(i)).build());
        }
        s3.completeMultipartUpload(
                r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    }

    @Override
    public void abort(String key, String uploadId) {
        s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
    }

    @Override
    public void close() {
        s3.close();
    }
}
