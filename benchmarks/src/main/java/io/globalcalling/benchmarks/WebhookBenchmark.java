package io.globalcalling.benchmarks;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.limits.Admission;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.core.limits.RateWindow;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.provider.twilio.TwilioSignatureValidator;
import io.globalcalling.spi.CallCategory;
import io.globalcalling.spi.CallRequest;
import io.globalcalling.spi.CallStatus;
import io.globalcalling.spi.Money;
import io.globalcalling.spi.Priority;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Purpose;
import io.globalcalling.spi.Secret;
import io.globalcalling.spi.WebhookRequest;
import io.globalcalling.spi.WebhookResponse;
import io.globalcalling.spi.store.CallRecord;
import io.globalcalling.spi.store.CallUpdate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Twilio status callbacks through {@code manager.webhooks().handle("twilio", request)}: the signature checked, the
 * form parsed, the event applied to a call in the in-memory store (its event log appended, its record moved on, and
 * on {@code completed} its cost settled against the customer's hold). Each call gets the four callbacks Twilio
 * sends (initiated, ringing, in-progress, completed), correctly signed with the account's Auth Token. Baseline, in
 * the same run: the HMAC-SHA1 of the same signed bytes alone, with a ready {@link Mac}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WebhookBenchmark {

    /** Calls prepared per iteration, four callbacks each; a run that uses them all goes round again (duplicates). */
    static final int CALLS = 30_000;
    static final List<String> STATUSES = List.of("initiated", "ringing", "in-progress", "completed");

    @State(Scope.Benchmark)
    public static class Callbacks {
        GlobalCallingManager manager;
        WebhookRequest[] requests;
        byte[][] signedBytes;
        int next;

        /** A fresh store and fresh calls each iteration: every callback then finds its call where Twilio left it. */
        @Setup(Level.Iteration)
        public void setUp() {
            InMemoryCallStore store = new InMemoryCallStore();
            Money huge = Money.inr("1000000000000000");
            manager = GlobalCallingManager.builder()
                    .config(ProviderConfig.of(Map.of(
                            "twilio.account-sid", TwilioStub.ACCOUNT_SID,
                            "twilio.auth-token", TwilioStub.AUTH_TOKEN,
                            "twilio.from-number", TwilioStub.FROM,
                            "twilio.voip-twiml-url", PlaceCallBenchmark.TWIML_URL,
                            "twilio.pricing-enabled", "false",
                            "calling.webhook-base-url", PlaceCallBenchmark.WEBHOOK_BASE,
                            "calling.providers.disabled", "sandbox,webhook")))
                    .store(store)
                    .limits(l -> l.rateWindows(RateWindow.perMinute(Long.MAX_VALUE / 2))
                            .budgets(Budget.daily(huge), Budget.monthly(huge)))
                    .build();
            TwilioSignatureValidator signer = new TwilioSignatureValidator(Secret.of(TwilioStub.AUTH_TOKEN));
            requests = new WebhookRequest[CALLS * STATUSES.size()];
            signedBytes = new byte[requests.length][];
            Instant now = Instant.now();
            Money perMinute = Money.inr("1.20");
            for (int c = 0; c < CALLS; c++) {
                String callId = "call_" + c;
                String sid = String.format("CA%032x", c);
                String to = PlaceCallBenchmark.DESTINATIONS.get(c % PlaceCallBenchmark.DESTINATIONS.size());
                String customer = "customer-" + (c % 64);
                // What GlobalCallingManager.call leaves behind once Twilio accepted the call.
                CallRequest request = CallRequest.to(to).customerId(customer).build();
                Admission admission = manager.limits().admit(callId, request, CallCategory.INTERNET_VOIP, perMinute,
                        Money.zero(Money.INR));
                store.create(CallRecord.initiated(callId, customer, CallCategory.INTERNET_VOIP, TwilioStub.FROM, to,
                        Purpose.SUPPORT, Priority.NORMAL, null, null, admission.held(), null, List.of("benchmark"), false,
                        now, Map.of()));
                store.update(CallUpdate.of(callId, now).provider("twilio", sid).attempt(1).status(CallStatus.QUEUED));
                String url = PlaceCallBenchmark.WEBHOOK_BASE + "/twilio?callId=" + callId;
                for (int s = 0; s < STATUSES.size(); s++) {
                    Map<String, List<String>> form = statusCallback(sid, to, STATUSES.get(s), s);
                    int i = c * STATUSES.size() + s; // each call's callbacks in the order Twilio sends them
                    requests[i] = WebhookRequest.post(url, Map.of(
                            "Content-Type", "application/x-www-form-urlencoded",
                            "X-Twilio-Signature", signer.signatureOf(url, form),
                            "User-Agent", "TwilioProxy/1.1"), encode(form));
                    signedBytes[i] = signedData(url, form);
                }
            }
            WebhookResponse probe = manager.webhooks().handle("twilio", requests[0]);
            if (probe.status() != 200 || manager.calls().events("call_0").isEmpty()) {
                throw new IllegalStateException("the probe callback was not applied: " + probe);
            }
            next = 1;
        }

        @TearDown(Level.Iteration)
        public void tearDown() {
            manager.close();
        }

        int advance() {
            int i = next;
            next = i + 1 == requests.length ? 0 : i + 1;
            return i;
        }
    }

    @State(Scope.Thread)
    public static class Hmac {
        Mac mac;

        @Setup(Level.Trial)
        public void setUp() throws GeneralSecurityException {
            mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(TwilioStub.AUTH_TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        }
    }

    @Benchmark
    public WebhookResponse handle(Callbacks callbacks) {
        return callbacks.manager.webhooks().handle("twilio", callbacks.requests[callbacks.advance()]);
    }

    @Benchmark
    public byte[] baselineHmacSha1(Callbacks callbacks, Hmac hmac) {
        return hmac.mac.doFinal(callbacks.signedBytes[callbacks.advance()]);
    }

    /** The fields of a Twilio status callback, as Twilio posts them. */
    static Map<String, List<String>> statusCallback(String sid, String to, String status, int sequence) {
        Map<String, List<String>> f = new LinkedHashMap<>();
        f.put("Called", List.of(to));
        f.put("ToState", List.of("CA"));
        f.put("CallerCountry", List.of("US"));
        f.put("Direction", List.of("outbound-api"));
        f.put("Timestamp", List.of("Tue, 24 Nov 2026 10:00:0" + (5 + sequence) + " +0000"));
        f.put("CallbackSource", List.of("call-progress-events"));
        f.put("CallerState", List.of("CA"));
        f.put("ToZip", List.of("94107"));
        f.put("SequenceNumber", List.of(Integer.toString(sequence)));
        f.put("CallSid", List.of(sid));
        f.put("To", List.of(to));
        f.put("CallerZip", List.of("94015"));
        f.put("ToCountry", List.of("US"));
        f.put("CalledZip", List.of("94107"));
        f.put("ApiVersion", List.of("2010-04-01"));
        f.put("CalledCity", List.of("SAN FRANCISCO"));
        f.put("CallStatus", List.of(status));
        f.put("From", List.of(TwilioStub.FROM));
        f.put("AccountSid", List.of(TwilioStub.ACCOUNT_SID));
        f.put("CalledCountry", List.of("US"));
        f.put("CallerCity", List.of("DALY CITY"));
        f.put("ToCity", List.of("SAN FRANCISCO"));
        f.put("FromCountry", List.of("US"));
        f.put("Caller", List.of(TwilioStub.FROM));
        f.put("FromCity", List.of("DALY CITY"));
        f.put("CalledState", List.of("CA"));
        f.put("FromZip", List.of("94015"));
        f.put("FromState", List.of("CA"));
        if (status.equals("completed")) {
            f.put("CallDuration", List.of("117"));
            f.put("Duration", List.of("2"));
        }
        return f;
    }

    static String encode(Map<String, List<String>> form) {
        StringBuilder b = new StringBuilder();
        form.forEach((k, vs) -> vs.forEach(v -> {
            if (b.length() > 0) b.append('&');
            b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        }));
        return b.toString();
    }

    /** What Twilio signs: the URL, then each parameter's name and value, names sorted. */
    static byte[] signedData(String url, Map<String, List<String>> form) {
        StringBuilder b = new StringBuilder(url);
        new TreeMap<>(form).forEach((k, vs) -> vs.forEach(v -> b.append(k).append(v)));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

}
