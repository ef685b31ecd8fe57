package io.chartpulse.schemas;

/**
 * The keys of the erasure requests topic ({@link Topic#ERASURE_REQUESTS}): one record per identifier of a request,
 * so that whoever must keep an erased visitor out (the collector, the streams app) looks the visitor up by key.
 */
public final class ErasureKeys {

    /** The key prefix of a request for an anonymous id. */
    public static final String ANONYMOUS_ID = "anonymous_id:";

    /** The key prefix of a request for a publisher user id. */
    public static final String USER_ID = "user_id:";

    private ErasureKeys() {}

    public static String anonymousId(CharSequence id) {
        return ANONYMOUS_ID + id;
    }

    public static String userId(CharSequence id) {
        return USER_ID + id;
    }
}
