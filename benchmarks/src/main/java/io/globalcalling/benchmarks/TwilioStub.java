package io.globalcalling.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local HTTP server that answers {@code POST .../Calls.json} as Twilio does: 201 with a Call resource JSON body
 * (every field Twilio's Call has, a fresh {@code CA...} sid per call, status {@code queued}). A JDK
 * {@link HttpServer} with a fixed pool of handler threads: it keeps no record of what it served, so it neither
 * slows down nor fills the heap however many calls a benchmark makes. It may answer each create after a delay, as
 * Twilio's API takes its time; a create waiting for its answer holds no thread.
 */
public final class TwilioStub implements AutoCloseable {

    public static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    public static final String AUTH_TOKEN = "bench-auth-token-0123456789abcdef";
    public static final String FROM = "+15017122661";
    public static final String CALLS_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json";

    private static final String HEAD = "{\"account_sid\": \"" + ACCOUNT_SID + "\", \"annotation\": null, "
            + "\"answered_by\": null, \"api_version\": \"2010-04-01\", \"caller_name\": null, "
            + "\"date_created\": \"Tue, 24 Nov 2026 10:00:05 +0000\", \"date_updated\": \"Tue, 24 Nov 2026 10:00:05 +0000\", "
            + "\"direction\": \"outbound-api\", \"duration\": null, \"end_time\": null, \"forwarded_from\": null, "
            + "\"from\": \"" + FROM + "\", \"from_formatted\": \"(501) 712-2661\", \"group_sid\": null, "
            + "\"parent_call_sid\": null, \"phone_number_sid\": \"PN0123456789abcdef0123456789abcdef\", "
            + "\"price\": null, \"price_unit\": \"USD\", \"sid\": \"";
    private static final String TAIL = "\", \"start_time\": null, \"status\": \"queued\", "
            + "\"subresource_uris\": {\"notifications\": \"/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls/CA/Notifications.json\", "
            + "\"recordings\": \"/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls/CA/Recordings.json\"}, "
            + "\"to\": \"+14155551212\", \"to_formatted\": \"(415) 555-1212\", \"trunk_sid\": null, "
            + "\"uri\": \"/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json\", \"queue_time\": \"0\"}";

    static {
        // Without TCP_NODELAY the server's separate header and body writes meet the client's delayed ACK: 40 ms a call.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // Its default closes idle connections beyond 200, which a run with a thousand callers would meet.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final AtomicLong sids = new AtomicLong();
    /** How long a create waits before its answer, as Twilio's API takes its time; zero answers at once. */
    private final Duration answerAfter;
    /** Sends delayed answers, so a waiting create holds no thread. */
    private final ScheduledExecutorService answers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "twilio-stub-answers");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger open = new AtomicInteger();

    private TwilioStub(int threads, Duration answerAfter) throws IOException {
        this.answerAfter = answerAfter;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        handlers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "twilio-stub");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a stub on a free loopback port with {@code threads} handler threads. */
    public static TwilioStub start(int threads) {
        return start(threads, Duration.ZERO);
    }

    /** Starts a stub that answers each create {@code answerAfter} after it has read it. */
    public static TwilioStub start(int threads, Duration answerAfter) {
        try {
            return new TwilioStub(threads, answerAfter);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Twilio stub", e);
        }
    }

    /** {@code http://127.0.0.1:port}, without a trailing slash. */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How many calls the stub created. */
    public long created() {
        return sids.get();
    }

    /** Creates the stub has read and not yet answered. */
    public int open() {
        return open.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        } catch (IOException e) {
            exchange.close();
            throw e;
        }
        boolean create = "POST".equals(exchange.getRequestMethod()) && exchange.getRequestURI().getPath().equals(CALLS_PATH);
        if (!create || answerAfter.isZero()) {
            answer(exchange, create);
            return;
        }
        open.incrementAndGet();
        answers.schedule(() -> {
            open.decrementAndGet();
            try {
                answer(exchange, true);
            } catch (IOException e) {
                // the client gave up on it: nothing to answer
            }
        }, answerAfter.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void answer(HttpExchange exchange, boolean create) throws IOException {
        try (exchange) {
            if (!create) {
                byte[] notFound = "{\"code\": 20404, \"message\": \"The requested resource was not found\", \"status\": 404}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(404, notFound.length);
                exchange.getResponseBody().write(notFound);
                return;
            }
            String sid = String.format("CA%032x", sids.incrementAndGet());
            byte[] body = (HEAD + sid + TAIL).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("Twilio-Request-Id", "RQ" + sid.substring(2));
            exchange.sendResponseHeaders(201, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        answers.shutdownNow();
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
