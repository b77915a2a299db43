package io.globalcalling.core;

import io.globalcalling.core.lifecycle.CallLifecycle;
import io.globalcalling.core.lifecycle.CallStatusChanged;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.core.limits.LimitExceededException;
import io.globalcalling.core.limits.Pace;
import io.globalcalling.core.routing.NoRouteException;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.Purpose;
import io.globalcalling.spi.Rate;
import io.globalcalling.Skill;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.WebhookRequest;
import io.globalcalling.WebhookResponse;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlobalCallingManagerTest {

    private static final String INDIA = "+919876543210";

    private final MutableClock clock = MutableClock.create();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final List<GlobalCallingManager> managers = new ArrayList<>();

    private final FakeCallProvider cheap = fake("cheap", "1.00");
    private final FakeCallProvider dear = fake("dear", "1.50");

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    private FakeCallProvider fake(String id, String perMinute) {
        return FakeCallProvider.builder().id(id).clock(clock)
                .categories(CallCategory.INTERNET_VOIP)
                .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr(perMinute)))
                .webhookUrl(java.net.URI.create("https://host.example/calling/webhooks/" + id))
                .build();
    }

    private GlobalCallingManager manager(CallingProvider... providers) {
        GlobalCallingManager.Builder b = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).store(store).clock(clock)
                .webhookBaseUrl("https://host.example/calling/webhooks");
        for (CallingProvider p : providers) b.provider(p);
        GlobalCallingManager m = b.build();
        managers.add(m);
        return m;
    }

    private static CallRequest voip() {
        return CallRequest.to(INDIA).build();
    }

    @Test
    void writesTheRecordBeforeAnyProviderIsAsked() {
        AtomicReference<Optional<CallRecord>> seenAtPlacement = new AtomicReference<>();
        CallingProvider observing = new DelegatingProvider(cheap) {
            @Override
            public PlacedCall place(OutboundCall call) {
                seenAtPlacement.set(store.find(call.callId()));
                return super.place(call);
            }
        };
        CallRecord record = manager(observing).call(voip());

        assertThat(seenAtPlacement.get()).get().extracting(CallRecord::status).isEqualTo(CallStatus.INITIATED);
        assertThat(record.status()).isEqualTo(CallStatus.QUEUED);
        assertThat(record.providerId()).isEqualTo("cheap");
        assertThat(record.providerCallId()).startsWith("FAKE-");
        assertThat(record.estimatedCost()).isNotNull();
        assertThat(record.routeReasons()).isNotEmpty();
        assertThat(cheap.receivedCalls()).singleElement().satisfies(c -> {
            assertThat(c.statusCallbackUrl()).hasToString(
                    "https://host.example/calling/webhooks/cheap?callId=" + record.callId());
            assertThat(c.attempt()).isEqualTo(1);
        });
    }

    @Test
    void failsOverOnlyWhenTheProviderDefinitelyDidNotTakeTheCall() {
        cheap.failNext(ProviderException.of("cheap", ErrorReason.UNAVAILABLE, "connect refused"));
        CallRecord record = manager(cheap, dear).call(voip());

        assertThat(record.providerId()).isEqualTo("dear");
        assertThat(record.attempt()).isEqualTo(2);
        assertThat(dear.receivedCalls()).singleElement().extracting(OutboundCall::attempt).isEqualTo(2);
        assertThat(store.events(record.callId())).extracting(StoredEvent::type).contains("failover", "placed");
    }

    @Test
    void aProviderThatSaysSlowDownIsPacedAndItsCallsGoElsewhereMeanwhile() {
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .store(store).clock(clock).provider(cheap).provider(dear)
                .pacing(p -> p.pace("cheap", Pace.of(100, 100)).maxWait(Duration.ofMillis(50)))
                .build();
        managers.add(m);
        cheap.failNext(ProviderException.builder("cheap", ErrorReason.RATE_LIMITED, "Too Many Requests")
                .httpStatus(429).providerErrorCode("20429").retryAfter(Duration.ofSeconds(30)).build());

        CallRecord first = m.call(voip());
        CallRecord second = m.call(voip());   // cheap is paused for 30 s: its pacer refuses within 50 ms

        assertThat(first.providerId()).isEqualTo("dear");
        assertThat(second.providerId()).isEqualTo("dear");
        assertThat(cheap.receivedCalls()).hasSize(1);
        assertThat(m.calls().events(second.callId())).extracting(StoredEvent::type).contains("failover");
    }

    @Test
    void aRetryAfterTooLongForNanosecondsStillPausesTheProviderAndFailsOver() {
        // Retry-After is the provider's answer: 99999999999 seconds (or a date in the year 9999) is read as it is,
        // and is longer than Duration.toNanos can hold
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .store(store).clock(clock).provider(cheap).provider(dear)
                .pacing(p -> p.pace("cheap", Pace.of(100, 100)).maxWait(Duration.ofMillis(50)))
                .build();
        managers.add(m);
        cheap.failNext(ProviderException.builder("cheap", ErrorReason.RATE_LIMITED, "Too Many Requests")
                .httpStatus(429).providerErrorCode("20429").retryAfter(Duration.ofSeconds(99_999_999_999L)).build());

        CallRecord first = m.call(voip());
        CallRecord second = m.call(voip());

        assertThat(first.providerId()).isEqualTo("dear");
        assertThat(second.providerId()).isEqualTo("dear");
        assertThat(cheap.receivedCalls()).hasSize(1);
    }

    @Test
    void neverRedialsAnUnknownOutcomeAndReconcilesItWithTheProvider() {
        cheap.failNext(ProviderException.of("cheap", ErrorReason.OUTCOME_UNKNOWN, "read timed out after sending"));
        GlobalCallingManager m = manager(cheap, dear);
        CallRecord record = m.call(voip());

        assertThat(record.needsReconciliation()).isTrue();
        assertThat(record.status()).isEqualTo(CallStatus.INITIATED);
        assertThat(dear.receivedCalls()).isEmpty();

        // The provider cannot say what became of it: it stays unknown (never failed on a guess), never re-dialled.
        clock.advance(Duration.ofMinutes(3));
        assertThat(m.reconcile()).isZero();
        CallRecord after = m.calls().find(record.callId()).orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.INITIATED);
        assertThat(after.needsReconciliation()).isTrue();
        assertThat(dear.receivedCalls()).isEmpty();
    }

    @Test
    void eraseAtProviderAsksTheNamedActiveProviderAndNoOther() {
        List<String> erased = new ArrayList<>();
        CallingProvider erasing = new DelegatingProvider(cheap) {
            @Override
            public void eraseCall(String providerCallId) {
                erased.add(providerCallId);
            }
        };
        GlobalCallingManager manager = manager(erasing, dear);

        manager.eraseAtProvider("cheap", "FAKE-7");

        assertThat(erased).containsExactly("FAKE-7");
        assertThatThrownBy(() -> manager.eraseAtProvider("gone", "FAKE-8"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("provider 'gone' is not active");
        assertThatThrownBy(() -> manager.eraseAtProvider("cheap", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("providerCallId");
        assertThat(erased).containsExactly("FAKE-7");
    }

    @Test
    void aPermanentRefusalFailsTheCallWithoutFailover() {
        cheap.failNext(ProviderException.builder("cheap", ErrorReason.INVALID_DESTINATION, "invalid To")
                .providerErrorCode("21211").build());
        GlobalCallingManager m = manager(cheap, dear);

        assertThatThrownBy(() -> m.call(voip()))
                .isInstanceOfSatisfying(CallFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_DESTINATION);
                    CallRecord r = m.calls().find(e.callId()).orElseThrow();
                    assertThat(r.status()).isEqualTo(CallStatus.FAILED);
                    assertThat(r.errorReason()).isEqualTo("INVALID_DESTINATION");
                });
        assertThat(dear.receivedCalls()).isEmpty();
    }

    @Test
    void everyOptionUnavailableFailsTheCallAndKeepsItOnRecord() {
        cheap.failNext(ProviderException.of("cheap", ErrorReason.UNAVAILABLE, "down"));
        dear.failNext(ProviderException.of("dear", ErrorReason.UNAVAILABLE, "down too"));
        GlobalCallingManager m = manager(cheap, dear);

        assertThatThrownBy(() -> m.call(voip())).isInstanceOf(CallFailedException.class)
                .hasMessageContaining("down too");
        assertThat(m.calls().recent(10)).singleElement().extracting(CallRecord::status).isEqualTo(CallStatus.FAILED);
    }

    @Test
    void callbacksMoveTheCallForwardOnlyAndSettleItsCostOnce() {
        GlobalCallingManager m = manager(cheap);
        List<CallStatusChanged> changes = new ArrayList<>();
        m.onStatusChange(changes::add);
        CallRecord record = m.call(voip());
        String sid = record.providerCallId();

        assertThat(m.webhooks().handle("cheap", cheap.callback(sid, CallStatus.RINGING)).status()).isEqualTo(200);
        assertThat(m.webhooks().handle("cheap", cheap.callback(sid, CallStatus.ANSWERED)).status()).isEqualTo(200);
        assertThat(m.calls().find(record.callId()).orElseThrow().endedAt()).isNull();
        clock.advance(Duration.ofSeconds(125));
        Instant end = clock.instant();
        WebhookRequest completed = cheap.callback(sid, CallStatus.COMPLETED, Duration.ofSeconds(125));
        assertThat(m.webhooks().handle("cheap", completed).status()).isEqualTo(200);
        m.webhooks().handle("cheap", completed);                                   // duplicate
        m.webhooks().handle("cheap", cheap.callback(sid, CallStatus.RINGING));     // late

        CallRecord after = m.calls().find(record.callId()).orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.durationSeconds()).isEqualTo(125);
        assertThat(after.cost()).isEqualTo(Money.inr("3"));        // 125 s billed as 3 whole minutes at 1 INR
        assertThat(after.endedAt()).isEqualTo(end);
        assertThat(changes).extracting(CallStatusChanged::current)
                .containsExactly(CallStatus.QUEUED, CallStatus.RINGING, CallStatus.ANSWERED, CallStatus.COMPLETED);
        // the duplicate is the same report (same sequence): logged once
        assertThat(m.calls().events(record.callId())).filteredOn(e -> "cheap".equals(e.source())).hasSize(4);
    }

    @Test
    void aBadlySignedCallbackIsRefusedAndChangesNothing() {
        GlobalCallingManager m = manager(cheap);
        CallRecord record = m.call(voip());
        WebhookRequest good = cheap.callback(record.providerCallId(), CallStatus.COMPLETED);
        WebhookRequest forged = new WebhookRequest(good.method(), good.url(), good.headers(),
                good.bodyText().replace("completed", "canceled").getBytes());

        WebhookResponse response = m.webhooks().handle("cheap", forged);

        assertThat(response.status()).isEqualTo(403);
        assertThat(m.calls().find(record.callId()).orElseThrow().status()).isEqualTo(CallStatus.QUEUED);
        assertThat(m.webhooks().handle("nobody", good).status()).isEqualTo(404);
    }

    @Test
    void anEventFromAProviderTheCallFailedOverFromChangesNothing() {
        cheap.failNext(ProviderException.of("cheap", ErrorReason.UNAVAILABLE, "connect refused"));
        GlobalCallingManager m = manager(cheap, dear);
        CallRecord record = m.call(voip());
        assertThat(record.providerId()).isEqualTo("dear");

        CallLifecycle lifecycle = new CallLifecycle(store, clock, (r, e) -> null);
        CallEvent stray = CallEvent.status("cheap", "CHEAP-1", record.callId(), CallStatus.COMPLETED, clock.instant());

        assertThat(lifecycle.apply(stray)).isEmpty();
        assertThat(m.calls().find(record.callId()).orElseThrow().status()).isEqualTo(CallStatus.QUEUED);
        assertThat(lifecycle.apply(CallEvent.status("dear", record.providerCallId(), record.callId(),
                CallStatus.RINGING, clock.instant()))).get().extracting(CallRecord::status).isEqualTo(CallStatus.RINGING);
    }

    @Test
    void theSameIdempotencyKeyNeverPlacesASecondCall() {
        GlobalCallingManager m = manager(cheap);
        CallRequest request = CallRequest.to(INDIA).customerId("acme").idempotencyKey("order-42").build();
        CallRecord first = m.call(request);
        CallRecord second = m.call(request);

        assertThat(second.callId()).isEqualTo(first.callId());
        assertThat(cheap.receivedCalls()).hasSize(1);
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsRecordedOrSent() {
        GlobalCallingManager m = manager(cheap);
        assertThatThrownBy(() -> m.call(CallRequest.to("+9100000").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'+9100000'");
        assertThatThrownBy(() -> m.call(CallRequest.to(INDIA).category(CallCategory.AI_AUTOMATED).build()))
                .hasMessageContaining("script is required");
        assertThatThrownBy(() -> m.call(CallRequest.to(INDIA).category(CallCategory.SATELLITE).build()))
                .isInstanceOf(NoRouteException.class).hasMessageContaining("satellite");
        assertThatThrownBy(() -> m.estimate(voip(), Duration.ofSeconds(-1))).hasMessageContaining("PT-1S");
        assertThat(m.calls().recent(10)).isEmpty();
        assertThat(cheap.receivedCalls()).isEmpty();
    }

    /** Routing, not the request, chose ai_automated here: the call still needs the text it speaks. */
    @Test
    void aNotificationRoutedToAiAutomatedWithoutAScriptIsRefusedBeforeAnythingIsRecordedOrSent() {
        FakeCallProvider ai = FakeCallProvider.builder().id("ai").clock(clock).categories(CallCategory.AI_AUTOMATED).build();
        GlobalCallingManager m = manager(ai);

        assertThat(m.plan(CallRequest.to(INDIA).purpose(Purpose.NOTIFICATION).script("Hello").build()).category())
                .isEqualTo(CallCategory.AI_AUTOMATED);
        assertThatThrownBy(() -> m.call(CallRequest.to(INDIA).purpose(Purpose.ALERT).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("script is required");
        assertThat(m.calls().recent(10)).isEmpty();
        assertThat(ai.receivedCalls()).isEmpty();
    }

    @Test
    void aPayloadThatIsNotJsonIsRefusedBeforeAnythingIsRecordedOrSent() {
        FakeCallProvider systems = FakeCallProvider.builder().id("systems").clock(clock).categories(CallCategory.SYSTEM_API)
                .rate(Rate.perCall(CallCategory.SYSTEM_API, "", Money.inr("0.01"))).build();
        GlobalCallingManager m = manager(systems);

        assertThatThrownBy(() -> m.call(CallRequest.to("https://hooks.example.com/alerts").payload("{not json").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload").hasMessageContaining("JSON");
        assertThat(m.calls().recent(10)).isEmpty();
        assertThat(systems.receivedCalls()).isEmpty();
        assertThat(m.call(CallRequest.to("https://hooks.example.com/alerts").payload("{\"disk\":91}").build()).category())
                .isEqualTo(CallCategory.SYSTEM_API);
    }

    @Test
    void aCallerIdThatIsNoValidNumberIsRefusedBeforeAnythingIsRecordedOrSent() {
        GlobalCallingManager m = manager(cheap);

        assertThatThrownBy(() -> m.call(CallRequest.to(INDIA).from("+9100000").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'+9100000'");
        assertThat(m.calls().recent(10)).isEmpty();
        assertThat(cheap.receivedCalls()).isEmpty();
        assertThat(m.call(CallRequest.to(INDIA).from("+14155552671").build()).fromNumber()).isEqualTo("+14155552671");
    }

    /** A voice call has no body to deliver: a JSON payload, like bytes, would be dropped unsaid. */
    @Test
    void aJsonPayloadOnACallThatRoutesAsVoiceIsRefusedBeforeAnythingIsRecordedOrSent() {
        GlobalCallingManager m = manager(cheap);

        assertThatThrownBy(() -> m.call(CallRequest.to(INDIA).payload("{\"order\":42}").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload").hasMessageContaining("internet_voip");
        assertThat(m.calls().recent(10)).isEmpty();
        assertThat(cheap.receivedCalls()).isEmpty();
    }

    @Test
    void aRefusedWebhookUrlIsNamedWithoutItsCredentials() {
        GlobalCallingManager m = manager(cheap);

        assertThatThrownBy(() -> m.call(CallRequest.to("https://admin:s3cret-pw@hooks.example.com/alerts")
                .category(CallCategory.INTERNET_VOIP).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hooks.example.com/alerts")
                .hasMessageNotContaining("s3cret-pw");
    }

    /** Control characters are no speech: providers strip them (XML cannot carry them), leaving nothing to say. */
    @Test
    void aScriptOfControlCharactersOnlyIsRefusedBeforeAnythingIsRecordedOrSent() {
        FakeCallProvider ai = FakeCallProvider.builder().id("ai").clock(clock).categories(CallCategory.AI_AUTOMATED).build();
        GlobalCallingManager m = manager(ai);

        assertThatThrownBy(() -> m.ai().call(CallRequest.to(INDIA).script("\u0000\u0007 \u001f").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("script");
        assertThatThrownBy(() -> m.ai().call(CallRequest.to(INDIA).script("{{name}}").variable("name", "\u0000\u0008").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{{name}}");
        assertThat(m.calls().recent(10)).isEmpty();
        assertThat(ai.receivedCalls()).isEmpty();
        m.ai().call(CallRequest.to(INDIA).script("Line one\u0000 & <two>").build());
        assertThat(ai.receivedCalls()).singleElement().extracting(OutboundCall::spokenText).isEqualTo("Line one\u0000 & <two>");
    }

    @Test
    void aScriptPlaceholderWithoutAValueIsRefused() {
        FakeCallProvider ai = FakeCallProvider.builder().id("ai").clock(clock).categories(CallCategory.AI_AUTOMATED).build();
        GlobalCallingManager m = manager(ai);
        assertThatThrownBy(() -> m.call(CallRequest.to(INDIA).purpose(Purpose.NOTIFICATION)
                .script("Hello {{name}}").build())).hasMessageContaining("{{name}}");
        CallRecord ok = m.call(CallRequest.to(INDIA).purpose(Purpose.NOTIFICATION)
                .script("Hello {{name}} & welcome").variable("name", "Asha").build());
        assertThat(ok.category()).isEqualTo(CallCategory.AI_AUTOMATED);
        assertThat(ai.receivedCalls()).singleElement().extracting(OutboundCall::spokenText)
                .isEqualTo("Hello Asha & welcome");
    }

    @Test
    void categoryFacadesPinTheirCategory() {
        FakeCallProvider both = FakeCallProvider.builder().id("both").clock(clock)
                .categories(CallCategory.INTERNET_VOIP, CallCategory.HUMAN_AGENT).build();
        GlobalCallingManager m = manager(both);
        assertThat(m.human().call(INDIA).category()).isEqualTo(CallCategory.HUMAN_AGENT);
        assertThat(m.voip().plan(voip()).category()).isEqualTo(CallCategory.INTERNET_VOIP);
        assertThatThrownBy(() -> m.human().call(CallRequest.to(INDIA).category(CallCategory.SATELLITE).build()))
                .hasMessageContaining("conflicts");
    }

    @Test
    void estimateAndPlanHaveNoSideEffects() {
        GlobalCallingManager m = manager(cheap, dear);
        assertThat(m.plan(voip()).options()).extracting(o -> o.providerId()).containsExactly("cheap", "dear");
        assertThat(m.estimate(voip(), Duration.ofMinutes(2)).total()).isEqualTo(Money.inr("2"));
        assertThat(m.calls().recent(10)).isEmpty();
        assertThat(cheap.receivedCalls()).isEmpty();
    }

    @Test
    void aCustomerOverItsBudgetIsRefusedBeforeAnythingIsSent() {
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .store(store).clock(clock).provider(cheap)
                .limits(l -> l.budgets(Budget.daily(Money.inr("25"))))
                .build();
        managers.add(m);
        CallRequest request = CallRequest.to(INDIA).customerId("tight").build();
        m.call(request);   // each voip call holds 1 INR/min x 10 min
        m.call(request);

        assertThatThrownBy(() -> m.call(request)).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("'tight'").hasMessageContaining("cap 25 INR");
        assertThat(cheap.receivedCalls()).hasSize(2);
        assertThat(m.calls().recent(100)).hasSize(2);
    }

    @Test
    void anEmergencyCallBypassesTheBudgetAndIsFlagged() {
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .store(store).clock(clock).provider(cheap)
                .limits(l -> l.budgets(Budget.daily(Money.inr("5"))))
                .build();
        managers.add(m);
        CallRecord sos = m.call(CallRequest.to(INDIA).customerId("tight").purpose(Purpose.EMERGENCY).build());
        assertThat(sos.limitBypass()).isTrue();
        assertThat(sos.status()).isEqualTo(CallStatus.QUEUED);
    }

    @Test
    void theSandboxsOwnEventsDriveEveryCategoryToAnEnd() throws Exception {
        // The sandbox delivers its simulated lifecycle through ProviderContext.events(), not webhooks.
        GlobalCallingManager m = GlobalCallingManager.builder()
                .config(ProviderConfig.of(Map.of("sandbox.time-scale", "0.0001")))
                .store(store).build();
        managers.add(m);
        List<CallRecord> placed = List.of(
                m.voip().call("+14155550000"),
                m.ai().call(CallRequest.to("+919876540000").script("Your OTP is {{otp}}").variable("otp", "4711").build()),
                m.human().call(CallRequest.to("+447911230000").skill(Skill.BILLING).build()),
                m.satellite().call("+881631230000"),
                m.system().call("https://alerts.example.com/0000"));
        for (CallRecord r : placed) {
            // await, not a poll for a terminal status: the cost is stored just after the status
            CallRecord end = m.calls().await(r.callId(), Duration.ofSeconds(10));
            assertThat(end.status()).as(r.category().wireName()).isEqualTo(CallStatus.COMPLETED);
            assertThat(end.cost()).as(r.category().wireName()).isNotNull();
            assertThat(end.providerId()).isEqualTo("sandbox");
        }
    }


    /** Forwards everything to another provider; tests override what they observe. */
    static class DelegatingProvider implements CallingProvider {
        private final CallingProvider delegate;

        DelegatingProvider(CallingProvider delegate) {
            this.delegate = delegate;
        }

        @Override public String id() { return delegate.id(); }
        @Override public Set<CallCategory> categories() { return delegate.categories(); }
        @Override public ProviderCapabilities capabilities() { return delegate.capabilities(); }
        @Override public ProviderCoverage coverage() { return delegate.coverage(); }
        @Override public boolean covers(Endpoint endpoint) { return delegate.covers(endpoint); }
        @Override public List<Rate> rates() { return delegate.rates(); }
        @Override public PlacedCall place(OutboundCall call) { return delegate.place(call); }
        @Override public Optional<CallEvent> fetch(String id) { return delegate.fetch(id); }
        @Override public void hangUp(String id) { delegate.hangUp(id); }
        @Override public WebhookHandler webhooks() { return delegate.webhooks(); }
    }
}
