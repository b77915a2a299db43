package io.globalcalling.benchmarks;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.TwilioRestClient;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.core.limits.Pace;
import io.globalcalling.core.limits.RateWindow;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Rate;
import io.globalcalling.CallRecord;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.HttpHost;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One {@code internet_voip} call placed end to end through {@link GlobalCallingManager#call}: validation, routing,
 * customer limits (counted and held), the in-memory store (record, events), provider pacing, and the Twilio provider
 * posting its create form over HTTP to a local {@link TwilioStub} and reading its 201 Call JSON. With 1, 16 and 256
 * concurrent callers. Measured in the same run against the same stub: baseline A, the same form posted by a bare
 * OkHttp client (the floor: HTTP alone, the body read but not parsed), and baseline B, Twilio's own Java SDK creating
 * the same call. Warm-up is 30 s: on two cores the SDK's path reaches its steady state after about 25 s of calls
 * (raw OkHttp after about 15 s), and shorter runs measured the JIT compiling rather than the code.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 3)
public class PlaceCallBenchmark {

    static final String TWIML_URL = "https://app.example.com/twiml/connect";
    static final String WEBHOOK_BASE = "https://hooks.example.com/calling/webhooks";
    static final List<String> STATUS_EVENTS = List.of("initiated", "ringing", "answered", "completed");
    /** Valid US numbers (libphonenumber), so that validation and routing do their real work. */
    static final List<String> DESTINATIONS = List.of("+14155551212", "+12025550143", "+13105550178", "+16175550102",
            "+17185550111", "+13125550199", "+15125550123", "+12065550144");

    /** The stub, shared by every thread of a run. */
    @State(Scope.Benchmark)
    public static class Stub {
        TwilioStub server;

        @Setup(Level.Trial)
        public void start() {
            server = TwilioStub.start(8);
        }

        @TearDown(Level.Trial)
        public void stop() {
            server.close();
        }
    }

    /** Each caller thread is its own customer, as calls from many customers would be. */
    @State(Scope.Thread)
    public static class Caller {
        String customer;
        long sequence;

        @Setup(Level.Trial)
        public void setUp(ThreadParams thread) {
            customer = "customer-" + thread.getThreadIndex();
        }

        String nextDestination() {
            return DESTINATIONS.get((int) (sequence++ % DESTINATIONS.size()));
        }
    }

    /** One manager per iteration, all built in the trial setup: each iteration takes the next and closes it after. */
    abstract static class Managers {
        GlobalCallingManager manager;
        final Deque<GlobalCallingManager> ready = new ArrayDeque<>();

        static int iterations(BenchmarkParams params) {
            return params.getWarmup().getCount() + params.getMeasurement().getCount();
        }

        @Setup(Level.Iteration)
        public void next() {
            manager = Objects.requireNonNull(ready.poll(), "more iterations than managers built");
        }

        @TearDown(Level.Iteration)
        public void tearDown() {
            manager.close();
        }

        @TearDown(Level.Trial)
        public void closeUnused() {
            ready.forEach(GlobalCallingManager::close);
        }
    }

    /**
     * The SDK: a manager with the Twilio provider found by discovery, pointed at the stub. A fresh manager each
     * iteration keeps the in-memory store from growing through the whole run. They are all built (and probed) before
     * the first iteration: JMH runs a benchmark-wide iteration setup on one thread while every other caller thread
     * busy-waits for it, so with 256 callers on two cores building a manager there took minutes (the run timed out).
     */
    @State(Scope.Benchmark)
    public static class Sdk extends Managers {

        @Setup(Level.Trial)
        public void build(Stub stub, BenchmarkParams params) {
            for (int i = 0; i < iterations(params); i++) {
                ready.add(probed(manager(stub.server.baseUrl())));
            }
        }

        static GlobalCallingManager probed(GlobalCallingManager manager) {
            CallRecord probe = manager.call(CallRequest.to(DESTINATIONS.get(0)).customerId("probe").build());
            if (!"twilio".equals(probe.providerId()) || probe.status() != CallStatus.QUEUED
                    || probe.providerCallId() == null || !probe.providerCallId().startsWith("CA")) {
                throw new IllegalStateException("the manager did not place the probe call through Twilio: " + probe);
            }
            return manager;
        }
    }

    /**
     * A manager for throughput runs. Lifted: the customer rate windows (default 100 a minute) and budgets, to caps
     * no run reaches, so that they are still counted and held but never refuse; Twilio's pacing (default 1 call/s,
     * the account's CPS) to a pace the stub never reaches. Pricing API calls are off, so each call is one HTTP
     * request, as in the baselines; the sandbox and webhook providers are disabled, so Twilio is the only route.
     */
    static GlobalCallingManager manager(String stubUrl) {
        return manager(stubUrl, Map.of());
    }

    /** The same with {@code more} configuration on top. */
    static GlobalCallingManager manager(String stubUrl, Map<String, String> more) {
        Map<String, String> config = new HashMap<>(Map.of(
                "twilio.account-sid", TwilioStub.ACCOUNT_SID,
                "twilio.auth-token", TwilioStub.AUTH_TOKEN,
                "twilio.base-url", stubUrl,
                "twilio.from-number", TwilioStub.FROM,
                "twilio.voip-twiml-url", TWIML_URL,
                "twilio.pricing-enabled", "false",
                "calling.webhook-base-url", WEBHOOK_BASE,
                "calling.providers.disabled", "sandbox,webhook"));
        config.putAll(more);
        return limited(GlobalCallingManager.builder().config(ProviderConfig.of(config)))
                .pacing(p -> p.pace("twilio", Pace.of(1_000_000, 1_000_000)))
                .build();
    }

    /** Limits lifted to caps no run reaches: still counted and held, never refusing. */
    private static GlobalCallingManager.Builder limited(GlobalCallingManager.Builder builder) {
        Money huge = Money.inr("1000000000000000");
        return builder.limits(l -> l.rateWindows(RateWindow.perMinute(Long.MAX_VALUE / 2), RateWindow.perHour(Long.MAX_VALUE / 2),
                                RateWindow.perDay(Long.MAX_VALUE / 2))
                .budgets(Budget.daily(huge), Budget.weekly(huge), Budget.monthly(huge)));
    }

    /**
     * The SDK's own path with no network: the same manager, limits and pacing, but its one provider (a
     * {@link DeckProvider} with a US per-minute rate) accepts each call at once without sending anything. What
     * this costs per call is the SDK's share of {@link #sdk16Callers}; the rest is the HTTP exchange.
     */
    @State(Scope.Benchmark)
    public static class NoNetwork extends Managers {

        @Setup(Level.Trial)
        public void build(BenchmarkParams params) {
            for (int i = 0; i < iterations(params); i++) {
                ready.add(manager());
            }
        }

        static GlobalCallingManager manager() {
            return limited(GlobalCallingManager.builder().discoverProviders(false)
                    .config(ProviderConfig.of(Map.of("calling.webhook-base-url", WEBHOOK_BASE)))
                    .provider(new DeckProvider("instant",
                            List.of(Rate.builder(CallCategory.INTERNET_VOIP, "1").perMinute(Money.of("0.0140", "USD")).build()),
                            Set.of("US")))
                    .pacing(p -> p.pace("instant", Pace.of(1_000_000, 1_000_000)))).build();
        }
    }

    /** Baseline A: the same form, Basic auth and endpoint, posted by a bare OkHttp client with default settings. */
    @State(Scope.Benchmark)
    public static class RawOkHttp {
        OkHttpClient client;
        String url;
        String authorization;

        @Setup(Level.Trial)
        public void setUp(Stub stub) {
            client = new OkHttpClient();
            url = stub.server.baseUrl() + TwilioStub.CALLS_PATH;
            authorization = Credentials.basic(TwilioStub.ACCOUNT_SID, TwilioStub.AUTH_TOKEN);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }

        int post(String to, String callId) {
            FormBody.Builder form = new FormBody.Builder().add("To", to).add("From", TwilioStub.FROM)
                    .add("Url", TWIML_URL).add("Method", "POST")
                    .add("StatusCallback", WEBHOOK_BASE + "/twilio?callId=" + callId);
            STATUS_EVENTS.forEach(e -> form.add("StatusCallbackEvent", e));
            form.add("StatusCallbackMethod", "POST").add("Timeout", "60");
            Request request = new Request.Builder().url(url).header("Authorization", authorization)
                    .post(form.build()).build();
            try (Response response = client.newCall(request).execute()) {
                String body = response.body().string();
                if (response.code() != 201) throw new IllegalStateException("stub answered " + response.code());
                return body.length();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Baseline B: Twilio's Java SDK ({@code Call.creator(...).create(client)}) creating the same call. Its
     * {@link NetworkHttpClient} keeps the connection pool Twilio's default constructor sets up (20 per host, 100 in
     * all) and adds only a route planner that sends every request to the stub instead of api.twilio.com.
     */
    @State(Scope.Benchmark)
    public static class TwilioSdk {
        TwilioRestClient client;

        @Setup(Level.Trial)
        public void setUp(Stub stub) {
            PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
            pool.setDefaultMaxPerRoute(20);
            pool.setMaxTotal(100);
            HttpHost target = new HttpHost("http", "127.0.0.1", stub.server.port());
            HttpClientBuilder apache = HttpClientBuilder.create().setConnectionManager(pool)
                    .setRoutePlanner((host, context) -> new HttpRoute(target));
            client = new TwilioRestClient.Builder(TwilioStub.ACCOUNT_SID, TwilioStub.AUTH_TOKEN)
                    .httpClient(new NetworkHttpClient(apache)).build();
        }

        com.twilio.rest.api.v2010.account.Call create(String to, String callId) {
            return com.twilio.rest.api.v2010.account.Call.creator(new com.twilio.type.PhoneNumber(to),
                            new com.twilio.type.PhoneNumber(TwilioStub.FROM), URI.create(TWIML_URL))
                    .setMethod(com.twilio.http.HttpMethod.POST)
                    .setStatusCallback(URI.create(WEBHOOK_BASE + "/twilio?callId=" + callId))
                    .setStatusCallbackEvent(STATUS_EVENTS)
                    .setStatusCallbackMethod(com.twilio.http.HttpMethod.POST)
                    .setTimeout(60)
                    .create(client);
        }
    }

    // ---- the SDK

    private static CallRecord sdkCall(Sdk sdk, Caller caller) {
        return sdk.manager.call(CallRequest.to(caller.nextDestination()).customerId(caller.customer).build());
    }

    @Benchmark
    @Threads(1)
    public CallRecord sdk1Caller(Sdk sdk, Caller caller) {
        return sdkCall(sdk, caller);
    }

    @Benchmark
    @Threads(16)
    public CallRecord sdk16Callers(Sdk sdk, Caller caller) {
        return sdkCall(sdk, caller);
    }

    @Benchmark
    @Threads(256)
    public CallRecord sdk256Callers(Sdk sdk, Caller caller) {
        return sdkCall(sdk, caller);
    }

    @Benchmark
    @Threads(16)
    public CallRecord sdkNoNetwork16Callers(NoNetwork sdk, Caller caller) {
        return sdk.manager.call(CallRequest.to(caller.nextDestination()).customerId(caller.customer).build());
    }

    // ---- baseline A: raw OkHttp

    private static int rawCall(RawOkHttp raw, Caller caller) {
        return raw.post(caller.nextDestination(), caller.customer + "-" + caller.sequence);
    }

    @Benchmark
    @Threads(1)
    public int rawOkHttp1Caller(RawOkHttp raw, Caller caller) {
        return rawCall(raw, caller);
    }

    @Benchmark
    @Threads(16)
    public int rawOkHttp16Callers(RawOkHttp raw, Caller caller) {
        return rawCall(raw, caller);
    }

    @Benchmark
    @Threads(256)
    public int rawOkHttp256Callers(RawOkHttp raw, Caller caller) {
        return rawCall(raw, caller);
    }

    // ---- baseline B: Twilio's Java SDK

    private static Object twilioCall(TwilioSdk twilio, Caller caller) {
        return twilio.create(caller.nextDestination(), caller.customer + "-" + caller.sequence);
    }

    @Benchmark
    @Threads(1)
    public Object twilioSdk1Caller(TwilioSdk twilio, Caller caller) {
        return twilioCall(twilio, caller);
    }

    @Benchmark
    @Threads(16)
    public Object twilioSdk16Callers(TwilioSdk twilio, Caller caller) {
        return twilioCall(twilio, caller);
    }

    @Benchmark
    @Threads(256)
    public Object twilioSdk256Callers(TwilioSdk twilio, Caller caller) {
        return twilioCall(twilio, caller);
    }
}
