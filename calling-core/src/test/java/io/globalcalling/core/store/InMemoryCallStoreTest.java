package io.globalcalling.core.store;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.DuplicateCallException;
import io.globalcalling.spi.store.DuplicateCampaignException;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the in-memory store does to keep a call in flight small, and its memory bounded, beyond the store contract. */
class InMemoryCallStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static CallRecord record(String callId) {
        // every part built afresh, as each placement builds its own
        return CallRecord.initiated(callId, new String("customer-1"), CallCategory.INTERNET_VOIP, null, "+14155550000",
                null, Priority.NORMAL, null, null, Money.inr("8"), Money.inr("1.6"),
                List.of(new String("a person-to-person call"), "sandbox: " + "cheapest covering option"), false, T0,
                new LinkedHashMap<>(Map.of("team", "support")));
    }

    @Test
    void recordsShareOneCopyOfWhatTheyHaveInCommon() {
        InMemoryCallStore store = new InMemoryCallStore();
        store.create(record("call-1"));
        store.create(record("call-2"));
        CallRecord first = store.find("call-1").orElseThrow();
        CallRecord second = store.find("call-2").orElseThrow();

        assertThat(second).isEqualTo(record("call-2"));
        assertThat(second.customerId()).isSameAs(first.customerId());
        assertThat(second.routeReasons()).isSameAs(first.routeReasons());
        assertThat(second.heldAmount()).isSameAs(first.heldAmount());
        assertThat(second.estimatedCost()).isSameAs(first.estimatedCost());
        assertThat(second.metadata()).isSameAs(first.metadata());
    }

    @Test
    void eventsShareEqualDetailsAndComeBackInAppendOrderWithoutDuplicates() {
        InMemoryCallStore store = new InMemoryCallStore();
        List<StoredEvent> appended = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StoredEvent e = new StoredEvent("call-1", "acme", "status", CallStatus.RINGING, T0.plusSeconds(i),
                    new LinkedHashMap<>(Map.of("simulated", "true", "attempt", Integer.toString(1))));
            assertThat(store.appendEvent(e)).isTrue();
            appended.add(e);
            assertThat(store.appendEvent(e)).as("a replay of event %s", i).isFalse();
        }
        StoredEvent other = new StoredEvent("call-2", "core", "routed", CallStatus.INITIATED, T0,
                Map.of("attempt", Integer.toString(1), "simulated", "true"));
        store.appendEvent(other);

        List<StoredEvent> events = store.events("call-1");
        assertThat(events).containsExactlyElementsOf(appended);
        assertThat(events.get(19).data()).isSameAs(events.get(0).data()).isSameAs(store.events("call-2").get(0).data());
    }
    @Test
    void aCallsSuccessiveEventsWithEqualDetailsShareOneMapHoweverManyOtherCallsLogMeanwhile() {
        InMemoryCallStore store = new InMemoryCallStore();
        for (CallStatus status : List.of(CallStatus.QUEUED, CallStatus.RINGING, CallStatus.ANSWERED)) {
            store.appendEvent(new StoredEvent("call-1", "acme", "status", status, T0,
                    Map.of("simulated", "true", StoredEvent.PROVIDER_CALL_ID, new String("A-1"))));
            for (int i = 0; i < 2_000; i++) {
                store.appendEvent(new StoredEvent("other-" + i, "acme", "status", status, T0,
                        Map.of(StoredEvent.PROVIDER_CALL_ID, "B-" + i)));
            }
        }

        List<StoredEvent> events = store.events("call-1");
        assertThat(events).extracting(StoredEvent::status)
                .containsExactly(CallStatus.QUEUED, CallStatus.RINGING, CallStatus.ANSWERED);
        assertThat(events.get(2).data()).isSameAs(events.get(1).data()).isSameAs(events.get(0).data())
                .isEqualTo(Map.of("simulated", "true", StoredEvent.PROVIDER_CALL_ID, "A-1"));
    }

    // ---- retention ----

    private static final Duration RETENTION = Duration.ofDays(90);

    private static CallRecord placed(String callId, String idempotencyKey, Instant at) {
        return CallRecord.initiated(callId, "customer-1", CallCategory.INTERNET_VOIP, null, "+14155550000", null,
                Priority.NORMAL, idempotencyKey, null, Money.inr("8"), Money.inr("1.6"), List.of("cheapest"), false, at,
                Map.of());
    }

    /** A call placed at the clock's time with Twilio, its provider call id "CA-" + callId, and one event. */
    private static void place(InMemoryCallStore store, MutableClock clock, String callId) {
        store.create(placed(callId, "key-" + callId, clock.instant()));
        store.update(CallUpdate.of(callId, clock.instant()).status(CallStatus.QUEUED).provider("twilio", "CA-" + callId));
        store.appendEvent(new StoredEvent(callId, "twilio", "status", CallStatus.QUEUED, clock.instant(), Map.of()));
    }

    private static void end(InMemoryCallStore store, String callId, Instant at) {
        store.update(CallUpdate.of(callId, at).status(CallStatus.COMPLETED).cost(Money.inr("1")));
    }

    @Test
    void forgetsAnEndedCallOlderThanTheRetentionWithEverythingThatPointsAtIt() {
        MutableClock clock = MutableClock.create();
        InMemoryCallStore store = new InMemoryCallStore(clock, RETENTION);
        place(store, clock, "ended");
        end(store, "ended", clock.instant().plusSeconds(60));
        place(store, clock, "still-ringing");
        store.update(CallUpdate.of("still-ringing", clock.instant()).status(CallStatus.RINGING));
        place(store, clock, "to-reconcile");
        store.update(CallUpdate.of("to-reconcile", clock.instant()).status(CallStatus.FAILED).needsReconciliation(true));

        clock.advance(RETENTION);
        place(store, clock, "recent");   // a call is created: expired calls are forgotten first
        assertThat(store.find("ended")).as("exactly the retention old: kept").isPresent();

        clock.advance(Duration.ofSeconds(1));
        place(store, clock, "newer");

        assertThat(store.find("ended")).isEmpty();
        assertThat(store.findByIdempotencyKey("customer-1", "key-ended")).isEmpty();
        assertThat(store.findByProviderCallId("twilio", "CA-ended")).isEmpty();
        assertThat(store.events("ended")).isEmpty();
        assertThat(store.recent(10)).extracting(CallRecord::callId)
                .containsExactly("newer", "recent", "to-reconcile", "still-ringing");
        assertThat(store.findByCustomer("customer-1", null, null, 10)).extracting(CallRecord::callId)
                .containsExactly("newer", "recent", "to-reconcile", "still-ringing");
        assertThat(store.findNeedingReconciliation(10)).extracting(CallRecord::callId).containsExactly("to-reconcile");
        assertThat(store.purgeExpired()).isZero();

        // a forgotten call's idempotency key is free again, as after the JDBI store's purge
        store.create(placed("again", "key-ended", clock.instant()));
        assertThatThrownBy(() -> store.create(placed("third", "key-ended", clock.instant())))
                .isInstanceOf(DuplicateCallException.class);

        // once reconciled, the other old call goes too; the one that never ended stays
        store.update(CallUpdate.of("to-reconcile", clock.instant()).needsReconciliation(false));
        assertThat(store.purgeExpired()).isEqualTo(1);
        assertThat(store.find("to-reconcile")).isEmpty();
        assertThat(store.find("still-ringing")).isPresent();
    }

    /** A late report of a forgotten call starts a log with no call: it is forgotten a retention later, not kept for ever. */
    @Test
    void anEventLoggedForACallNotKeptIsForgottenOnceOlderThanTheRetention() {
        MutableClock clock = MutableClock.create();
        InMemoryCallStore store = new InMemoryCallStore(clock, RETENTION);
        place(store, clock, "ended");
        end(store, "ended", clock.instant());
        clock.advance(RETENTION.plusSeconds(1));
        assertThat(store.purgeExpired()).isEqualTo(1);
        StoredEvent late = new StoredEvent("ended", "twilio", "recording", null, clock.instant(), Map.of("RecordingSid", "RE1"));
        store.appendEvent(late);
        place(store, clock, "kept");
        store.appendEvent(new StoredEvent("kept", "twilio", "status", CallStatus.RINGING, clock.instant(), Map.of()));

        clock.advance(RETENTION);
        store.purgeExpired();
        assertThat(store.events("ended")).as("exactly the retention old: kept").containsExactly(late);

        clock.advance(Duration.ofSeconds(1));
        store.purgeExpired();
        assertThat(store.events("ended")).isEmpty();
        assertThat(store.events("kept")).as("a call's own log goes with the call, which has not ended").hasSize(2);
    }

    @Test
    void aCallFlaggedAgainBeforeItExpiresIsKeptUntilItIsReconciled() {
        MutableClock clock = MutableClock.create();
        InMemoryCallStore store = new InMemoryCallStore(clock, RETENTION);
        place(store, clock, "call-1");
        end(store, "call-1", clock.instant());
        store.update(CallUpdate.of("call-1", clock.instant()).needsReconciliation(true));

        clock.advance(RETENTION.plusDays(1));
        assertThat(store.purgeExpired()).isZero();
        assertThat(store.find("call-1")).isPresent();

        store.update(CallUpdate.of("call-1", clock.instant()).needsReconciliation(false));
        assertThat(store.purgeExpired()).isEqualTo(1);
    }

    @Test
    void aCallThatFailedOverIsIndexedByItsCurrentProviderOnlyAndForgottenWhole() {
        MutableClock clock = MutableClock.create();
        InMemoryCallStore store = new InMemoryCallStore(clock, RETENTION);
        place(store, clock, "call-1");   // at twilio, CA-call-1
        store.update(CallUpdate.of("call-1", clock.instant()).provider("vonage", "V-1"));

        assertThat(store.findByProviderCallId("twilio", "CA-call-1")).isEmpty();
        assertThat(store.findByProviderCallId("vonage", "V-1")).isPresent();
        assertThat(store.indexedProviderCallIds()).isEqualTo(1);

        end(store, "call-1", clock.instant());
        clock.advance(RETENTION.plusSeconds(1));
        assertThat(store.purgeExpired()).isEqualTo(1);
        assertThat(store.indexedProviderCallIds()).isZero();
    }

    @Test
    void forgetsInboundMessagesOlderThanTheRetention() {
        MutableClock clock = MutableClock.create();
        InMemoryCallStore store = new InMemoryCallStore(clock, RETENTION);
        InboundMessage old = InboundMessage.builder("iridium", Endpoint.parse("imei:300234010753370"),
                InboundMessage.Kind.REPLY).receivedAt(clock.instant()).text("ok").providerMessageId("MOMSN-1").build();
        store.appendInbound(old);
        clock.advance(RETENTION.plusSeconds(1));
        InboundMessage recent = InboundMessage.builder("iridium", Endpoint.parse("imei:300234010753370"),
                InboundMessage.Kind.REPLY).receivedAt(clock.instant()).text("ok").providerMessageId("MOMSN-2").build();
        store.appendInbound(recent);

        store.purgeExpired();

        assertThat(store.findInbound(null, 10)).containsExactly(recent);
        assertThat(store.appendInbound(recent)).as("a redelivery of a kept message").isFalse();
    }

    private static Campaign campaign(String id, Campaign.Status status, Instant completedAt) {
        return new Campaign(id, "customer-1", "Renewals", CallCategory.AI_AUTOMATED, "Hi {name}", 2, 0, 0, 0,
                Money.inr("0"), status, null, T0, completedAt, T0, null, null, "key-" + id);
    }

    private static void addTargets(InMemoryCallStore store, String campaignId, CampaignTarget.State secondState) {
        CampaignTarget first = CampaignTarget.pending(campaignId, "t1", "+919800000001", Map.of("name", "Asha"), T0);
        CampaignTarget second = CampaignTarget.pending(campaignId, "t2", "+919800000002", Map.of("name", "Ravi"), T0);
        store.addTargets(List.of(first.with(CampaignTarget.State.DONE, 1, null, null, null, "call-1", "completed"),
                second.with(secondState, 1, null, "node-1", T0.plusSeconds(60), "call-2", null)));
    }

    @Test
    void forgetsCampaignsThatFinishedBeforeTheRetentionUnlessAnAttemptIsUnderWay() {
        MutableClock clock = MutableClock.create();
        InMemoryCallStore store = new InMemoryCallStore(clock, RETENTION);
        Instant finished = clock.instant();
        store.createCampaign(campaign("done", Campaign.Status.COMPLETED, finished));
        addTargets(store, "done", CampaignTarget.State.FAILED);
        store.createCampaign(campaign("cancelled-calling", Campaign.Status.CANCELED, finished));
        addTargets(store, "cancelled-calling", CampaignTarget.State.CLAIMED);
        store.createCampaign(campaign("running", Campaign.Status.IN_PROGRESS, null));
        addTargets(store, "running", CampaignTarget.State.PENDING);
        clock.advance(RETENTION.plusSeconds(1));
        store.createCampaign(campaign("recent", Campaign.Status.COMPLETED, clock.instant()));

        store.purgeExpired();

        assertThat(store.findCampaign("done")).isEmpty();
        assertThat(store.targets("done")).isEmpty();
        assertThat(store.findCampaignsByCustomer("customer-1", 10)).extracting(Campaign::campaignId)
                .containsExactlyInAnyOrder("cancelled-calling", "running", "recent");
        assertThat(store.targets("cancelled-calling")).hasSize(2);
        // a forgotten campaign's idempotency key is free again; a kept one's is not
        store.createCampaign(campaign("done", Campaign.Status.SCHEDULED, null));
        assertThatThrownBy(() -> store.createCampaign(campaign("cancelled-calling", Campaign.Status.SCHEDULED, null)))
                .isInstanceOf(DuplicateCampaignException.class);

        // once its last attempt is counted, the cancelled campaign goes with the next purge
        CampaignTarget underWay = store.findTarget("cancelled-calling", "t2").orElseThrow();
        assertThat(store.finishTarget(underWay.with(CampaignTarget.State.DONE, 1, null, null, null, "call-2",
                "completed"), 1, true, true, Money.inr("1"))).isTrue();
        store.purgeExpired();
        assertThat(store.findCampaign("cancelled-calling")).isEmpty();
        assertThat(store.targets("cancelled-calling")).isEmpty();
    }

    @Test
    void refusesARetentionThatIsNotPositive() {
        assertThatThrownBy(() -> new InMemoryCallStore(MutableClock.create(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("retention PT0S must be positive");
    }
}
