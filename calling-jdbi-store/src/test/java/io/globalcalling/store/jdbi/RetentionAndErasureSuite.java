package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.GeoPoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Secret;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.campaign.CallingWindows;
import io.globalcalling.core.campaign.CampaignPolicy;
import io.globalcalling.core.campaign.NewCampaign;
import io.globalcalling.core.campaign.Target;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.testkit.MutableClock;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retention purges and GDPR erasure, run on H2 and PostgreSQL by the subclasses. */
abstract class RetentionAndErasureSuite {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final String NUMBER = "+919876543210";
    static final Endpoint TERMINAL = Endpoint.parse("imei:300234010753370");

    /** Settings every subclass opens its database with: purges in chunks of 2, a fixed clock. */
    static StoreSettings settings() {
        return StoreSettings.builder()
                .retention(Duration.ofDays(90))
                .chunkSize(2)
                .erasureKey(Secret.of("erasure-key-for-tests"))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    abstract JdbiCallingDatabase database();

    JdbiCallStore store() {
        return database().callStore();
    }

    @AfterEach
    void empty() {
        Tables.clear(database().jdbi());
    }

    static CallRecord call(String id, String from, String to, Instant startedAt) {
        return CallRecord.initiated(id, "cust-1", CallCategory.AI_AUTOMATED, from, to, null, Priority.NORMAL, null,
                null, Money.inr("2"), Money.inr("0.40"), List.of("bulk notification"), false, startedAt,
                Map.of("name", "Asha"));
    }

    private void event(String callId, Instant at) {
        store().appendEvent(new StoredEvent(callId, "twilio", "status", CallStatus.RINGING, at,
                Map.of("To", NUMBER, "CallSid", "CA-" + callId)));
    }

    @Test
    void purgesCallsAndEventsOlderThanTheRetentionInChunks() {
        Instant old = NOW.minus(Duration.ofDays(100));
        Instant recent = NOW.minus(Duration.ofDays(10));
        for (int i = 0; i < 5; i++) {
            store().create(call("old-" + i, null, "+91980000000" + i, old.plusSeconds(i)));
            store().update(CallUpdate.of("old-" + i, old.plusSeconds(i + 60)).status(CallStatus.COMPLETED)
                    .cost(Money.inr("1")));
            event("old-" + i, old.plusSeconds(i));
            event("old-" + i, old.plusSeconds(i + 30));
        }
        store().create(call("new-1", null, "+919800000011", recent));
        store().create(call("new-2", null, "+919800000012", recent));
        event("new-1", recent);
        event("new-2", old); // an event older than the retention, of a call that is kept: it stays with its call
        event("gone", old); // a late report of a call no longer kept

        PurgeResult purged = store().purgeExpired();

        assertThat(purged).isEqualTo(new PurgeResult(5, 11, 0, 0, 0));
        assertThat(store().recent(10)).extracting(CallRecord::callId).containsExactlyInAnyOrder("new-1", "new-2");
        assertThat(store().events("new-1")).hasSize(1);
        assertThat(store().events("new-2")).hasSize(1);
        assertThat(store().events("gone")).isEmpty();
        assertThat(store().events("old-0")).isEmpty();
        assertThat(store().purgeExpired()).isEqualTo(new PurgeResult(0, 0, 0, 0, 0));
    }

    @Test
    void keepsOldCallsThatCanStillChangeWhatIsBilled() {
        Instant old = NOW.minus(Duration.ofDays(100));
        store().create(call("never-ended", null, "+919800000001", old));
        store().update(CallUpdate.of("never-ended", old).status(CallStatus.RINGING));
        store().create(call("to-reconcile", null, "+919800000002", old.plusSeconds(1)));
        store().update(CallUpdate.of("to-reconcile", old).status(CallStatus.FAILED).needsReconciliation(true));
        store().create(call("ended", null, "+919800000003", old.plusSeconds(2)));
        store().update(CallUpdate.of("ended", old).status(CallStatus.NO_ANSWER));

        assertThat(store().purgeExpired()).isEqualTo(new PurgeResult(1, 0, 0, 0, 0));
        assertThat(store().recent(10)).extracting(CallRecord::callId)
                .containsExactlyInAnyOrder("never-ended", "to-reconcile");

        // once reconciled, it goes with the next purge
        store().update(CallUpdate.of("to-reconcile", NOW).needsReconciliation(false));
        assertThat(store().purgeExpired()).isEqualTo(new PurgeResult(1, 0, 0, 0, 0));
        assertThat(store().recent(10)).extracting(CallRecord::callId).containsExactly("never-ended");
    }

    @Test
    void keepsTheEventsOfTheOldCallsItKeeps() {
        // Settlement prices a call by its routed event, and reconciliation tells a provider's end by its event:
        // a call kept because it can still change what is billed keeps its log as well.
        Instant old = NOW.minus(Duration.ofDays(100));
        store().create(call("never-ended", null, "+919800000001", old));
        event("never-ended", old);
        store().create(call("to-reconcile", null, "+919800000002", old.plusSeconds(1)));
        event("to-reconcile", old.plusSeconds(1));
        store().update(CallUpdate.of("to-reconcile", old).status(CallStatus.FAILED).needsReconciliation(true));

        assertThat(store().purgeExpired()).isEqualTo(new PurgeResult(0, 0, 0, 0, 0));
        assertThat(store().events("never-ended")).hasSize(1);
        assertThat(store().events("to-reconcile")).hasSize(1);
    }

    private static Campaign campaign(String id, Campaign.Status status, Instant completedAt) {
        Instant created = NOW.minus(Duration.ofDays(200));
        return new Campaign(id, "cust-1", "Renewals", CallCategory.AI_AUTOMATED, "Hi {name}", 3, 0, 0, 0,
                Money.inr("0"), status, null, created, completedAt, created, null, null, "key-" + id);
    }

    /** Three targets: two finished, the third in {@code lastState} (claimed: its attempt is under way). */
    private void campaignWithTargets(String id, Campaign.Status status, Instant completedAt,
                                     CampaignTarget.State lastState) {
        store().createCampaign(campaign(id, status, completedAt));
        List<CampaignTarget> targets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CampaignTarget t = CampaignTarget.pending(id, "t" + i, "+91980000010" + i, Map.of("name", "Asha"), NOW);
            targets.add(i < 2 ? t.with(CampaignTarget.State.DONE, 1, null, null, null, id + "-call-" + i, "completed")
                    : t.with(lastState, 1, null, "node-1", NOW, id + "-call-" + i, null));
        }
        store().addTargets(targets);
    }

    /** A campaign's targets are numbers and names: they age out with the calls, once nothing is left to count. */
    @Test
    void purgesCampaignsThatFinishedBeforeTheRetentionWithTheirTargetsInChunks() {
        Instant old = NOW.minus(Duration.ofDays(100));
        campaignWithTargets("done", Campaign.Status.COMPLETED, old, CampaignTarget.State.FAILED);
        campaignWithTargets("cancelled-calling", Campaign.Status.CANCELED, old, CampaignTarget.State.CLAIMED);
        campaignWithTargets("cancelled", Campaign.Status.CANCELED, old.plusSeconds(1), CampaignTarget.State.SKIPPED);
        campaignWithTargets("running", Campaign.Status.IN_PROGRESS, null, CampaignTarget.State.PENDING);
        campaignWithTargets("recent", Campaign.Status.COMPLETED, NOW.minus(Duration.ofDays(10)),
                CampaignTarget.State.DONE);

        assertThat(store().purgeExpired()).isEqualTo(new PurgeResult(0, 0, 0, 2, 6));

        assertThat(store().findCampaign("done")).isEmpty();
        assertThat(store().targets("done")).isEmpty();
        assertThat(store().findCampaign("cancelled")).isEmpty();
        assertThat(store().findCampaignsByCustomer("cust-1", 10)).extracting(Campaign::campaignId)
                .containsExactlyInAnyOrder("cancelled-calling", "running", "recent");
        assertThat(store().targets("cancelled-calling")).hasSize(3);
        // a purged campaign's idempotency key is free again
        store().createCampaign(campaign("done", Campaign.Status.SCHEDULED, null));

        // once its last attempt is counted, the cancelled campaign goes with the next purge
        CampaignTarget underWay = store().findTarget("cancelled-calling", "t2").orElseThrow();
        assertThat(store().finishTarget(underWay.with(CampaignTarget.State.DONE, 1, null, null, null,
                underWay.lastCallId(), "completed"), 1, true, true, Money.inr("1"))).isTrue();
        assertThat(store().purgeExpired()).isEqualTo(new PurgeResult(0, 0, 0, 1, 3));
        assertThat(store().findCampaign("cancelled-calling")).isEmpty();
        assertThat(store().purgeExpired()).isEqualTo(new PurgeResult(0, 0, 0, 0, 0));
    }

    @Test
    void erasesANumberButKeepsWhatBillingNeeds() {
        store().create(call("to-1", "+14155550100", NUMBER, NOW.minusSeconds(300)));
        store().create(call("to-2", "+14155550100", NUMBER, NOW.minusSeconds(200)));
        store().create(call("from-1", NUMBER, "+14155550100", NOW.minusSeconds(100)));
        store().create(call("other", "+14155550100", "+919800000001", NOW.minusSeconds(50)));
        store().update(CallUpdate.of("to-1", NOW).status(CallStatus.COMPLETED).cost(Money.inr("3.5")).durationSeconds(70)
                .recordingUrl("https://rec.example/1.mp3").transcript("my account number is 1234").aiSentiment("negative"));
        settle("to-2");
        settle("from-1");
        List<String> eventsOf = List.of("to-1", "to-1", "from-1", "other");
        for (int i = 0; i < eventsOf.size(); i++) event(eventsOf.get(i), NOW.plusSeconds(i));   // two reports for to-1
        store().createCampaign(new Campaign("camp-1", "cust-1", "Renewals", CallCategory.AI_AUTOMATED, "Hi {name}", 2,
                0, 0, 0, Money.inr("0"), Campaign.Status.IN_PROGRESS, null, NOW, null, NOW));
        store().addTargets(List.of(CampaignTarget.pending("camp-1", "t1", NUMBER, Map.of("name", "Asha"), NOW),
                CampaignTarget.pending("camp-1", "t2", "+919800000001", Map.of("name", "Ravi"), NOW)));

        ErasureResult erased = store().erase(NUMBER);

        assertThat(erased).isEqualTo(new ErasureResult(3, 3, 1, 0, 0, 0));
        assertThat(store().findByNumber(NUMBER, 10)).isEmpty();
        CallRecord anonymised = store().find("to-1").orElseThrow();
        assertThat(anonymised.toNumber()).matches("erased:[0-9a-f]{64}");
        assertThat(anonymised.fromNumber()).isEqualTo("+14155550100");
        assertThat(anonymised.recordingUrl()).isNull();
        assertThat(anonymised.transcript()).isNull();
        assertThat(anonymised.aiSentiment()).isNull();
        assertThat(anonymised.metadata()).isEmpty();
        assertThat(anonymised.cost()).isEqualTo(Money.inr("3.5"));
        assertThat(anonymised.durationSeconds()).isEqualTo(70);
        assertThat(anonymised.category()).isEqualTo(CallCategory.AI_AUTOMATED);
        assertThat(anonymised.startedAt()).isEqualTo(NOW.minusSeconds(300));
        assertThat(store().find("from-1").orElseThrow().fromNumber()).isEqualTo(anonymised.toNumber());
        assertThat(store().events("to-1")).hasSize(2).allSatisfy(e -> {
            assertThat(e.data()).isEmpty();
            assertThat(e.status()).isEqualTo(CallStatus.RINGING);
        });
        assertThat(store().find("other").orElseThrow().metadata()).containsEntry("name", "Asha");
        assertThat(store().events("other")).singleElement().satisfies(e -> assertThat(e.data()).isNotEmpty());
        assertThat(store().targets("camp-1")).filteredOn(t -> t.targetId().equals("t1")).singleElement()
                .satisfies(t -> {
                    assertThat(t.toNumber()).isEqualTo(anonymised.toNumber());
                    assertThat(t.variables()).isEmpty();
                });
        List<String> audit = database().jdbi().withHandle(h -> h.createQuery("SELECT number_hash FROM calling_erasure")
                .mapTo(String.class).list());
        assertThat(audit).containsExactly(anonymised.toNumber());
        assertThat(store().erase(NUMBER)).isEqualTo(new ErasureResult(0, 0, 0, 0, 0, 0));
    }

    /**
     * The campaign runner names a target by its number and keys each attempt's call by the number's digits
     * ({@code campaign:<id>:<digits>:<attempt>}); erasure replaced the number in to_number and left it in both.
     */
    @Test
    void erasureLeavesTheNumberInNoCampaignKey() {
        String digits = NUMBER.substring(1);
        store().create(CallRecord.initiated("camp-call", "cust-1", CallCategory.AI_AUTOMATED, "+14155550100", NUMBER,
                null, Priority.NORMAL, "campaign:camp-1:" + digits + ":1", "camp-1", Money.inr("2"), Money.inr("0.40"),
                List.of("bulk notification"), false, NOW.minusSeconds(300), Map.of()));
        store().create(CallRecord.initiated("host-call", "cust-1", CallCategory.AI_AUTOMATED, "+14155550100", NUMBER,
                null, Priority.NORMAL, "order-77", null, Money.inr("2"), Money.inr("0.40"), List.of("bulk notification"),
                false, NOW.minusSeconds(200), Map.of()));
        settle("camp-call");
        settle("host-call");
        store().createCampaign(new Campaign("camp-1", "cust-1", "Renewals", CallCategory.AI_AUTOMATED, "Hi {name}", 1,
                0, 0, 0, Money.inr("0"), Campaign.Status.COMPLETED, null, NOW, NOW, NOW));
        store().addTargets(List.of(CampaignTarget.pending("camp-1", NUMBER, NUMBER, Map.of("name", "Asha"), NOW)));

        store().erase(NUMBER);

        assertThat(store().find("camp-call").orElseThrow().idempotencyKey()).doesNotContain(digits)
                .isNotEqualTo(store().find("host-call").orElseThrow().idempotencyKey());
        assertThat(store().find("host-call").orElseThrow().idempotencyKey()).isEqualTo("order-77");
        assertThat(store().findTarget("camp-1", NUMBER)).isEmpty();
        assertThat(store().targets("camp-1")).singleElement()
                .satisfies(t -> assertThat(t.targetId()).isEqualTo(t.toNumber()).startsWith("erased:"));
    }

    /** The call ends and is settled (at no cost): it can no longer change what is billed. */
    private void settle(String callId) {
        store().update(CallUpdate.of(callId, NOW).status(CallStatus.COMPLETED).cost(Money.inr("0")));
    }

    private InboundMessage.Builder message(Endpoint from, InboundMessage.Kind kind, Instant at) {
        return InboundMessage.builder("sbd", from, kind).receivedAt(at);
    }

    /** Issue 11: terminals' messages hold positions and words; they age out with the calls. */
    @Test
    void purgesInboundMessagesOlderThanTheRetentionInChunks() {
        Instant old = NOW.minus(Duration.ofDays(100));
        Instant recent = NOW.minus(Duration.ofDays(10));
        for (int i = 0; i < 3; i++) {
            store().appendInbound(message(TERMINAL, InboundMessage.Kind.POSITION, old.plusSeconds(i))
                    .position(GeoPoint.of(-62.1, -58.9), 4000).build());
        }
        store().appendInbound(message(TERMINAL, InboundMessage.Kind.REPLY, old).text("at the hut").callId("old-call").build());
        store().appendInbound(message(TERMINAL, InboundMessage.Kind.REPLY, recent).text("all well").build());

        assertThat(store().purgeExpired()).isEqualTo(new PurgeResult(0, 0, 4, 0, 0));

        assertThat(store().findInbound(null, 10)).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("all well"));
        assertThat(store().findInboundForCall("old-call")).isEmpty();
        assertThat(store().purgeExpired()).isEqualTo(new PurgeResult(0, 0, 0, 0, 0));
    }

    /** Issue 11: an erased number's messages (and those of its calls) go: a position or a reply is all personal. */
    @Test
    void erasureRemovesTheInboundMessagesOfTheNumberAndOfItsCalls() {
        store().create(call("to-1", "+14155550100", NUMBER, NOW.minusSeconds(300)));
        settle("to-1");
        Endpoint number = Endpoint.parse(NUMBER);
        store().appendInbound(message(number, InboundMessage.Kind.REPLY, NOW.minusSeconds(60)).text("call me back").build());
        store().appendInbound(message(number, InboundMessage.Kind.POSITION, NOW.minusSeconds(50))
                .position(GeoPoint.of(28.6, 77.2), 10).build());
        store().appendInbound(message(TERMINAL, InboundMessage.Kind.DELIVERY_CONFIRMATION, NOW.minusSeconds(40))
                .callId("to-1").build());
        store().appendInbound(message(Endpoint.parse("+919800000001"), InboundMessage.Kind.REPLY, NOW.minusSeconds(30))
                .text("someone else").build());

        assertThat(store().erase(NUMBER)).isEqualTo(new ErasureResult(1, 0, 0, 3, 0, 0));

        assertThat(store().findInbound(NUMBER, 10)).isEmpty();
        assertThat(store().findInboundForCall("to-1")).isEmpty();
        assertThat(store().findInbound(null, 10)).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("someone else"));
        List<Integer> audited = database().jdbi().withHandle(h -> h.createQuery(
                "SELECT inbound_messages FROM calling_erasure").mapTo(Integer.class).list());
        assertThat(audited).containsExactly(3);
    }

    /**
     * A terminal's reply, position or confirmation matched to a call whose number was erased is personal as the
     * erased ones were (who sent it, its words, where they were): it is not kept, as the erasure did not keep its
     * call's messages, and it is not new to the caller (no listener is told of it). Another call's message is kept.
     */
    @Test
    void aMessageForACallWhoseNumberWasErasedIsNotKept() {
        placed("to-1", NUMBER, "sbd", "MT-1");
        settle("to-1");
        placed("other", "+919800000001", "sbd", "MT-9");
        settle("other");
        store().erase(NUMBER);

        Endpoint number = Endpoint.parse(NUMBER);
        boolean reply = store().appendInbound(message(number, InboundMessage.Kind.REPLY, NOW.plusSeconds(60))
                .text("call me at home").position(GeoPoint.of(28.6, 77.2), 10).callId("to-1").providerCallId("MT-1")
                .providerMessageId("MO-1").build());
        boolean confirmation = store().appendInbound(message(TERMINAL, InboundMessage.Kind.DELIVERY_CONFIRMATION,
                NOW.plusSeconds(61)).callId("to-1").providerMessageId("MO-2").build());
        boolean others = store().appendInbound(message(Endpoint.parse("+919800000001"), InboundMessage.Kind.REPLY,
                NOW.plusSeconds(62)).text("all well").callId("other").providerMessageId("MO-3").build());

        assertThat(reply).isFalse();
        assertThat(confirmation).isFalse();
        assertThat(others).isTrue();
        assertThat(store().findInboundForCall("to-1")).isEmpty();
        assertThat(store().findInbound(NUMBER, 10)).isEmpty();
        assertThat(store().findInbound(null, 10)).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("all well"));
    }

    /**
     * A message from an erased number that matches no call (a reply sent of the person's own accord, a position) was
     * stored with the number, so the number and what they said were back after the erasure that removed them. Like
     * one matched to an erased call, it is not kept and not new. A later call to the number is the host's own new
     * record, so a message matched to it is kept, as is another number's unmatched message.
     */
    @Test
    void anUnmatchedMessageFromAnErasedNumberIsNotKept() {
        placed("to-1", NUMBER, "sbd", "MT-1");
        settle("to-1");
        store().erase(NUMBER);
        Endpoint number = Endpoint.parse(NUMBER);

        boolean reply = store().appendInbound(message(number, InboundMessage.Kind.REPLY, NOW.plusSeconds(60))
                .text("call me at home").providerMessageId("MO-1").build());
        boolean position = store().appendInbound(message(number, InboundMessage.Kind.POSITION, NOW.plusSeconds(61))
                .position(GeoPoint.of(28.6, 77.2), 10).build());
        boolean someoneElse = store().appendInbound(message(Endpoint.parse("+919800000001"), InboundMessage.Kind.REPLY,
                NOW.plusSeconds(62)).text("all well").providerMessageId("MO-3").build());
        placed("again", NUMBER, "sbd", "MT-2");
        boolean toTheNewCall = store().appendInbound(message(number, InboundMessage.Kind.REPLY, NOW.plusSeconds(63))
                .text("yes").callId("again").providerCallId("MT-2").providerMessageId("MO-4").build());

        assertThat(reply).isFalse();
        assertThat(position).isFalse();
        assertThat(someoneElse).isTrue();
        assertThat(toTheNewCall).isTrue();
        assertThat(store().findInbound(NUMBER, 10)).singleElement()
                .satisfies(m -> assertThat(m.callId()).contains("again"));
        assertThat(store().findInbound(null, 10)).extracting(m -> m.text().orElse(null))
                .containsExactlyInAnyOrder("all well", "yes");
    }

    /**
     * A message naming a call that is not on record (one retention forgot, or a provider's mistake) matches no call:
     * from an erased number it is not kept, from another number it is.
     */
    @Test
    void aMessageNamingACallNotOnRecordIsKeptUnlessItsNumberWasErased() {
        placed("to-1", NUMBER, "sbd", "MT-1");
        settle("to-1");
        store().erase(NUMBER);

        boolean fromTheErased = store().appendInbound(message(Endpoint.parse(NUMBER), InboundMessage.Kind.REPLY,
                NOW.plusSeconds(60)).text("call me at home").callId("forgotten").providerMessageId("MO-1").build());
        boolean fromAnother = store().appendInbound(message(Endpoint.parse("+919800000001"), InboundMessage.Kind.REPLY,
                NOW.plusSeconds(61)).text("all well").callId("forgotten").providerMessageId("MO-2").build());

        assertThat(fromTheErased).isFalse();
        assertThat(fromAnother).isTrue();
        assertThat(store().findInboundForCall("forgotten")).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("all well"));
    }

    /** A call placed since without a caller's number is not erased: a message from the erased number matched to it is its. */
    @Test
    void aMessageFromAnErasedNumberMatchedToALaterCallWithoutACallerIsKept() {
        placed("to-1", NUMBER, "sbd", "MT-1");
        settle("to-1");
        store().erase(NUMBER);
        store().create(call("again", null, NUMBER, NOW.minusSeconds(10)));

        boolean kept = store().appendInbound(message(Endpoint.parse(NUMBER), InboundMessage.Kind.REPLY,
                NOW.plusSeconds(60)).text("yes").callId("again").providerMessageId("MO-1").build());

        assertThat(kept).isTrue();
        assertThat(store().findInboundForCall("again")).hasSize(1);
    }

    /**
     * A provider's report stored while an erasure of the call's number runs, after the erasure changed the call's row
     * and scrubbed its events but before it committed, kept its details (the number among them) once the erasure
     * returned: its insert read the call as not yet erased and committed first. It now waits for the erasure.
     */
    @Test
    void anEventStoredWhileTheErasureRunsKeepsNoDetails() throws Exception {
        placed("to-1", NUMBER, "twilio", "CA1");
        event("to-1", NOW.minusSeconds(30));
        settle("to-1");

        boolean added = whileErasing("to-1", () -> store().appendEvent(new StoredEvent("to-1", "twilio", "recording",
                null, NOW.plusSeconds(5), Map.of("RecordingUrl", "https://rec.example/1.mp3", "To", NUMBER))));

        assertThat(added).isTrue();
        assertThat(store().events("to-1")).hasSize(2).allSatisfy(e -> assertThat(e.data()).isEmpty());
    }

    /** The same for a terminal's message matched to the call: it is not kept, as one arriving after the erasure. */
    @Test
    void aMessageForTheCallStoredWhileTheErasureRunsIsNotKept() throws Exception {
        placed("to-1", NUMBER, "sbd", "MT-1");
        event("to-1", NOW.minusSeconds(30));
        settle("to-1");

        boolean kept = whileErasing("to-1", () -> store().appendInbound(message(TERMINAL, InboundMessage.Kind.REPLY,
                NOW.plusSeconds(5)).text("call me at home").position(GeoPoint.of(28.6, 77.2), 10).callId("to-1")
                .providerCallId("MT-1").providerMessageId("MO-1").build()));

        assertThat(kept).isFalse();
        assertThat(store().findInboundForCall("to-1")).isEmpty();
    }

    /**
     * A message from the number that matches no call, which read the number as not erased and was stored while the
     * erasure ran (its insert waits here for another message's, until the erasure has returned), survived it: the
     * erasure recorded the number after its delete, which could not see the message. The number is now recorded as
     * erased before its messages are deleted, and such a message, once committed, reads the record again.
     */
    @Test
    void anUnmatchedMessageFromTheNumberStoredWhileTheErasureRunsIsNotKept() throws Exception {
        placed("to-1", NUMBER, "sbd", "MT-1");
        settle("to-1");

        boolean kept = whileStoringAMessage("MO-1", () -> store().erase(NUMBER), () -> store().appendInbound(
                message(Endpoint.parse(NUMBER), InboundMessage.Kind.REPLY, NOW.plusSeconds(5)).text("call me at home")
                        .providerMessageId("MO-1").build()));

        assertThat(kept).isFalse();
        assertThat(store().findInbound(NUMBER, 10)).isEmpty();
    }

    /**
     * A message matched to the call, which locked the call's row before the erasure changed it, was stored: the
     * erasure deleted the call's messages before it waited for the row, so the message committed after the delete.
     */
    @Test
    void aMessageForTheCallThatLockedItsRowBeforeTheErasureIsErasedWithIt() throws Exception {
        placed("to-1", NUMBER, "sbd", "MT-1");
        settle("to-1");

        whileStoringAMessage("MO-1", () -> store().erase(NUMBER), () -> store().appendInbound(message(TERMINAL,
                InboundMessage.Kind.REPLY, NOW.plusSeconds(5)).text("call me at home").position(GeoPoint.of(28.6, 77.2), 10)
                .callId("to-1").providerCallId("MT-1").providerMessageId("MO-1").build()));

        assertThat(store().findInboundForCall("to-1")).isEmpty();
        assertThat(store().findInbound(null, 10)).isEmpty();
    }

    /**
     * Runs {@code erasure} while {@code store} stores a message with the provider's message id {@code messageId}: this
     * test holds an uncommitted message with that id (from another terminal), so the store's insert waits for it after
     * it has read what decides whether the message is kept. The erasure runs until it returns or waits in its turn;
     * then this test rolls its message back, and both finish.
     *
     * @return what {@code store} returned
     */
    private <T> T whileStoringAMessage(String messageId, Callable<?> erasure, Callable<T> store) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Handle blocker = database().jdbi().open()) {
            blocker.begin();
            blocker.createUpdate("INSERT INTO calling_inbound_message (provider_id, from_endpoint, received_at, kind,"
                            + " payload, provider_message_id, details) VALUES ('sbd', :from, :at, 'reply', :payload, :id, "
                            + io.globalcalling.store.jdbi.internal.Dialect.valueOf(database().databaseKind()).json("details")
                            + ")")
                    .bind("from", "imei:300234010753999").bind("at", java.time.OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC))
                    .bind("payload", new byte[0]).bind("id", messageId).bind("details", "{}").execute();
            Future<T> stored = threads.submit(store);
            await("the message waits for the other", () -> waiting() == 1);
            Future<?> erased = threads.submit(erasure);
            await("the erasure returned or waits", () -> erased.isDone() || waiting() == 2);
            blocker.rollback();
            erased.get(30, TimeUnit.SECONDS);
            return stored.get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
    }

    /** An update's transcript and recording, written while the erasure runs, are not kept either. */
    @Test
    void anUpdateStoredWhileTheErasureRunsKeepsNothingPersonal() throws Exception {
        placed("to-1", NUMBER, "twilio", "CA1");
        event("to-1", NOW.minusSeconds(30));
        settle("to-1");

        whileErasing("to-1", () -> store().update(CallUpdate.of("to-1", NOW.plusSeconds(5))
                .recordingUrl("https://rec.example/1.mp3").transcript("my number is " + NUMBER)));

        CallRecord erased = store().find("to-1").orElseThrow();
        assertThat(erased.toNumber()).startsWith("erased:");
        assertThat(erased.recordingUrl()).isNull();
        assertThat(erased.transcript()).isNull();
    }

    /**
     * Runs {@code write} while an erasure of {@link #NUMBER} is inside its transaction, with the call's row changed
     * and not committed: this test holds a lock on the call's events, which the erasure waits for, until
     * {@code write} has returned or waits in its turn. Then the erasure goes on, and both finish.
     */
    private <T> T whileErasing(String callId, Callable<T> write) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Handle blocker = database().jdbi().open()) {
            blocker.begin();
            blocker.createQuery("SELECT id FROM calling_call_event WHERE call_id = :id FOR UPDATE").bind("id", callId)
                    .mapTo(Long.class).list();
            Future<ErasureResult> erasure = threads.submit(() -> store().erase(NUMBER));
            await("the erasure waits for the locked events", () -> waitingForLocks() == 1);
            Future<T> written = threads.submit(write);
            await("the write returned or waits", () -> written.isDone() || waitingForLocks() == 2);
            blocker.rollback();
            assertThat(erasure.get(30, TimeUnit.SECONDS).calls()).isEqualTo(1);
            return written.get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
    }

    /** How many of the database's sessions wait for a lock another one holds. */
    private int waitingForLocks() {
        String sql = database().databaseKind().equals("H2")
                ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL"
                : "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()";
        return database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    /**
     * {@link #waitingForLocks()}, and on H2 a session storing an inbound message too: H2 names no blocker for an
     * insert that waits for another transaction's row with the same unique key.
     */
    private int waiting() {
        if (!database().databaseKind().equals("H2")) return waitingForLocks();
        return database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS"
                + " WHERE BLOCKER_ID IS NOT NULL OR EXECUTING_STATEMENT LIKE 'INSERT INTO calling_inbound_message%'")
                .mapTo(Integer.class).one());
    }

    /** Waits until {@code done} holds, for 30 s at most. */
    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /**
     * An event's dedup key was a plain SHA-256 of everything the event reported, kept after the erasure emptied its
     * details: whoever read the table could test a guess at them (the number, a transcript's words) by hashing it.
     * An erased call's keys are keyed by the erasure key instead, and a replay is still stored once, whether it was
     * first stored before the erasure or after.
     */
    @Test
    void anErasedCallsEventsKeepNoPlainHashOfWhatTheyReported() {
        placed("to-1", NUMBER, "twilio", "CA1");
        StoredEvent transcript = new StoredEvent("to-1", "twilio", "transcript", null, NOW.minusSeconds(10),
                Map.of(StoredEvent.PROVIDER_CALL_ID, "CA1", "transcript", "my card is 4111", "To", NUMBER));
        assertThat(store().appendEvent(transcript)).isTrue();
        settle("to-1");
        store().erase(NUMBER);

        assertThat(dedupKeys("to-1")).hasSize(1).doesNotContain(transcript.dedupKey());
        assertThat(store().appendEvent(transcript)).as("a replay of a report stored before the erasure").isFalse();

        StoredEvent late = new StoredEvent("to-1", "twilio", "status", CallStatus.COMPLETED, NOW.plusSeconds(5),
                Map.of(StoredEvent.PROVIDER_CALL_ID, "CA1", "To", NUMBER));
        assertThat(store().appendEvent(late)).isTrue();
        assertThat(store().appendEvent(late)).as("a replay of a report stored after the erasure").isFalse();
        assertThat(dedupKeys("to-1")).hasSize(2).doesNotContain(transcript.dedupKey(), late.dedupKey());
        assertThat(store().events("to-1")).hasSize(2);
    }

    private List<String> dedupKeys(String callId) {
        return database().jdbi().withHandle(h -> h.createQuery("SELECT dedup_key FROM calling_call_event"
                + " WHERE call_id = :id").bind("id", callId).mapTo(String.class).list());
    }

    /** A provider's late reports (a recording, a transcript, a repeated end) must not bring the number's data back. */
    @Test
    void whatArrivesForACallAfterItsNumberWasErasedKeepsOnlyWhatBillingNeeds() {
        placed("to-1", NUMBER, "twilio", "CA1");
        store().update(CallUpdate.of("to-1", NOW).status(CallStatus.COMPLETED).cost(Money.inr("3.5")).durationSeconds(70));
        placed("other", "+919800000001", "twilio", "CA9");
        settle("other");
        store().erase(NUMBER);

        store().update(CallUpdate.of("to-1", NOW.plusSeconds(60)).recordingUrl("https://rec.example/1.mp3")
                .transcript("my card is 4111").aiSentiment("negative").error("PROVIDER_ERROR", "the callee " + NUMBER
                        + " hung up"));
        store().update(CallUpdate.of("other", NOW.plusSeconds(60)).recordingUrl("https://rec.example/9.mp3"));
        store().appendEvent(new StoredEvent("to-1", "twilio", "recording", null, NOW.plusSeconds(61),
                Map.of("RecordingUrl", "https://rec.example/1.mp3", "To", NUMBER)));
        store().appendEvent(new StoredEvent("other", "twilio", "recording", null, NOW.plusSeconds(61),
                Map.of("RecordingUrl", "https://rec.example/9.mp3")));

        CallRecord late = store().find("to-1").orElseThrow();
        assertThat(late.toNumber()).startsWith("erased:");
        assertThat(late.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(late.cost()).isEqualTo(Money.inr("3.5"));
        assertThat(late.durationSeconds()).isEqualTo(70);
        assertThat(late.errorReason()).isEqualTo("PROVIDER_ERROR");
        assertThat(late.recordingUrl()).isNull();
        assertThat(late.transcript()).isNull();
        assertThat(late.aiSentiment()).isNull();
        assertThat(late.errorMessage()).isNull();
        assertThat(store().events("to-1")).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("recording");
            assertThat(e.data()).isEmpty();
        });
        assertThat(store().find("other").orElseThrow().recordingUrl()).isEqualTo("https://rec.example/9.mp3");
        assertThat(store().events("other")).singleElement().satisfies(e -> assertThat(e.data()).isNotEmpty());
    }

    /**
     * A call still under way keeps the number its settlement prices by: it is erased, and queued at its provider,
     * once it has ended and been settled; one flagged for reconciliation waits too.
     */
    @Test
    void aCallStillUnderWayIsErasedOnceItCanNoLongerChangeWhatIsBilled() {
        placed("done", NUMBER, "twilio", "CA1");
        settle("done");
        placed("going", NUMBER, "twilio", "CA2");
        placed("unknown", NUMBER, "twilio", "CA3");
        store().update(CallUpdate.of("unknown", NOW).status(CallStatus.FAILED).cost(Money.inr("0")).needsReconciliation(true));
        List<String> asked = new ArrayList<>();

        assertThat(store().erase(NUMBER)).isEqualTo(new ErasureResult(1, 0, 0, 0, 1, 2));
        assertThat(store().find("going").orElseThrow().toNumber()).isEqualTo(NUMBER);
        assertThat(store().erase(NUMBER)).as("deferred once").isEqualTo(new ErasureResult(0, 0, 0, 0, 0, 0));
        assertThat(store().continueErasures((p, c) -> asked.add(c))).isEqualTo(new ErasureProgress(0, 2, 1, 0, 0));
        assertThat(asked).containsExactly("CA1");

        store().update(CallUpdate.of("going", NOW.plusSeconds(60)).status(CallStatus.COMPLETED).durationSeconds(50)
                .recordingUrl("https://rec.example/2.mp3"));
        assertThat(store().continueErasures((p, c) -> asked.add(c))).as("ended, not yet settled")
                .isEqualTo(new ErasureProgress(0, 2, 0, 0, 0));
        store().update(CallUpdate.of("going", NOW.plusSeconds(61)).cost(Money.inr("1.2")));
        store().update(CallUpdate.of("unknown", NOW.plusSeconds(61)).needsReconciliation(false));

        assertThat(store().continueErasures((p, c) -> asked.add(c))).isEqualTo(new ErasureProgress(2, 0, 2, 0, 0));
        assertThat(asked).containsExactlyInAnyOrder("CA1", "CA2", "CA3");
        CallRecord going = store().find("going").orElseThrow();
        assertThat(going.toNumber()).isEqualTo(store().find("done").orElseThrow().toNumber()).startsWith("erased:");
        assertThat(going.recordingUrl()).isNull();
        assertThat(going.cost()).isEqualTo(Money.inr("1.2"));
        assertThat(store().findByNumber(NUMBER, 10)).isEmpty();
    }

    /** A call under way from one erased number to another: each number's erasure waits for it, and neither is lost. */
    @Test
    void bothNumbersOfACallUnderWayAreErasedOnceItIsSettled() {
        String caller = "+14155550100";
        placed("going", NUMBER, "twilio", "CA2");

        assertThat(store().erase(NUMBER).deferredCalls()).isEqualTo(1);
        assertThat(store().erase(caller).deferredCalls()).isEqualTo(1);
        settle("going");
        assertThat(store().continueErasures((p, c) -> { }).callsWaiting()).isZero();

        assertThat(store().findByNumber(NUMBER, 10)).isEmpty();
        assertThat(store().findByNumber(caller, 10)).isEmpty();
    }

    /** The erasure of a call's other number, once the call is settled, leaves the erasure deferred for it to do. */
    @Test
    void aDeferredErasureSurvivesTheErasureOfTheCallsOtherNumber() {
        String caller = "+14155550100";
        placed("going", NUMBER, "twilio", "CA2");
        assertThat(store().erase(NUMBER).deferredCalls()).isEqualTo(1);
        settle("going");

        assertThat(store().erase(caller).calls()).isEqualTo(1);
        store().continueErasures((p, c) -> { });

        assertThat(store().findByNumber(NUMBER, 10)).isEmpty();
        assertThat(store().findByNumber(caller, 10)).isEmpty();
    }

    /**
     * A pending target whose number was erased holds its pseudonym, which rings in no zone: the count of targets
     * waiting for their calling hours (the admin API's, per campaign) still answers.
     */
    @Test
    void aCampaignWithAnErasedTargetStillCountsWhoWaitsForCallingHours() {
        try (GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).store(store()).ledger(database().limitLedger())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
            String id = m.campaigns().create(NewCampaign.named("Renewals").customerId("cust-1")
                    .category(CallCategory.AI_AUTOMATED).script("Hello.").policy(CampaignPolicy.builder()
                            .windows(CallingWindows.defaults()).build()).build());
            String tollFree = "+18005550199";   // rings in every US zone: the target keeps none
            m.campaigns().addTargets(id, List.of(Target.of(tollFree), Target.of("+12125550100")));
            // 12:00Z: 08:00 in New York, 02:00 in Hawaii
            assertThat(m.campaigns().waitingForCallingHours(id)).isEqualTo(1);

            store().erase(tollFree);

            // the runner dials no zone for it either: its hours are UTC's, 12:00
            assertThat(m.campaigns().waitingForCallingHours(id)).isZero();
        }
    }

    /** A deferred call that retention forgets leaves the list of deferred erasures with it. */
    @Test
    void aDeferredCallThatRetentionForgetsLeavesTheList() {
        store().create(call("old", "+14155550100", NUMBER, NOW.minus(Duration.ofDays(100))));
        store().update(CallUpdate.of("old", NOW).status(CallStatus.COMPLETED));   // ended, never settled
        assertThat(store().erase(NUMBER).deferredCalls()).isEqualTo(1);
        assertThat(store().purgeExpired().calls()).isEqualTo(1);

        assertThat(store().continueErasures((p, c) -> { })).isEqualTo(new ErasureProgress(0, 0, 0, 0, 0));
    }

    /** A call placed with a provider, under the provider's own id for it. */
    private void placed(String id, String to, String providerId, String providerCallId) {
        store().create(call(id, "+14155550100", to, NOW.minusSeconds(300)));
        store().update(CallUpdate.of(id, NOW).status(CallStatus.QUEUED).provider(providerId, providerCallId));
    }

    private List<String> queuedAtProviders() {
        return database().jdbi().withHandle(h -> h.createQuery("SELECT provider_id || '/' || provider_call_id"
                + " FROM calling_provider_erasure ORDER BY 1").mapTo(String.class).list());
    }

    /** Reliability requirement 17: an erasure schedules the deletion of what the providers keep of its calls. */
    @Test
    void erasureQueuesTheCallsProvidersHoldAndContinueErasuresDeletesThemThere() {
        placed("to-1", NUMBER, "twilio", "CA1");
        placed("to-2", NUMBER, "vonage", "uuid-2");
        store().create(call("never-placed", "+14155550100", NUMBER, NOW.minusSeconds(100)));
        placed("other", "+919800000001", "twilio", "CA9");
        for (String id : List.of("to-1", "to-2", "never-placed", "other")) settle(id);

        assertThat(store().erase(NUMBER)).isEqualTo(new ErasureResult(3, 0, 0, 0, 2, 0));
        assertThat(queuedAtProviders()).containsExactly("twilio/CA1", "vonage/uuid-2");
        assertThat(store().erase(NUMBER)).isEqualTo(new ErasureResult(0, 0, 0, 0, 0, 0));

        List<String> asked = new ArrayList<>();
        assertThat(store().continueErasures((provider, call) -> asked.add(provider + "/" + call)))
                .isEqualTo(new ErasureProgress(0, 0, 2, 0, 0));
        assertThat(asked).containsExactlyInAnyOrder("twilio/CA1", "vonage/uuid-2");
        assertThat(queuedAtProviders()).isEmpty();
        assertThat(store().continueErasures((provider, call) -> asked.add(provider + "/" + call)))
                .isEqualTo(new ErasureProgress(0, 0, 0, 0, 0));
        assertThat(asked).hasSize(2);
    }

    /** A store like the suite's on a clock the test moves. */
    private JdbiCallStore storeAt(MutableClock clock, int chunkSize) {
        return new JdbiCallStore(database().jdbi(),
                io.globalcalling.store.jdbi.internal.Dialect.valueOf(database().databaseKind()),
                StoreSettings.builder().chunkSize(chunkSize).erasureKey(Secret.of("erasure-key-for-tests")).clock(clock)
                        .build());
    }

    /** "Retrying until 2xx": a failed deletion stays queued with its error, due again after a wait that doubles. */
    @Test
    void aProviderErasureThatFailedIsTriedAgainLaterUntilItIsDone() {
        MutableClock clock = MutableClock.at(NOW);
        JdbiCallStore store = storeAt(clock, 2);
        for (String id : List.of("to-1", "to-2", "to-3")) {
            placed(id, NUMBER, "twilio", "CA" + id.charAt(3));
            settle(id);
        }
        store.erase(NUMBER);
        List<String> asked = new ArrayList<>();
        ProviderCallEraser failingForCa2 = (provider, call) -> {
            asked.add(call);
            if (call.equals("CA2")) throw new IllegalStateException("Twilio answered 503 (Service Unavailable)");
        };

        assertThat(store.continueErasures(failingForCa2)).isEqualTo(new ErasureProgress(0, 0, 2, 1, 1));
        assertThat(asked).containsExactlyInAnyOrder("CA1", "CA2", "CA3");
        Map<String, Object> failed = database().jdbi().withHandle(h -> h.createQuery("SELECT attempts, last_error"
                + " FROM calling_provider_erasure").mapToMap().one());
        assertThat(failed)
                .containsEntry("attempts", 1)
                .containsEntry("last_error", "IllegalStateException: Twilio answered 503 (Service Unavailable)");

        clock.advance(Duration.ofSeconds(59));
        assertThat(store.continueErasures(failingForCa2)).as("not due before a minute")
                .isEqualTo(new ErasureProgress(0, 0, 0, 0, 1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.continueErasures(failingForCa2)).isEqualTo(new ErasureProgress(0, 0, 0, 1, 1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.continueErasures(failingForCa2)).as("the second wait is two minutes")
                .isEqualTo(new ErasureProgress(0, 0, 0, 0, 1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.continueErasures((provider, call) -> asked.add(call)))
                .isEqualTo(new ErasureProgress(0, 0, 1, 0, 0));
        assertThat(asked).containsExactlyInAnyOrder("CA1", "CA2", "CA3", "CA2", "CA2");
        assertThat(queuedAtProviders()).isEmpty();
    }

    /** A node that took a queued deletion and died holds it ten minutes; two runs at once never share one. */
    @Test
    void aProviderErasureUnderWayIsNotTakenByAnotherRun() {
        MutableClock clock = MutableClock.at(NOW);
        JdbiCallStore store = storeAt(clock, 100);
        placed("to-1", NUMBER, "twilio", "CA1");
        settle("to-1");
        store.erase(NUMBER);
        List<String> asked = new ArrayList<>();
        List<ErasureProgress> inner = new ArrayList<>();

        assertThatThrownBy(() -> store.continueErasures((provider, call) -> {
            asked.add(call);
            inner.add(store.continueErasures((p, c) -> asked.add("again " + c)));
            throw new Error("the node dies");
        })).isInstanceOf(Error.class);

        assertThat(inner).containsExactly(new ErasureProgress(0, 0, 0, 0, 1));
        assertThat(asked).containsExactly("CA1");
        clock.advance(Duration.ofMinutes(10));
        assertThat(store.continueErasures((p, c) -> asked.add("later " + c))).isEqualTo(new ErasureProgress(0, 0, 1, 0, 0));
        assertThat(asked).containsExactly("CA1", "later CA1");
    }

    @Test
    void erasureNeedsAKey() {
        JdbiCallStore withoutKey = new JdbiCallStore(database().jdbi(),
                io.globalcalling.store.jdbi.internal.Dialect.valueOf(database().databaseKind()), StoreSettings.defaults());

        assertThatThrownBy(() -> withoutKey.erase(NUMBER))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("erasureKey");
    }
}
