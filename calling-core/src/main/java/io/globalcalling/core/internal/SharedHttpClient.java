package io.globalcalling.core.internal;

import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.ConfigValidation;
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
 * idle for {@code calling.http.keep-alive} (default 5 minutes). Every call, however slowly a server trickles its
 * answer, ends within {@code calling.http.call-timeout} (default 30 seconds); a provider may derive a shorter one.
 * The manager {@linkplain #shutdown shuts the client down} when it closes.
 */
public final class SharedHttpClient {

    public static final String MAX_IDLE_KEY = "calling.http.max-idle-connections";
    public static final String KEEP_ALIVE_KEY = "calling.http.keep-alive";
    public static final String CALL_TIMEOUT_KEY = "calling.http.call-timeout";
    public static final int DEFAULT_MAX_IDLE = 64;
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    private SharedHttpClient() {
    }

    /** @throws ConfigurationException naming every malformed or out-of-range key with its value */
    public static OkHttpClient create(ProviderConfig config) {
        ConfigValidation v = ConfigValidation.of(config, "shared HTTP client");
        Integer maxIdle = v.take(v.integer(MAX_IDLE_KEY, 0, Integer.MAX_VALUE).orElse(DEFAULT_MAX_IDLE));
        Duration keepAlive = v.take(v.duration(KEEP_ALIVE_KEY).orElse(DEFAULT_KEEP_ALIVE));
        Duration callTimeout = v.take(v.duration(CALL_TIMEOUT_KEY).orElse(DEFAULT_CALL_TIMEOUT));
        v.orThrow();
        return new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(maxIdle, keepAlive.toMillis(), TimeUnit.MILLISECONDS))
                .callTimeout(callTimeout)
                .build();
    }

    /**
     * Releases what {@code client} holds: its idle connections are closed now rather than after the keep-alive, and
     * its dispatcher's threads end. Clients derived from it with {@code newBuilder()} share both and are done too.
     */
    public static void shutdown(OkHttpClient client) {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
