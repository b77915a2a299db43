package io.globalcalling.core.internal;

import io.globalcalling.spi.ProviderConfig;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one {@link OkHttpClient} a manager's providers share (they derive theirs from it with {@code newBuilder()},
 * which keeps its connection pool). OkHttp's default pool keeps only 5 idle connections, so with more callers
 * placing calls at once every extra connection is closed when its call ends and a new one opened for the next
 * (a TCP and TLS handshake each time); the pool here keeps {@code calling.http.max-idle-connections} (default 64)
 * idle for {@code calling.http.keep-alive} (default 5 minutes).
 */
public final class SharedHttpClient {

    public static final String MAX_IDLE_KEY = "calling.http.max-idle-connections";
    public static final String KEEP_ALIVE_KEY = "calling.http.keep-alive";
    public static final int DEFAULT_MAX_IDLE = 64;
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(5);

    private SharedHttpClient() {
    }

    /** @throws IllegalArgumentException naming the key and value when either setting is out of range */
    public static OkHttpClient create(ProviderConfig config) {
        int maxIdle = config.getInt(MAX_IDLE_KEY).orElse(DEFAULT_MAX_IDLE);
        if (maxIdle < 0) throw new IllegalArgumentException(MAX_IDLE_KEY + " = " + maxIdle + " must be 0 or more");
        Duration keepAlive = config.getDuration(KEEP_ALIVE_KEY).orElse(DEFAULT_KEEP_ALIVE);
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException(KEEP_ALIVE_KEY + " = " + keepAlive + " must be positive");
        }
        return new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(maxIdle, keepAlive.toMillis(), TimeUnit.MILLISECONDS))
                .build();
    }
}
