package io.globalcalling.core.webhook;

import io.globalcalling.ConfigurationException;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.PhoneNumber;
import io.globalcalling.WebhookResponse;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.lifecycle.CallLifecycle;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.Money;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookResult;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.WebhookRequest;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhooksTest {

    private static final String INTERNAL = "http://10.0.0.5:8080/calling/webhooks/rec?callId=call-1";

    private final MutableClock clock = MutableClock.create();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final List<WebhookRequest> seen = new ArrayList<>();
    private final List<GlobalCallingManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    /** A provider whose handler records what reached it and turns nothing into events. */
    private CallingProvider recording() {
        WebhookHandler handler = (request, context) -> {
            seen.add(request);
            return WebhookResult.events(List.of());
        };
        return (CallingProvider) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CallingProvider.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "webhooks" -> handler;
                    case "id" -> "rec";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Webhooks webhooks(int maxBodyBytes, boolean trustForwarded) {
        CallingProvider provider = recording();
        return new Webhooks(id -> id.equals("rec") ? Optional.of(provider) : Optional.empty(), store,
                new CallLifecycle(store, clock, (record, event) -> Money.inr("0")), maxBodyBytes, trustForwarded);
    }

    private GlobalCallingManager manager(Map<String, String> config, FakeCallProvider provider) {
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.of(config)).store(store).clock(clock).provider(provider).build();
        managers.add(m);
        return m;
    }

    private FakeCallProvider fake() {
        return FakeCallProvider.builder().id("fake").clock(clock).categories(CallCategory.INTERNET_VOIP)
                .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1"))).build();
    }

    /**
     * The fake, plus a Vonage-like answer URL ({@code .../answer?callId=..}, authorised by a token header): it is
     * answered with an NCCO built from our record of the call, and reports the call answered.
     */
    private CallingProvider answering(FakeCallProvider fake) {
        WebhookHandler handler = (request, context) -> {
            if (!request.url().getPath().endsWith("/answer")) return fake.webhooks().handle(request, context);
            if (!request.header("X-Token").filter("let-me-in"::equals).isPresent()) {
                throw new WebhookRejectedException(403, "bad token");
            }
            String callId = request.queryParameters().getOrDefault("callId", List.of("")).get(0);
            CallRecord call = context.call(callId)
                    .orElseThrow(() -> new WebhookRejectedException(404, "no call " + callId));
            String ncco = "[{\"action\":\"talk\",\"text\":\"Call " + call.callId() + " to " + call.toNumber() + "\"}]";
            CallEvent answered = CallEvent.status(fake.id(), call.providerCallId(), call.callId(), CallStatus.ANSWERED,
                    clock.instant());
            return WebhookResult.of(List.of(answered), new WebhookResponse(200, "application/json", ncco));
        };
        return (CallingProvider) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CallingProvider.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("webhooks")) return handler;
                    try {
                        return method.invoke(fake, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static WebhookRequest answerRequest(String providerId, String callId, String token) {
        return WebhookRequest.post("https://host.example/calling/webhooks/" + providerId + "/answer?callId=" + callId,
                Map.of("X-Token", token), "");
    }

    private GlobalCallingManager managerOf(CallingProvider... providers) {
        GlobalCallingManager.Builder b = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).store(store).clock(clock);
        for (CallingProvider p : providers) b.provider(p);
        GlobalCallingManager m = b.build();
        managers.add(m);
        return m;
    }

    private static CallRequest voipTo(String number) {
        return CallRequest.to(PhoneNumber.of(number)).build();
    }

    @Test
    void aCallControlRequestIsAnsweredWithADocumentBuiltForThatCallAndItsEventsApplied() {
        GlobalCallingManager m = managerOf(answering(fake()));
        CallRecord call = m.call(voipTo("+919876543210"));

        WebhookResponse response = m.webhooks().handle("fake", answerRequest("fake", call.callId(), "let-me-in"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.body()).isEqualTo("[{\"action\":\"talk\",\"text\":\"Call " + call.callId()
                + " to +919876543210\"}]");
        assertThat(store.find(call.callId())).get().extracting(CallRecord::status).isEqualTo(CallStatus.ANSWERED);
    }

    @Test
    void aHandlerSeesOnlyTheCallsOfItsOwnProvider() {
        FakeCallProvider first = fake();
        FakeCallProvider other = FakeCallProvider.builder().id("other").clock(clock).categories(CallCategory.INTERNET_VOIP)
                .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("2"))).build();
        first.failNext(ProviderException.of("fake", ErrorReason.UNAVAILABLE, "down"));
        GlobalCallingManager m = managerOf(answering(first), other);
        CallRecord failedOver = m.call(voipTo("+919876543210"));
        assertThat(failedOver.providerId()).isEqualTo("other");

        assertThat(m.webhooks().handle("fake", answerRequest("fake", failedOver.callId(), "let-me-in")).status())
                .as("the call's attempt is with 'other' now").isEqualTo(404);
        assertThat(m.webhooks().handle("fake", answerRequest("fake", "no-such-call", "let-me-in")).status()).isEqualTo(404);
        assertThat(store.find(failedOver.callId())).get().extracting(CallRecord::status).isEqualTo(CallStatus.QUEUED);
    }

    @Test
    void aRefusedCallControlRequestGetsNoDocumentAndChangesNothing() {
        GlobalCallingManager m = managerOf(answering(fake()));
        CallRecord call = m.call(voipTo("+919876543210"));

        WebhookResponse response = m.webhooks().handle("fake", answerRequest("fake", call.callId(), "guess"));

        assertThat(response).isEqualTo(WebhookResponse.of(403, "rejected"));
        assertThat(store.find(call.callId())).get().extracting(CallRecord::status).isEqualTo(CallStatus.QUEUED);
        assertThat(store.events(call.callId())).noneMatch(e -> e.status() == CallStatus.ANSWERED);
    }

    @Test
    void aVerifiedRequestWhoseEventsCannotBeAppliedIsAnswered500NotWithItsDocument() {
        FakeCallProvider fake = fake();
        CallRecord call = managerOf(fake).call(voipTo("+919876543210"));
        CallingProvider answering = answering(fake);
        CallStore broken = (CallStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CallStore.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("appendEvent")) throw new IllegalStateException("disk full");
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CallLifecycle failing = new CallLifecycle(broken, clock, (record, event) -> Money.inr("0"));
        Webhooks webhooks = new Webhooks(id -> Optional.of(answering), broken, failing, 1024, false);

        assertThat(webhooks.handle("fake", answerRequest("fake", call.callId(), "let-me-in")))
                .isEqualTo(WebhookResponse.of(500, "not applied"));
    }

    private static WebhookRequest post(String url, Map<String, String> headers, int bodyBytes) {
        return WebhookRequest.post(url, headers, "a".repeat(bodyBytes));
    }

    @Test
    void aCallbackOverTheDefault64KiBIsRefusedWith413() {
        GlobalCallingManager m = manager(Map.of(), fake());

        assertThat(m.webhooks().handle("fake", post(INTERNAL, Map.of(), 64 * 1024 + 1)).status()).isEqualTo(413);
        assertThat(m.webhooks().maxBodyBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void theLimitIsASettingAndOnlyBodiesOverItAreRefused() {
        GlobalCallingManager m = manager(Map.of("calling.webhooks.max-body-bytes", "100"), fake());

        assertThat(m.webhooks().handle("fake", post(INTERNAL, Map.of(), 101)).status()).isEqualTo(413);
        // 100 bytes reach the provider, which refuses them for their missing signature
        assertThat(m.webhooks().handle("fake", post(INTERNAL, Map.of(), 100)).status()).isEqualTo(403);
    }

    @Test
    void anOversizedBodyNeverReachesTheProvider() {
        Webhooks webhooks = webhooks(1024, false);

        assertThat(webhooks.handle("rec", post(INTERNAL, Map.of(), 1025)).status()).isEqualTo(413);
        assertThat(webhooks.handle("rec", post(INTERNAL, Map.of("Content-Length", "30000000"), 0)).status())
                .as("refused by the announced length").isEqualTo(413);
        assertThat(seen).isEmpty();
        assertThat(webhooks.handle("rec", post(INTERNAL, Map.of(), 1024)).status()).isEqualTo(200);
        assertThat(seen).hasSize(1);
    }

    @Test
    void aHostReadsAtMostOneByteOverTheLimitFromTheWire() throws Exception {
        AtomicLong served = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served.incrementAndGet();
                return 'a';
            }
        };
        Webhooks webhooks = webhooks(1024, false);

        WebhookRequest request = WebhookRequest.read("POST", URI.create(INTERNAL), Map.of(), endless,
                webhooks.maxBodyBytes());

        assertThat(request.bodyLength()).isEqualTo(1025);
        assertThat(served.get()).isEqualTo(1025);
        assertThat(webhooks.handle("rec", request).status()).isEqualTo(413);
    }

    @Test
    void forwardedHeadersNameTheUrlOnlyWhenTrusted() {
        Map<String, String> proxied = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "hooks.example.com, proxy.internal");

        webhooks(1024, false).handle("rec", post(INTERNAL, proxied, 10));
        webhooks(1024, true).handle("rec", post(INTERNAL, proxied, 10));
        webhooks(1024, true).handle("rec", post(INTERNAL, Map.of("X-Forwarded-Proto", "https"), 10));

        assertThat(seen).extracting(r -> r.url().toString()).containsExactly(
                INTERNAL,
                "https://hooks.example.com/calling/webhooks/rec?callId=call-1",
                "https://10.0.0.5:8080/calling/webhooks/rec?callId=call-1");
    }

    @Test
    void aForwardedHostThatIsNotAHostIsRefusedWith400() {
        Webhooks webhooks = webhooks(1024, true);

        assertThat(webhooks.handle("rec", post(INTERNAL, Map.of("X-Forwarded-Host", "user:pw@evil.example"), 1)).status())
                .isEqualTo(400);
        assertThat(webhooks.handle("rec", post(INTERNAL, Map.of("X-Forwarded-Host", "evil.example/path"), 1)).status())
                .isEqualTo(400);
        assertThat(webhooks.handle("rec", post(INTERNAL, Map.of("X-Forwarded-Proto", "ftp"), 1)).status()).isEqualTo(400);
        assertThat(seen).isEmpty();
    }

    @Test
    void malformedWebhookSettingsAreRefusedWhenTheManagerIsBuilt() {
        FakeCallProvider provider = fake();
        assertThatThrownBy(() -> manager(Map.of("calling.webhooks.trust-forwarded-headers", "yes"), provider))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("calling.webhooks.trust-forwarded-headers = 'yes' is not true or false");
        assertThatThrownBy(() -> manager(Map.of("calling.webhooks.max-body-bytes", "0",
                        "calling.webhook-base-url", "https://user:pw-in-url@bad host/"), provider))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("calling.webhooks.max-body-bytes = '0'")
                .hasMessageContaining("calling.webhook-base-url = 'https://bad host/'")
                .hasMessageNotContaining("pw-in-url");
        assertThatThrownBy(() -> GlobalCallingManager.builder().webhookMaxBodyBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webhookMaxBodyBytes 0");
    }

    @Test
    void aWebhookBaseUrlWithAQueryOrFragmentIsRefusedWhenTheManagerIsBuilt() {
        // the provider's id and ?callId= are appended to the base: https://host/hooks?k=v/fake?callId=... reaches no
        // route, so every callback of every call would be lost
        FakeCallProvider provider = fake();
        assertThatThrownBy(() -> manager(Map.of("calling.webhook-base-url",
                        "https://host.example/calling/webhooks?tenant=7"), provider))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("calling.webhook-base-url")
                .hasMessageContaining("query or fragment");
        assertThatThrownBy(() -> manager(Map.of("calling.webhook-base-url",
                        "https://host.example/calling/webhooks#top"), provider))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("query or fragment");
        assertThatThrownBy(() -> GlobalCallingManager.builder().webhookBaseUrl("https://host.example/hooks?tenant=7"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webhookBaseUrl")
                .hasMessageContaining("query or fragment");
        assertThatThrownBy(() -> GlobalCallingManager.builder().webhookBaseUrl("https://host.example/hooks#top"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query or fragment");
    }
}
