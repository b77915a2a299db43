package io.globalcalling.examples.invariants;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.Money;
import io.globalcalling.WebhookRequest;
import io.globalcalling.WebhookResponse;
import io.globalcalling.core.CallFailedException;
import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.cost.RateDeck;
import io.globalcalling.examples.invariants.VonageHistory.Deliver;
import io.globalcalling.examples.invariants.VonageHistory.End;
import io.globalcalling.examples.invariants.VonageHistory.Place;
import io.globalcalling.provider.vonage.VonageConfig;
import io.globalcalling.provider.vonage.VonageProvider;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Rate;
import io.globalcalling.testkit.TestProviderContext;

import net.jqwik.api.statistics.Statistics;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Runs a {@link VonageHistory} through a real manager and the real Vonage adapter, discovered from configuration,
 * against a WireMock stub of the Voice API that answers what the history says: the create, then
 * {@code GET /v1/calls/{uuid}} and the call list with what each call became. Vonage's event callbacks are signed as
 * Vonage signs them and go through the manager's webhook entry point. See {@link MoneyInvariants} for what is checked.
 */
final class VonageModel {

    static final String APPLICATION_ID = "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab";
    static final String SIGNATURE_SECRET = "model-vonage-signature-secret-0123456789abcdef";
    static final String FROM = "447700900001";
    private static final String PEM = privateKey();

    private final WireMockServer vonage;

    VonageModel(WireMockServer vonage) {
        this.vonage = vonage;
    }

    Map<String, String> config() {
        return Map.of(
                "VONAGE_APPLICATION_ID", APPLICATION_ID,
                "vonage.private-key", PEM,
                "VONAGE_SIGNATURE_SECRET", SIGNATURE_SECRET,
                "vonage.from-number", "+" + FROM,
                "vonage.base-url", vonage.baseUrl(),
                "vonage.voip-connect-to", "sip:desk@pbx.example.com",
                "sandbox.enabled", "false",
                "calling.webhook-base-url", "https://app.example.com/calling/webhooks");
    }

    void run(VonageHistory history) {
        vonage.resetAll();
        try (TestProviderContext context = TestProviderContext.create();
             MoneyInvariants run = new MoneyInvariants(config(), Duration.ofMinutes(30))) {
            List<Rate> deck = new VonageProvider(VonageConfig.from(ProviderConfig.of(config())), context).rates();
            new Run(history, run, RateDeck.of(deck)).execute();
        }
    }

    /** One call of the history: what it is at Vonage and in the manager. */
    private static final class Call {
        final Place spec;
        final int index;
        final String callId;
        final String digits;
        final String uuid;
        final Instant startedAt;
        final List<String> life;

        Call(Place spec, int index, String callId, String digits, String uuid, Instant startedAt) {
            this.spec = spec;
            this.index = index;
            this.callId = callId;
            this.digits = digits;
            this.uuid = uuid;
            this.startedAt = startedAt;
            this.life = life(spec.end());
        }

        static List<String> life(End end) {
            return switch (end) {
                case COMPLETED -> List.of("started", "ringing", "answered", "completed");
                case FAILED, REJECTED -> List.of("started", end.wire);
                case LIVE -> List.of("started", "ringing", "answered");
                default -> List.of("started", "ringing", end.wire);
            };
        }

        Instant at(int event) {
            Instant t = startedAt.plusSeconds(5L * event);
            return life.get(event).equals("completed") ? t.plusSeconds(spec.duration()) : t;
        }

        /** The index of the call's last step by {@code now}. */
        int stepAt(Instant now) {
            int k = 0;
            while (k + 1 < life.size() && !at(k + 1).isAfter(now)) k++;
            return k;
        }

        boolean ends() {
            return spec.end() != End.LIVE;
        }
    }

    private final class Run {
        final VonageHistory history;
        final MoneyInvariants run;
        final RateDeck deck;
        final List<Call> calls = new ArrayList<>();
        int stepIndex = -1;

        Run(VonageHistory history, MoneyInvariants run, RateDeck deck) {
            this.history = history;
            this.run = run;
            this.deck = deck;
        }

        void execute() {
            for (VonageHistory.Step step : history.steps()) {
                stepIndex++;
                run.step("step " + stepIndex + " (" + step + ")");
                restub();
                if (step instanceof Place p) {
                    place(p);
                } else if (step instanceof Deliver d) {
                    deliver(d);
                } else if (step instanceof VonageHistory.Reconcile r) {
                    run.clock().advance(Duration.ofSeconds(r.seconds()));
                    restub();
                    run.manager().reconcile();
                }
                checkAfterStep();
            }
            // an hour on, past the call timeout and the search lag: reconciliation asks Vonage about every call left
            run.step("the end (after an hour and two reconciliation passes)");
            run.clock().advance(Duration.ofHours(1));
            restub();
            run.manager().reconcile();
            run.manager().reconcile();
            checkAfterStep();
            checkAtEnd();
        }

        void place(Place p) {
            int index = calls.size();
            String digits = "4479111234" + String.format("%02d", index);
            String uuid = "63f61863-4a51-4f6b-86e1-0000000000" + String.format("%02d", index);
            run.clock().advance(Duration.ofSeconds(1));   // Vonage's pace: 3 creates a second
            vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(switch (p.create()) {
                case CREATED -> aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"uuid\":\"" + uuid + "\",\"status\":\"started\",\"direction\":\"outbound\","
                                + "\"conversation_uuid\":\"CON-" + uuid + "\"}");
                case REFUSED -> error(p.httpStatus(), p.httpStatus() == 422 ? "invalid-params" : "bad-request",
                        p.httpStatus() == 401 ? "Unauthorized" : p.httpStatus() == 403 ? "Forbidden" : "Bad Request");
                case SERVER_ERROR -> error(p.httpStatus(), "internal-error", "Internal Server Error");
                case RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            }));
            Instant startedAt = run.clock().instant();
            String callId;
            try {
                callId = run.manager().call(CallRequest.to("+" + digits).customerId(MoneyInvariants.CUSTOMER).build()).callId();
            } catch (CallFailedException e) {
                callId = e.callId();
            }
            Call call = new Call(p, index, callId, digits, uuid, startedAt);
            calls.add(call);
            run.expectCall(callId);
            restub();
        }

        com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(int status, String type, String title) {
            String invalid = status == 422 ? ",\"invalid_parameters\":[{\"name\":\"to[0].number\",\"reason\":\"Invalid number\"}]" : "";
            return aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json")
                    .withBody("{\"type\":\"https://developer.nexmo.com/api-errors#" + type + "\",\"title\":\"" + title
                            + "\",\"detail\":\"The request failed\",\"instance\":\"bf0ca0bf927b3b52e3cb03217e1a1ddf\"" + invalid + "}");
        }

        /** {@code GET /v1/calls/{uuid}} and the call list: each call Vonage made, as it is now. */
        void restub() {
            Instant now = run.clock().instant();
            List<String> listed = new ArrayList<>();
            for (Call c : calls) {
                if (!c.spec.made()) continue;
                vonage.stubFor(get(urlPathEqualTo("/v1/calls/" + c.uuid)).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody(resource(c, now))));
                if (!c.startedAt.plusSeconds(c.spec.listLag()).isAfter(now)) listed.add(resource(c, now));
            }
            vonage.stubFor(get(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody("{\"count\":" + listed.size()
                            + ",\"page_size\":100,\"record_index\":0,\"_links\":{\"self\":{\"href\":\"/calls\"}},"
                            + "\"_embedded\":{\"calls\":[" + String.join(",", listed) + "]}}")));
        }

        String resource(Call c, Instant now) {
            int k = c.stepAt(now);
            StringBuilder b = new StringBuilder("{\"uuid\":\"" + c.uuid + "\",\"conversation_uuid\":\"CON-" + c.uuid
                    + "\",\"status\":\"" + c.life.get(k) + "\",\"direction\":\"outbound\","
                    + "\"to\":{\"type\":\"phone\",\"number\":\"" + c.digits + "\"},"
                    + "\"from\":{\"type\":\"phone\",\"number\":\"" + FROM + "\"},"
                    + "\"start_time\":\"" + c.startedAt + "\",\"network\":\"23410\",\"rate\":\"0.01400000\"");
            if (c.ends() && k == c.life.size() - 1) {
                b.append(",\"end_time\":\"").append(c.at(k)).append('"');
                b.append(",\"duration\":\"").append(c.spec.end() == End.COMPLETED ? c.spec.duration() : 0).append('"');
                if (c.spec.price() != null) b.append(",\"price\":\"").append(c.spec.price()).append('"');
            }
            return b.append('}').toString();
        }

        void deliver(Deliver d) {
            List<Call> made = calls.stream().filter(c -> c.spec.made()).toList();
            if (made.isEmpty()) return;
            Call c = made.get(d.call() % made.size());
            int event = d.event() % c.life.size();
            String status = c.life.get(event);
            // Vonage posts an event once it has happened: the clock moves on to it if need be
            if (c.at(event).isAfter(run.clock().instant())) {
                run.clock().setInstant(c.at(event));
                restub();
            }
            StringBuilder body = new StringBuilder("{\"from\":\"" + FROM + "\",\"to\":\"" + c.digits + "\",\"uuid\":\""
                    + c.uuid + "\",\"conversation_uuid\":\"CON-" + c.uuid + "\",\"status\":\"" + status
                    + "\",\"direction\":\"outbound\",\"timestamp\":\"" + c.at(event) + "\"");
            boolean end = c.ends() && event == c.life.size() - 1;
            if (end) {
                body.append(",\"start_time\":\"").append(c.startedAt).append("\",\"end_time\":\"").append(c.at(event))
                        .append("\",\"duration\":\"").append(c.spec.end() == End.COMPLETED ? c.spec.duration() : 0)
                        .append("\",\"rate\":\"0.01400000\",\"network\":\"23410\"");
                if (c.spec.price() != null) body.append(",\"price\":\"").append(c.spec.price()).append('"');
                if (status.equals("failed") || status.equals("rejected")) body.append(",\"detail\":\"declined\"");
            }
            body.append('}');
            String url = "https://app.example.com/calling/webhooks/vonage?callId="
                    + URLEncoder.encode(c.callId, StandardCharsets.UTF_8);
            String text = body.toString();
            WebhookResponse response = run.manager().webhooks().handle("vonage", WebhookRequest.post(url,
                    Map.of("Authorization", "Bearer " + token(text), "Content-Type", "application/json"), text));
            if (response.status() != 200) {
                run.fail("a signed callback is applied", "Vonage's '" + status + "' for call " + c.callId
                        + " was answered " + response.status() + " " + response.body());
            }
            if (end) run.endDelivered(c.callId);
        }

        String token(String body) {
            String claims = "{\"iat\":" + run.clock().instant().getEpochSecond() + ",\"jti\":\"" + UUID.randomUUID()
                    + "\",\"iss\":\"Vonage\",\"payload_hash\":\"" + sha256Hex(body) + "\",\"application_id\":\""
                    + APPLICATION_ID + "\"}";
            return hs256(SIGNATURE_SECRET, claims);
        }

        void checkAfterStep() {
            run.checkAfterStep();
            for (Call c : calls) {
                int creates = creates(c.digits);
                if (creates > 1) {
                    run.fail("a create whose bytes may have left is never sent again", "call " + c.callId + " to "
                            + c.digits + " was POSTed " + creates + " times (Vonage does not deduplicate)");
                }
            }
        }

        int creates(String digits) {
            int n = 0;
            for (LoggedRequest r : vonage.findAll(com.github.tomakehurst.wiremock.client.WireMock
                    .postRequestedFor(urlPathEqualTo("/v1/calls")))) {
                if (r.getBodyAsString().contains("\"number\":\"" + digits + "\"")) n++;
            }
            return n;
        }

        void checkAtEnd() {
            Map<String, MoneyInvariants.Expected> expected = new HashMap<>();
            for (Call c : calls) {
                expected.put(c.callId, expectation(c));
                Statistics.label("calls").collect(c.spec.create(), c.spec.made() ? c.spec.end() : "not made",
                        c.spec.price() == null ? "unpriced" : "priced");
            }
            run.checkAtEnd(expected);
        }

        /** What the record must say once every call Vonage ended has been delivered or reconciled. */
        MoneyInvariants.Expected expectation(Call c) {
            if (!c.spec.made()) return MoneyInvariants.Expected.notTaken();
            if (!c.ends()) return MoneyInvariants.Expected.live();
            CallStatus status = switch (c.spec.end()) {
                case COMPLETED -> CallStatus.COMPLETED;
                case BUSY -> CallStatus.BUSY;
                case TIMEOUT, UNANSWERED -> CallStatus.NO_ANSWER;
                case CANCELLED -> CallStatus.CANCELED;
                default -> CallStatus.FAILED;
            };
            Money cost;
            if (c.spec.price() != null) {
                cost = FxTable.defaults().toReporting(Money.of(c.spec.price(), "EUR")).rounded();
            } else {
                Rate rate = deck.find(CallCategory.INTERNET_VOIP, Endpoint.parse("+" + c.digits)).orElseThrow();
                Money atRate = status == CallStatus.COMPLETED ? rate.priceFor(Duration.ofSeconds(c.spec.duration()))
                        : rate.perCall();
                cost = FxTable.defaults().toReporting(atRate).rounded();
            }
            return MoneyInvariants.Expected.ended(status, cost);
        }
    }

    private static String privateKey() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** Vonage's signed-callback token: HS256 over claims that carry the body's SHA-256. */
    static String hs256(String secret, String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String sha256Hex(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
