package io.globalcalling.load;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers signed status callbacks as Twilio does: a form POST with {@code X-Twilio-Signature}, the base64
 * HMAC-SHA1 (keyed with the Auth Token) of the callback URL followed by every parameter's name and value,
 * sorted by name. At most {@code senders} deliveries are in flight; one the host answers 5xx or not at all is
 * tried again (Twilio's own retry, with the callback's {@code I-Twilio-Idempotency-Token} unchanged), a 4xx is
 * given up at once. The latency of a delivery runs from its send to
 * the host's 2xx.
 */
final class CallbackSender implements AutoCloseable {

    static final String SIGNATURE_HEADER = "X-Twilio-Signature";
    private static final int MAX_ATTEMPTS = 5;

    private final SecretKeySpec key;
    private final HttpClient http;
    private final Semaphore inFlight;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "retry"));
    /** Waits for a free sender, so neither the calls' playout nor a retry timer ever blocks on the host. */
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> daemon(r, "dispatch"));

    final AtomicLong scheduled = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong abandoned = new AtomicLong();
    final AtomicLong pending = new AtomicLong();
    private final Latencies latencies = new Latencies();

    CallbackSender(String authToken, int senders) {
        this.key = new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1");
        this.inFlight = new Semaphore(senders);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(Math.max(2, senders / 8), r -> daemon(r, "callback")))
                .build();
    }

    /** Counts a delivery that {@link #send} will make later, so a drain waits for it. */
    void expect() {
        scheduled.incrementAndGet();
        pending.incrementAndGet();
    }

    /** Takes back an {@link #expect}: the call was ended through the API before this callback's step played. */
    void unexpect() {
        scheduled.decrementAndGet();
        pending.decrementAndGet();
    }

    /** Delivers one callback (counted by {@link #expect} first); returns at once. */
    void send(URI url, Map<String, String> form) {
        String body = formBody(form);
        String signature = signature(url.toString(), form);
        // one token for the callback and every retry of it, as Twilio sends it
        String token = UUID.randomUUID().toString();
        dispatcher.execute(() -> attempt(url, body, signature, token, 1));
    }

    private void attempt(URI url, String body, String signature, String token, int attempt) {
        inFlight.acquireUninterruptibly();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header(SIGNATURE_HEADER, signature)
                .header("I-Twilio-Idempotency-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long started = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            long took = System.nanoTime() - started;
            inFlight.release();
            int status = response == null ? 0 : response.statusCode();
            if (status >= 200 && status < 300) {
                latencies.add(took);
                delivered.incrementAndGet();
                pending.decrementAndGet();
            } else if ((status == 0 || status >= 500) && attempt < MAX_ATTEMPTS) {
                retried.incrementAndGet();
                retries.schedule(() -> dispatcher.execute(() -> attempt(url, body, signature, token, attempt + 1)),
                        attempt, TimeUnit.SECONDS);
            } else {
                abandoned.incrementAndGet();
                pending.decrementAndGet();
                System.err.println("callback to " + url.getPath() + " abandoned after attempt " + attempt + ": "
                        + (failure != null ? failure.getClass().getSimpleName() : "HTTP " + status));
            }
        });
    }

    /** Twilio's signature of a form callback to {@code url}. */
    String signature(String url, Map<String, String> form) {
        StringBuilder signed = new StringBuilder(url);
        new TreeMap<>(form).forEach((name, value) -> signed.append(name).append(value));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(signed.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is unavailable in this JVM", e);
        }
    }

    static String formBody(Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> body.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString();
    }

    /** p50, p99 and max of the delivered callbacks' latencies, in microseconds. */
    List<Long> latencyMicros() {
        return latencies.p50p99max();
    }

    @Override
    public void close() {
        retries.shutdownNow();
        dispatcher.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, "simulator-" + name);
        t.setDaemon(true);
        return t;
    }

    /** Every latency kept (a run delivers at most some hundred thousand), sorted only when asked. */
    private static final class Latencies {
        private long[] nanos = new long[4096];
        private int size;

        synchronized void add(long value) {
            if (size == nanos.length) nanos = Arrays.copyOf(nanos, size * 2);
            nanos[size++] = value;
        }

        synchronized List<Long> p50p99max() {
            if (size == 0) return List.of(0L, 0L, 0L);
            long[] sorted = Arrays.copyOf(nanos, size);
            Arrays.sort(sorted);
            return List.of(sorted[rank(0.50)] / 1000, sorted[rank(0.99)] / 1000, sorted[size - 1] / 1000);
        }

        private int rank(double quantile) {
            return Math.min(size - 1, (int) Math.ceil(quantile * size) - 1);
        }
    }
}
