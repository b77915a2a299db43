package io.globalcalling.testkit;

import io.globalcalling.CallRequest;
import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import io.globalcalling.CallRecord;
import io.globalcalling.InboundMessage;
import io.globalcalling.Endpoint;
import io.globalcalling.GeoPoint;
import io.globalcalling.spi.store.CallStats;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.DuplicateCampaignException;
import org.jspecify.annotations.Nullable;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.DuplicateCallException;
import io.globalcalling.spi.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The contract every {@link CallStore} must pass. Extend it, return a fresh (or emptied) store from
 * {@link #createStore()}, and release anything it holds in {@link #cleanUp(CallStore)}; each test
 * gets its own store. Times are whole seconds so that every database keeps them exactly.
 */
public abstract class CallStoreContract {

    /** A fixed point in time the tests count from. */
    protected static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    protected CallStore store;

    /** A store with nothing in it. */
    protected abstract CallStore createStore();

    /** Called after each test with the store {@link #createStore()} returned; closes it by default. */
    protected void cleanUp(CallStore store) {
        store.close();
    }

    @BeforeEach
    void openStore() {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) cleanUp(store);
    }

    // ---- fixtures ----

    /** A fresh INITIATED record to {@code to}, started {@code second} seconds after {@link #T0}. */
    protected static CallRecord call(String callId, String to, int second) {
        return CallRecord.initiated(callId, "cust-1", CallCategory.INTERNET_VOIP, "+14155550100", to, Purpose.SUPPORT,
                Priority.NORMAL, null, null, Money.inr("1.5"), Money.inr("0.30"), List.of("cheapest provider covering +91"), false,
                T0.plusSeconds(second), Map.of("order", "A-1"));
    }

    /** Like {@link #call(String, String, int)}, for {@code customerId}. */
    protected static CallRecord forCustomer(String callId, String customerId, String to, int second) {
        return CallRecord.initiated(callId, customerId, CallCategory.INTERNET_VOIP, "+14155550100", to, Purpose.SUPPORT,
                Priority.NORMAL, null, null, Money.inr("1.5"), Money.inr("0.30"), List.of(), false,
                T0.plusSeconds(second), Map.of());
    }

    protected static CallRecord callWithKey(String callId, String customerId, String key) {
        return CallRecord.initiated(callId, customerId, CallCategory.AI_AUTOMATED, null, "+919876543210",
                Purpose.NOTIFICATION, Priority.NORMAL, key, null, Money.inr("2"), Money.inr("0.40"), List.of(), false, T0,
                Map.of());
    }

    /** A record with every field set, money in two currencies. */
    protected static CallRecord fullRecord(String callId) {
        return new CallRecord(callId, "cust-42", CallCategory.HUMAN_AGENT, "aws-connect", "contact-9f1",
                "+442071838750", "+919876543210", CallStatus.ANSWERED, Purpose.SALES, Priority.HIGH, 2, "idem-77",
                "camp-3", Money.of("12.3456", "USD"), Money.of("2.5", "GBP"), Money.of("7.25", "EUR"), 95,
                "https://rec.example/r/1.mp3", "hello, this is a test", "positive",
                List.of("vip support → human_agent", "cheapest: aws-connect"), "UNAVAILABLE",
                "twilio unreachable, failed over", true, true, true, T0, T0.plusSeconds(5),
                T0.plusSeconds(100), T0, T0.plusSeconds(100), Map.of("order", "A-1", "tier", "gold", "emoji", "ü€"));
    }

    protected static Campaign campaign(String campaignId) {
        return new Campaign(campaignId, "cust-1", "Spring renewals", CallCategory.AI_AUTOMATED,
                "Hello {name}, your plan renews on {date}.", 3, 0, 0, 0, Money.inr("0"), Campaign.Status.SCHEDULED,
                T0.plus(Duration.ofHours(1)), null, null, T0);
    }

    protected static CampaignTarget target(String campaignId, String targetId, Instant notBefore) {
        String digits = String.format("%05d", Math.floorMod(targetId.hashCode(), 100000));
        return CampaignTarget.pending(campaignId, targetId, "+9198765" + digits, Map.of("name", "Asha " + targetId),
                notBefore);
    }

    private static <T> List<T> runConcurrently(int threads, int tasks, IntFunctionTask<T> task) throws Exception {
        return Race.run(threads, tasks, task::run);
    }

    @FunctionalInterface
    private interface IntFunctionTask<T> {
        T run(int n) throws Exception;
    }

    // ---- tests ----

    @Nested
    @DisplayName("call records")
    class Records {

        @Test
        @DisplayName("a record with every field set reads back equal, money with its currency")
        void roundTripsEveryField() {
            CallRecord record = fullRecord("call-full");
            store.create(record);

            assertThat(store.find("call-full")).contains(record);
        }

        @Test
        @DisplayName("a fresh record keeps its metadata, route reasons, hold and estimate")
        void roundTripsInitiatedRecord() {
            CallRecord record = call("call-1", "+919876543210", 0);
            store.create(record);

            CallRecord found = store.find("call-1").orElseThrow();
            assertThat(found).isEqualTo(record);
            assertThat(found.metadata()).containsEntry("order", "A-1");
            assertThat(found.routeReasons()).containsExactly("cheapest provider covering +91");
            assertThat(found.heldAmount()).isEqualTo(Money.inr("1.50"));
            assertThat(found.estimatedCost()).isEqualTo(Money.inr("0.30"));
            assertThat(found.simulated()).isFalse();
        }

        @Test
        @DisplayName("the longest customer id and idempotency key a request allows are kept")
        void keepsTheLongestCustomerIdAndKey() {
            String customer = "c".repeat(CallRequest.MAX_CUSTOMER_ID);
            String key = "k".repeat(CallRequest.MAX_IDEMPOTENCY_KEY);
            store.create(callWithKey("call-long", customer, key));

            assertThat(store.findByIdempotencyKey(customer, key).orElseThrow().customerId()).isEqualTo(customer);
        }

        @Test
        @DisplayName("an unknown call id is not found")
        void unknownCallIsEmpty() {
            assertThat(store.find("nope")).isEmpty();
            assertThat(store.findByIdempotencyKey("cust-1", "nope")).isEmpty();
            assertThat(store.findByProviderCallId("twilio", "nope")).isEmpty();
        }

        @Test
        @DisplayName("calls are found by their ids together, each once, unknown ids left out")
        void findsCallsByTheirIdsTogether() {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 1205; i++) {
                store.create(call("call-" + i, "+919876543210", i));
                if (i % 2 == 0) ids.add("call-" + i);
            }
            store.update(CallUpdate.of("call-4", T0.plusSeconds(2000)).status(CallStatus.COMPLETED).cost(Money.inr("2")));
            ids.add("call-4");
            ids.add("nope");

            List<CallRecord> found = store.findByCallIds(ids);

            assertThat(found).extracting(CallRecord::callId)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1205).filter(i -> i % 2 == 0)
                            .mapToObj(i -> "call-" + i).toList());
            assertThat(found).filteredOn(r -> r.callId().equals("call-4")).singleElement()
                    .isEqualTo(store.find("call-4").orElseThrow()).extracting(CallRecord::cost).isEqualTo(Money.inr("2"));
            assertThat(store.findByCallIds(List.of())).isEmpty();
        }

        @Test
        @DisplayName("a second record with the same call id is refused, naming it")
        void refusesDuplicateCallId() {
            store.create(call("call-dup", "+919876543210", 0));

            assertThatThrownBy(() -> store.create(call("call-dup", "+919800000000", 1)))
                    .isInstanceOfSatisfying(DuplicateCallException.class,
                            e -> assertThat(e.existingCallId()).isEqualTo("call-dup"));
            assertThat(store.find("call-dup").orElseThrow().toNumber()).isEqualTo("+919876543210");
        }

        @Test
        @DisplayName("a second record with the customer's idempotency key is refused, carrying the existing id")
        void refusesDuplicateIdempotencyKey() {
            store.create(callWithKey("call-a", "cust-1", "key-1"));

            assertThatThrownBy(() -> store.create(callWithKey("call-b", "cust-1", "key-1")))
                    .isInstanceOfSatisfying(DuplicateCallException.class,
                            e -> assertThat(e.existingCallId()).isEqualTo("call-a"));
            assertThat(store.find("call-b")).isEmpty();
        }

        @Test
        @DisplayName("a store that keys request fingerprints keeps each record's, under one key")
        void keepsTheRequestFingerprintOfAStoreThatKeysThem() {
            if (store.requestFingerprintKey().isEmpty()) return;   // it keeps none: records are compared by their fields
            CallRecord record = callWithKey("call-fp", "cust-1", "key-fp").withRequestFingerprint("v1:" + "ab".repeat(32));
            store.create(record);

            assertThat(store.find("call-fp")).contains(record);
            assertThat(store.findByIdempotencyKey("cust-1", "key-fp")).contains(record);
            assertThat(store.requestFingerprintKey()).isEqualTo(store.requestFingerprintKey());
        }

        @Test
        @DisplayName("the same idempotency key is free for another customer")
        void idempotencyKeyIsPerCustomer() {
            store.create(callWithKey("call-a", "cust-1", "key-1"));
            store.create(callWithKey("call-b", "cust-2", "key-1"));

            assertThat(store.findByIdempotencyKey("cust-1", "key-1")).map(CallRecord::callId).contains("call-a");
            assertThat(store.findByIdempotencyKey("cust-2", "key-1")).map(CallRecord::callId).contains("call-b");
        }

        @Test
        @DisplayName("calls without an idempotency key never collide")
        void recordsWithoutKeyDoNotCollide() {
            store.create(callWithKey("call-a", "cust-1", null));
            store.create(callWithKey("call-b", "cust-1", null));

            assertThat(store.find("call-a")).isPresent();
            assertThat(store.find("call-b")).isPresent();
        }

        @Test
        @DisplayName("concurrent creates with one idempotency key let exactly one through")
        void concurrentCreatesWithOneKeyLetOneThrough() throws Exception {
            List<String> outcomes = runConcurrently(8, 16, n -> {
                try {
                    store.create(callWithKey("call-" + n, "cust-1", "key-race"));
                    return "created";
                } catch (DuplicateCallException e) {
                    return "duplicate:" + e.existingCallId();
                }
            });

            assertThat(outcomes).filteredOn("created"::equals).hasSize(1);
            String winner = store.findByIdempotencyKey("cust-1", "key-race").orElseThrow().callId();
            assertThat(outcomes).filteredOn(o -> o.startsWith("duplicate"))
                    .hasSize(15)
                    .allMatch(o -> o.equals("duplicate:" + winner));
        }

        @Test
        @DisplayName("a call is found by its provider's call id once the provider accepted it")
        void findsByProviderCallId() {
            store.create(call("call-p", "+919876543210", 0));
            store.update(CallUpdate.of("call-p", T0.plusSeconds(1)).provider("twilio", "CA123").status(CallStatus.QUEUED));

            assertThat(store.findByProviderCallId("twilio", "CA123")).map(CallRecord::callId).contains("call-p");
            assertThat(store.findByProviderCallId("vonage", "CA123")).isEmpty();
        }
    }

    @Nested
    @DisplayName("updates")
    class Updates {

        @BeforeEach
        void oneCall() {
            store.create(call("call-u", "+919876543210", 0));
        }

        private CallStatus status() {
            return store.find("call-u").orElseThrow().status();
        }

        @Test
        @DisplayName("a status further on moves the call forward")
        void movesStatusForward() {
            assertThat(store.update(CallUpdate.of("call-u", T0.plusSeconds(1)).status(CallStatus.RINGING))).isTrue();
            assertThat(store.update(CallUpdate.of("call-u", T0.plusSeconds(2)).status(CallStatus.ANSWERED))).isTrue();

            CallRecord r = store.find("call-u").orElseThrow();
            assertThat(r.status()).isEqualTo(CallStatus.ANSWERED);
            assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(2));
        }

        @Test
        @DisplayName("a late ringing after completed never moves the call back")
        void lateRingingAfterCompletedIsIgnored() {
            store.update(CallUpdate.of("call-u", T0.plusSeconds(1)).status(CallStatus.COMPLETED));

            assertThat(store.update(CallUpdate.of("call-u", T0.plusSeconds(2)).status(CallStatus.RINGING))).isFalse();
            assertThat(status()).isEqualTo(CallStatus.COMPLETED);
        }

        @Test
        @DisplayName("a status of lower rank never replaces a higher one")
        void lowerRankIsIgnored() {
            store.update(CallUpdate.of("call-u", T0.plusSeconds(1)).status(CallStatus.ANSWERED));

            assertThat(store.update(CallUpdate.of("call-u", T0.plusSeconds(2)).status(CallStatus.QUEUED))).isFalse();
            assertThat(store.update(CallUpdate.of("call-u", T0.plusSeconds(3)).status(CallStatus.ANSWERED))).isFalse();
            assertThat(status()).isEqualTo(CallStatus.ANSWERED);
        }

        @Test
        @DisplayName("of two terminal statuses the first wins")
        void firstTerminalStatusWins() {
            assertThat(store.update(CallUpdate.of("call-u", T0.plusSeconds(1)).status(CallStatus.BUSY))).isTrue();
            assertThat(store.update(CallUpdate.of("call-u", T0.plusSeconds(2)).status(CallStatus.COMPLETED))).isFalse();

            assertThat(status()).isEqualTo(CallStatus.BUSY);
        }

        @Test
        @DisplayName("a recording that arrives after completion is kept")
        void recordingAfterCompletionIsKept() {
            store.update(CallUpdate.of("call-u", T0.plusSeconds(60)).status(CallStatus.COMPLETED).durationSeconds(55));

            boolean moved = store.update(CallUpdate.of("call-u", T0.plusSeconds(90)).status(CallStatus.RINGING)
                    .recordingUrl("https://rec.example/r/9.mp3").transcript("thanks, bye"));

            CallRecord r = store.find("call-u").orElseThrow();
            assertThat(moved).isFalse();
            assertThat(r.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(r.recordingUrl()).isEqualTo("https://rec.example/r/9.mp3");
            assertThat(r.transcript()).isEqualTo("thanks, bye");
            assertThat(r.durationSeconds()).isEqualTo(55);
            assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(90));
        }

        @Test
        @DisplayName("every non-null field is applied and null fields keep what was there")
        void appliesEveryNonNullField() {
            store.update(CallUpdate.of("call-u", T0.plusSeconds(1)).provider("twilio", "CA1").attempt(1).simulated(true)
                    .needsReconciliation(true).error("OUTCOME_UNKNOWN", "timed out after send"));
            store.update(CallUpdate.of("call-u", T0.plusSeconds(70)).status(CallStatus.COMPLETED)
                    .cost(Money.of("3.75", "USD")).durationSeconds(61).aiSentiment("neutral")
                    .answeredAt(T0.plusSeconds(9)).endedAt(T0.plusSeconds(70)).needsReconciliation(false));

            CallRecord r = store.find("call-u").orElseThrow();
            assertThat(r.providerId()).isEqualTo("twilio");
            assertThat(r.providerCallId()).isEqualTo("CA1");
            assertThat(r.attempt()).isEqualTo(1);
            assertThat(r.simulated()).isTrue();
            assertThat(r.errorReason()).isEqualTo("OUTCOME_UNKNOWN");
            assertThat(r.errorMessage()).isEqualTo("timed out after send");
            assertThat(r.needsReconciliation()).isFalse();
            assertThat(r.cost()).isEqualTo(Money.of("3.75", "USD"));
            assertThat(r.durationSeconds()).isEqualTo(61);
            assertThat(r.aiSentiment()).isEqualTo("neutral");
            assertThat(r.answeredAt()).isEqualTo(T0.plusSeconds(9));
            assertThat(r.endedAt()).isEqualTo(T0.plusSeconds(70));
            assertThat(r.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(r.metadata()).containsEntry("order", "A-1");
            assertThat(r.heldAmount()).isEqualTo(Money.inr("1.5"));
            assertThat(r.estimatedCost()).isEqualTo(Money.inr("0.3"));
            assertThat(r.createdAt()).isEqualTo(T0);
        }

        @Test
        @DisplayName("updateAndFind applies an update as update does and returns the record find reads after it")
        void updateAndFindReturnsTheRecordAfterTheUpdate() {
            CallStore.Updated moved = store.updateAndFind(CallUpdate.of("call-u", T0.plusSeconds(1))
                    .status(CallStatus.ANSWERED).provider("twilio", "CA1").answeredAt(T0.plusSeconds(1)));
            assertThat(moved.moved()).isTrue();
            assertThat(moved.record()).contains(store.find("call-u").orElseThrow());
            assertThat(moved.record().orElseThrow().status()).isEqualTo(CallStatus.ANSWERED);

            CallStore.Updated filledIn = store.updateAndFind(CallUpdate.of("call-u", T0.plusSeconds(2))
                    .status(CallStatus.RINGING).transcript("hello"));
            assertThat(filledIn.moved()).isFalse();
            assertThat(filledIn.record()).contains(store.find("call-u").orElseThrow());
            assertThat(filledIn.record().orElseThrow().transcript()).isEqualTo("hello");

            store.update(CallUpdate.of("call-u", T0.plusSeconds(60)).status(CallStatus.COMPLETED).cost(Money.inr("2")));
            CallStore.Updated nothingTaken = store.updateAndFind(CallUpdate.of("call-u", T0.plusSeconds(70))
                    .status(CallStatus.FAILED).durationSeconds(9));
            assertThat(nothingTaken.moved()).isFalse();
            assertThat(nothingTaken.record()).contains(store.find("call-u").orElseThrow());
            assertThat(nothingTaken.record().orElseThrow().status()).isEqualTo(CallStatus.COMPLETED);

            assertThat(store.updateAndFind(CallUpdate.of("ghost", T0).status(CallStatus.RINGING)))
                    .isEqualTo(new CallStore.Updated(false, Optional.empty()));
            assertThat(store.find("ghost")).isEmpty();
        }

        @Test
        @DisplayName("appendEventAndUpdate appends the event once and applies the update, a report delivered again too")
        void appendEventAndUpdateAppendsOnceAndUpdates() {
            StoredEvent ringing = new StoredEvent("call-u", "twilio", "status", CallStatus.RINGING, T0.plusSeconds(2),
                    Map.of("CallStatus", "ringing"));
            CallStore.Updated moved = store.appendEventAndUpdate(ringing, CallUpdate.of("call-u", T0.plusSeconds(2))
                    .status(CallStatus.RINGING).provider("twilio", "CA1"));
            assertThat(moved.moved()).isTrue();
            assertThat(moved.record()).contains(store.find("call-u").orElseThrow());
            assertThat(moved.record().orElseThrow().status()).isEqualTo(CallStatus.RINGING);

            CallStore.Updated again = store.appendEventAndUpdate(ringing, CallUpdate.of("call-u", T0.plusSeconds(3))
                    .status(CallStatus.RINGING).transcript("hello"));
            assertThat(again.moved()).isFalse();
            assertThat(again.record().orElseThrow().transcript()).as("the update applied all the same").isEqualTo("hello");
            assertThat(store.events("call-u")).as("the report stored once").containsExactly(ringing);

            assertThatThrownBy(() -> store.appendEventAndUpdate(ringing, CallUpdate.of("call-x", T0).transcript("x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("call-u").hasMessageContaining("call-x");
            assertThat(store.events("call-u")).containsExactly(ringing);
        }

        @Test
        @DisplayName("reports of one call recorded at once are each stored once and each applied, none failing")
        void reportsOfOneCallRecordedAtOnceAreEachStoredOnce() throws Exception {
            List<CallStatus> moves = List.of(CallStatus.QUEUED, CallStatus.RINGING, CallStatus.ANSWERED);
            // 8 reports, each delivered 3 times, all at once: each write moves the call's row and appends to its log
            Race.run(8, 24, i -> {
                int report = i % 8;
                StoredEvent e = new StoredEvent("call-u", "twilio", "status", moves.get(report % 3),
                        T0.plusSeconds(report), Map.of("SequenceNumber", Integer.toString(report)));
                return store.appendEventAndUpdate(e, CallUpdate.of("call-u", T0.plusSeconds(report))
                        .status(moves.get(report % 3)));
            });

            assertThat(store.events("call-u")).hasSize(8);
            assertThat(store.find("call-u").orElseThrow().status()).isEqualTo(CallStatus.ANSWERED);
        }

        @Test
        @DisplayName("an update of an unknown call returns false and creates nothing")
        void unknownCallUpdateReturnsFalse() {
            assertThat(store.update(CallUpdate.of("ghost", T0).status(CallStatus.RINGING).transcript("x"))).isFalse();
            assertThat(store.find("ghost")).isEmpty();
        }

        @Test
        @DisplayName("issue 9: a second completed or a failed after completed changes no billed fact")
        void terminalRecordKeepsItsBilledFacts() {
            store.update(CallUpdate.of("call-u", T0.plusSeconds(1)).provider("twilio", "CA1").attempt(1));
            store.update(CallUpdate.of("call-u", T0.plusSeconds(5)).status(CallStatus.ANSWERED).answeredAt(T0.plusSeconds(5)));
            store.update(CallUpdate.of("call-u", T0.plusSeconds(60)).status(CallStatus.COMPLETED).durationSeconds(55)
                    .endedAt(T0.plusSeconds(60)));
            CallRecord ended = store.find("call-u").orElseThrow();

            boolean laterCompleted = store.update(CallUpdate.of("call-u", T0.plusSeconds(90))
                    .status(CallStatus.COMPLETED).durationSeconds(300).endedAt(T0.plusSeconds(90))
                    .answeredAt(T0.plusSeconds(70)));
            boolean laterFailed = store.update(CallUpdate.of("call-u", T0.plusSeconds(95)).status(CallStatus.FAILED)
                    .durationSeconds(0).endedAt(T0.plusSeconds(95)).provider("vonage", "V-9").attempt(2).simulated(true));

            CallRecord r = store.find("call-u").orElseThrow();
            assertThat(laterCompleted).isFalse();
            assertThat(laterFailed).isFalse();
            assertThat(r.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(r.durationSeconds()).isEqualTo(55);
            assertThat(r.endedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(r.answeredAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(r.providerId()).isEqualTo("twilio");
            assertThat(r.providerCallId()).isEqualTo("CA1");
            assertThat(r.attempt()).isEqualTo(1);
            assertThat(r).isEqualTo(ended);
        }

        @Test
        @DisplayName("issue 9: a terminal record's cost is set once, by the settlement, and never replaced")
        void terminalRecordTakesItsCostOnce() {
            store.update(CallUpdate.of("call-u", T0.plusSeconds(60)).status(CallStatus.COMPLETED).durationSeconds(55));

            store.update(CallUpdate.of("call-u", T0.plusSeconds(61)).cost(Money.inr("2.40")));
            store.update(CallUpdate.of("call-u", T0.plusSeconds(62)).cost(Money.inr("99")));

            assertThat(store.find("call-u").orElseThrow().cost()).isEqualTo(Money.inr("2.40"));
        }

        @Test
        @DisplayName("issue 9: a terminal record still takes the reconciliation flag, the error and a late recording")
        void terminalRecordStillTakesFlagErrorAndRecording() {
            store.update(CallUpdate.of("call-u", T0.plusSeconds(1)).needsReconciliation(true));
            store.update(CallUpdate.of("call-u", T0.plusSeconds(60)).status(CallStatus.FAILED));

            store.update(CallUpdate.of("call-u", T0.plusSeconds(70)).needsReconciliation(false)
                    .error("UNAVAILABLE", "carrier down").recordingUrl("https://rec.example/r/2.mp3"));

            CallRecord r = store.find("call-u").orElseThrow();
            assertThat(r.needsReconciliation()).isFalse();
            assertThat(r.errorReason()).isEqualTo("UNAVAILABLE");
            assertThat(r.errorMessage()).isEqualTo("carrier down");
            assertThat(r.recordingUrl()).isEqualTo("https://rec.example/r/2.mp3");
            assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(70));
        }

        @Test
        @DisplayName("issue 9: racing updates of a terminal record never change its duration or end")
        void racingLateUpdatesNeverChangeBilledFacts() throws Exception {
            runConcurrently(8, 40, n -> store.update(CallUpdate.of("call-u", T0.plusSeconds(60 + n))
                    .status(n % 2 == 0 ? CallStatus.COMPLETED : CallStatus.FAILED).durationSeconds(100 + n)
                    .endedAt(T0.plusSeconds(60 + n))));

            CallRecord r = store.find("call-u").orElseThrow();
            int winner = r.durationSeconds() - 100;
            assertThat(r.endedAt()).isEqualTo(T0.plusSeconds(60 + winner));
            assertThat(r.status()).isEqualTo(winner % 2 == 0 ? CallStatus.COMPLETED : CallStatus.FAILED);
        }

        @Test
        @DisplayName("racing threads with different statuses end in one terminal status and never move back")
        void concurrentStatusUpdatesNeverMoveBack() throws Exception {
            List<CallStatus> statuses = List.of(CallStatus.QUEUED, CallStatus.RINGING, CallStatus.ANSWERED,
                    CallStatus.WAITING_FOR_AGENT, CallStatus.WITH_AGENT, CallStatus.COMPLETED, CallStatus.BUSY,
                    CallStatus.NO_ANSWER, CallStatus.FAILED);
            AtomicBoolean stop = new AtomicBoolean();
            List<String> violations = Collections.synchronizedList(new ArrayList<>());
            Thread watcher = new Thread(() -> {
                CallStatus last = CallStatus.INITIATED;
                while (!stop.get()) {
                    CallStatus now = status();
                    if (now.rank() < last.rank() || (last.isTerminal() && now != last)) {
                        violations.add(last + " -> " + now);
                    }
                    last = now;
                }
            });
            watcher.start();
            List<CallStatus> moved;
            try {
                moved = runConcurrently(8, 56, n -> {
                    CallStatus s = statuses.get(n % statuses.size());
                    return store.update(CallUpdate.of("call-u", T0.plusSeconds(n)).status(s)) ? s : null;
                });
            } finally {
                stop.set(true);
                watcher.join();
            }

            CallStatus last = status();
            assertThat(violations).isEmpty();
            assertThat(last.isTerminal()).isTrue();
            List<CallStatus> terminalMoves = moved.stream().filter(s -> s != null && s.isTerminal()).toList();
            assertThat(terminalMoves).containsExactly(last);
            assertThat(moved.stream().filter(s -> s != null).distinct().count())
                    .isEqualTo(moved.stream().filter(s -> s != null).count());
        }
    }

    @Nested
    @DisplayName("agent statuses")
    class AgentStatuses {

        @BeforeEach
        void oneCall() {
            store.create(call("call-a", "+919876543210", 0));
        }

        private CallStatus status() {
            return store.find("call-a").orElseThrow().status();
        }

        private boolean move(int second, CallStatus to) {
            return store.update(CallUpdate.of("call-a", T0.plusSeconds(second)).status(to));
        }

        @Test
        @DisplayName("an answered call waits for an agent, talks to one, completes, and never moves back")
        void answeredWaitingWithAgentCompletedNeverBack() {
            assertThat(move(1, CallStatus.ANSWERED)).isTrue();
            assertThat(move(2, CallStatus.WAITING_FOR_AGENT)).isTrue();
            assertThat(move(3, CallStatus.ANSWERED)).as("answered after waiting").isFalse();
            assertThat(move(4, CallStatus.QUEUED)).as("queued after waiting").isFalse();
            assertThat(status()).isEqualTo(CallStatus.WAITING_FOR_AGENT);
            assertThat(move(5, CallStatus.WITH_AGENT)).isTrue();
            assertThat(move(6, CallStatus.WAITING_FOR_AGENT)).as("waiting after with agent").isFalse();
            assertThat(move(7, CallStatus.WITH_AGENT)).as("with agent again").isFalse();
            assertThat(status()).isEqualTo(CallStatus.WITH_AGENT);
            assertThat(move(8, CallStatus.COMPLETED)).isTrue();
            assertThat(move(9, CallStatus.WITH_AGENT)).as("with agent after completed").isFalse();
            assertThat(move(10, CallStatus.WAITING_FOR_AGENT)).as("waiting after completed").isFalse();
            assertThat(status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(store.findByStatus(CallStatus.COMPLETED, 10)).extracting(CallRecord::callId).containsExactly("call-a");
        }

        @Test
        @DisplayName("a call may reach an agent without an answered event first, and is found by its status")
        void ringingStraightToWithAgent() {
            assertThat(move(1, CallStatus.RINGING)).isTrue();
            assertThat(move(2, CallStatus.WITH_AGENT)).isTrue();

            assertThat(status()).isEqualTo(CallStatus.WITH_AGENT);
            assertThat(store.findByStatus(CallStatus.WITH_AGENT, 10)).extracting(CallRecord::callId).containsExactly("call-a");
            assertThat(move(3, CallStatus.NO_ANSWER)).as("a terminal status still ends it").isTrue();
        }
    }

    @Nested
    @DisplayName("queries")
    class Queries {

        @Test
        @DisplayName("recent lists the newest calls first, up to the limit")
        void recentIsNewestFirst() {
            store.create(call("c-old", "+919800000001", 0));
            store.create(call("c-new", "+919800000002", 20));
            store.create(call("c-mid", "+919800000003", 10));

            assertThat(store.recent(10)).extracting(CallRecord::callId).containsExactly("c-new", "c-mid", "c-old");
            assertThat(store.recent(2)).extracting(CallRecord::callId).containsExactly("c-new", "c-mid");
        }

        @Test
        @DisplayName("a limit below one is refused")
        void refusesNonPositiveLimit() {
            assertThatThrownBy(() -> store.recent(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit");
        }

        @Test
        @DisplayName("a call started in the last nanoseconds of an hour is kept, and counted, in that hour")
        void nanosecondStartStaysInItsHour() {
            // a database keeps microseconds: the instant may lose its nanoseconds, never move into the next hour
            Instant late = T0.plus(Duration.ofMinutes(59)).plusSeconds(59).plusNanos(999_999_600);
            store.create(CallRecord.initiated("c-late", "cust-1", CallCategory.INTERNET_VOIP, "+14155550100",
                    "+919800000001", Purpose.SUPPORT, Priority.NORMAL, null, null, null, null, List.of(), false,
                    late, Map.of()));

            assertThat(store.find("c-late").orElseThrow().startedAt()).isBeforeOrEqualTo(late)
                    .isAfter(late.minusNanos(1_000));
            assertThat(store.stats(T0).hours()).extracting(CallStats.HourCount::hour)
                    .containsExactly(T0);
        }

        @Test
        @DisplayName("calls to or from a number are found, newest first")
        void findsByNumberToOrFrom() {
            store.create(call("c-to", "+919800000001", 0));
            store.create(call("c-other", "+919800000002", 5));
            CallRecord fromIt = CallRecord.initiated("c-from", "cust-1", CallCategory.INTERNET_VOIP, "+919800000001",
                    "+14155550123", null, Priority.LOW, null, null, null, null, null, false, T0.plusSeconds(10), null);
            store.create(fromIt);
            store.create(call("c-sip", "sip:alice@example.com", 15));

            assertThat(store.findByNumber("+919800000001", 10)).extracting(CallRecord::callId)
                    .containsExactly("c-from", "c-to");
            assertThat(store.findByNumber("+919800000001", 1)).extracting(CallRecord::callId).containsExactly("c-from");
            assertThat(store.findByNumber("sip:alice@example.com", 10)).extracting(CallRecord::callId)
                    .containsExactly("c-sip");
            assertThat(store.findByNumber("+10000000000", 10)).isEmpty();
        }

        @Test
        @DisplayName("calls are found by status")
        void findsByStatus() {
            store.create(call("c-1", "+919800000001", 0));
            store.create(call("c-2", "+919800000002", 1));
            store.create(call("c-3", "+919800000003", 2));
            store.update(CallUpdate.of("c-2", T0.plusSeconds(5)).status(CallStatus.FAILED));

            assertThat(store.findByStatus(CallStatus.FAILED, 10)).extracting(CallRecord::callId).containsExactly("c-2");
            assertThat(store.findByStatus(CallStatus.INITIATED, 10)).extracting(CallRecord::callId)
                    .containsExactlyInAnyOrder("c-1", "c-3");
            assertThat(store.findByStatus(CallStatus.INITIATED, 1)).hasSize(1);
            assertThat(store.findByStatus(CallStatus.BUSY, 10)).isEmpty();
        }

        @Test
        @DisplayName("a customer's calls are found newest first, however many newer calls other customers placed")
        void findsByCustomerPastOtherCustomersCalls() {
            store.create(forCustomer("mine-old", "cust-a", "+919800000001", 0));
            store.create(forCustomer("mine-new", "cust-a", "+919800000002", 5));
            for (int i = 0; i < 30; i++) store.create(forCustomer("theirs-" + i, "cust-b", "+919800000001", 10 + i));

            assertThat(store.findByCustomer("cust-a", null, null, 10)).extracting(CallRecord::callId)
                    .containsExactly("mine-new", "mine-old");
            assertThat(store.findByCustomer("cust-a", null, null, 1)).extracting(CallRecord::callId)
                    .containsExactly("mine-new");
            assertThat(store.findByCustomer("cust-b", null, null, 3)).extracting(CallRecord::callId)
                    .containsExactly("theirs-29", "theirs-28", "theirs-27");
            assertThat(store.findByCustomer("cust-nobody", null, null, 10)).isEmpty();
        }

        @Test
        @DisplayName("a customer's calls are filtered by status, by number to or from, or both")
        void findsByCustomerWithStatusAndNumber() {
            store.create(forCustomer("a-1", "cust-a", "+919800000001", 0));
            store.create(forCustomer("a-2", "cust-a", "+919800000002", 1));
            store.create(forCustomer("a-3", "cust-a", "+919800000001", 2));
            store.create(forCustomer("b-1", "cust-b", "+919800000001", 3));
            store.update(CallUpdate.of("a-1", T0.plusSeconds(5)).status(CallStatus.FAILED));
            store.update(CallUpdate.of("a-2", T0.plusSeconds(5)).status(CallStatus.FAILED));
            store.update(CallUpdate.of("b-1", T0.plusSeconds(5)).status(CallStatus.FAILED));

            assertThat(store.findByCustomer("cust-a", CallStatus.FAILED, null, 10)).extracting(CallRecord::callId)
                    .containsExactly("a-2", "a-1");
            assertThat(store.findByCustomer("cust-a", null, "+919800000001", 10)).extracting(CallRecord::callId)
                    .containsExactly("a-3", "a-1");
            assertThat(store.findByCustomer("cust-a", null, "+14155550100", 10)).as("from the number")
                    .extracting(CallRecord::callId).containsExactly("a-3", "a-2", "a-1");
            assertThat(store.findByCustomer("cust-a", CallStatus.FAILED, "+919800000001", 10))
                    .extracting(CallRecord::callId).containsExactly("a-1");
            assertThat(store.findByCustomer("cust-a", CallStatus.COMPLETED, null, 10)).isEmpty();
        }

        @Test
        @DisplayName("a customer's calls are listed only with a limit from 1 to the maximum")
        void findsByCustomerOnlyWithinTheLimit() {
            for (int limit : new int[]{0, -1, CallStore.MAX_CUSTOMER_CALLS + 1}) {
                assertThatThrownBy(() -> store.findByCustomer("cust-a", null, null, limit))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("limit " + limit).hasMessageContaining("1000");
            }
            assertThat(store.findByCustomer("cust-a", null, null, CallStore.MAX_CUSTOMER_CALLS)).isEmpty();
        }

        @Test
        @DisplayName("calls whose outcome is unknown are listed oldest first until reconciled")
        void findsCallsNeedingReconciliation() {
            store.create(call("c-1", "+919800000001", 30));
            store.create(call("c-2", "+919800000002", 10));
            store.create(call("c-3", "+919800000003", 20));
            store.update(CallUpdate.of("c-1", T0.plusSeconds(31)).needsReconciliation(true));
            store.update(CallUpdate.of("c-2", T0.plusSeconds(31)).needsReconciliation(true));

            assertThat(store.findNeedingReconciliation(10)).extracting(CallRecord::callId).containsExactly("c-2", "c-1");

            store.update(CallUpdate.of("c-2", T0.plusSeconds(40)).needsReconciliation(false).status(CallStatus.COMPLETED));
            assertThat(store.findNeedingReconciliation(10)).extracting(CallRecord::callId).containsExactly("c-1");
        }

        @Test
        @DisplayName("calls whose outcome is unknown, and calls not ended, are read a page at a time, by start then call id")
        void reconciliationScansResumeAfterTheLastCallOfAPage() {
            // inserted out of call-id order, three of them at one start time
            for (String id : List.of("t-c", "t-a", "t-d", "t-b")) {
                int second = id.equals("t-d") ? 20 : 10;
                store.create(call(id, "+919800000001", second));
                store.update(CallUpdate.of(id, T0.plusSeconds(30)).needsReconciliation(true));
                store.create(call("u" + id, "+919800000002", second));
            }

            List<CallRecord> first = store.findNeedingReconciliation(null, 2);
            assertThat(first).extracting(CallRecord::callId).containsExactly("t-a", "t-b");
            assertThat(store.findNeedingReconciliation(first.get(1), 2)).extracting(CallRecord::callId)
                    .containsExactly("t-c", "t-d");
            assertThat(store.findNeedingReconciliation(store.find("t-d").orElseThrow(), 2)).isEmpty();

            List<CallRecord> unended = store.findUnendedBefore(T0.plusSeconds(60), null, 3);
            assertThat(unended).extracting(CallRecord::callId).containsExactly("ut-a", "ut-b", "ut-c");
            assertThat(store.findUnendedBefore(T0.plusSeconds(60), unended.get(2), 3)).extracting(CallRecord::callId)
                    .containsExactly("ut-d");
            assertThat(store.findUnendedBefore(T0.plusSeconds(60), unended.get(0), 1)).extracting(CallRecord::callId)
                    .containsExactly("ut-b");
        }

        @Test
        @DisplayName("calls not ended by a time are listed oldest first, without those waiting for reconciliation")
        void findsCallsNotEndedByATime() {
            store.create(call("ringing", "+919800000001", 10));
            store.update(CallUpdate.of("ringing", T0.plusSeconds(11)).status(CallStatus.RINGING));
            store.create(call("initiated", "+919800000002", 5));
            store.create(call("ended", "+919800000003", 1));
            store.update(CallUpdate.of("ended", T0.plusSeconds(2)).status(CallStatus.COMPLETED));
            store.create(call("flagged", "+919800000004", 2));
            store.update(CallUpdate.of("flagged", T0.plusSeconds(3)).needsReconciliation(true));
            store.create(call("later", "+919800000005", 40));

            assertThat(store.findUnendedBefore(T0.plusSeconds(40), 10)).extracting(CallRecord::callId)
                    .containsExactly("initiated", "ringing");
            assertThat(store.findUnendedBefore(T0.plusSeconds(41), 2)).extracting(CallRecord::callId)
                    .containsExactly("initiated", "ringing");
            assertThat(store.findUnendedBefore(T0.plusSeconds(5), 10)).isEmpty();
            assertThatThrownBy(() -> store.findUnendedBefore(T0, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit 0");
        }

        @Test
        @DisplayName("calls started since a time, ended or not, are read oldest first, one customer's or all, a page at a time")
        void findsCallsStartedSinceATime() {
            // inserted out of call-id order, two of them at one start time
            store.create(forCustomer("s-old", "acme", "+919800000001", 5));
            store.create(forCustomer("s-c", "acme", "+919800000002", 10));
            store.create(forCustomer("s-a", "globex", "+919800000003", 10));
            store.create(forCustomer("s-b", "acme", "+919800000004", 20));
            store.update(CallUpdate.of("s-b", T0.plusSeconds(21)).status(CallStatus.COMPLETED).cost(Money.inr("2")));
            store.create(forCustomer("s-d", "acme", "+919800000005", 30));

            assertThat(store.findStartedSince(T0.plusSeconds(10), null, null, 10)).extracting(CallRecord::callId)
                    .containsExactly("s-a", "s-c", "s-b", "s-d");
            assertThat(store.findStartedSince(T0.plusSeconds(10), "acme", null, 10)).extracting(CallRecord::callId)
                    .containsExactly("s-c", "s-b", "s-d");
            assertThat(store.findStartedSince(T0.plusSeconds(10), "acme", null, 10).get(1).status())
                    .isEqualTo(CallStatus.COMPLETED);
            List<CallRecord> first = store.findStartedSince(T0.plusSeconds(10), null, null, 2);
            assertThat(first).extracting(CallRecord::callId).containsExactly("s-a", "s-c");
            assertThat(store.findStartedSince(T0.plusSeconds(10), null, first.get(1), 2)).extracting(CallRecord::callId)
                    .containsExactly("s-b", "s-d");
            assertThat(store.findStartedSince(T0.plusSeconds(10), null, first.get(0), 1)).extracting(CallRecord::callId)
                    .containsExactly("s-c");
            assertThat(store.findStartedSince(T0.plusSeconds(31), null, null, 10)).isEmpty();
            assertThat(store.findStartedSince(T0, "nobody", null, 10)).isEmpty();
            assertThatThrownBy(() -> store.findStartedSince(T0, null, null, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit 0");
        }

        @Test
        @DisplayName("calls whose outcome is unknown are counted, all of them, until reconciled")
        void countsCallsNeedingReconciliation() {
            assertThat(store.countNeedingReconciliation()).isZero();
            for (int i = 1; i <= 3; i++) store.create(call("c-" + i, "+91980000000" + i, i));
            store.update(CallUpdate.of("c-1", T0.plusSeconds(31)).needsReconciliation(true));
            store.update(CallUpdate.of("c-3", T0.plusSeconds(31)).needsReconciliation(true));

            assertThat(store.countNeedingReconciliation()).isEqualTo(2);

            store.update(CallUpdate.of("c-3", T0.plusSeconds(40)).needsReconciliation(false).status(CallStatus.COMPLETED));
            assertThat(store.countNeedingReconciliation()).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("inbound messages")
    class InboundMessages {

        private static final String TERMINAL = "imei:300234010753370";

        private InboundMessage reply(String providerMessageId, int second) {
            return InboundMessage.builder("iridium", Endpoint.parse(TERMINAL), InboundMessage.Kind.REPLY)
                    .receivedAt(T0.plusSeconds(second)).payload(new byte[] {0, 1, (byte) 0xFF, 0x7F})
                    .text("ok").providerMessageId(providerMessageId).build();
        }

        @Test
        @DisplayName("every field comes back as stored, bytes, position and details included")
        void keepsEveryField() {
            store.create(call("call-m", "+919876543210", 0));
            InboundMessage full = InboundMessage.builder("iridium", Endpoint.parse(TERMINAL), InboundMessage.Kind.POSITION)
                    .receivedAt(T0.plusSeconds(30)).payload(new byte[] {1, 2, 3}).text("ünï \" quote")
                    .position(GeoPoint.of(-33.8688, 151.2093), 3500.5).callId("call-m").providerCallId("MTMSN-7")
                    .providerMessageId("MOMSN-1").details(Map.of("cep", "3.5", "session", "7")).build();
            InboundMessage bare = InboundMessage.builder("webhook", Endpoint.parse("+919876543210"),
                    InboundMessage.Kind.REPLY).receivedAt(T0.plusSeconds(31)).build();

            assertThat(store.appendInbound(full)).isTrue();
            assertThat(store.appendInbound(bare)).isTrue();

            assertThat(store.findInbound(TERMINAL, 10)).containsExactly(full);
            assertThat(store.findInbound(null, 10)).containsExactly(bare, full);
            assertThat(store.findInboundForCall("call-m")).containsExactly(full);
        }

        @Test
        @DisplayName("a message redelivered with the same provider message id is stored once; without one, each is kept")
        void redeliveredMessageIsStoredOnce() {
            List<Boolean> added = new ArrayList<>();
            for (int i = 0; i < 3; i++) added.add(store.appendInbound(reply("MOMSN-9", 5)));
            InboundMessage other = reply("MOMSN-9", 5).toBuilder().build();
            InboundMessage fromAnotherProvider = InboundMessage.builder("other", Endpoint.parse(TERMINAL),
                    InboundMessage.Kind.REPLY).receivedAt(T0.plusSeconds(6)).providerMessageId("MOMSN-9").build();
            InboundMessage noId = reply(null, 7);

            assertThat(added).containsExactly(true, false, false);
            assertThat(store.appendInbound(other)).isFalse();
            assertThat(store.appendInbound(fromAnotherProvider)).isTrue();
            assertThat(store.appendInbound(noId)).isTrue();
            assertThat(store.appendInbound(noId)).isTrue();
            assertThat(store.findInbound(TERMINAL, 10)).hasSize(4);
        }

        @Test
        @DisplayName("messages with no matching call are kept and listed newest first, by endpoint, within the limit")
        void listsNewestFirstByEndpoint() {
            for (int i = 0; i < 5; i++) store.appendInbound(reply("M-" + i, i * 10));
            store.appendInbound(InboundMessage.builder("iridium", Endpoint.parse("imei:300234010753371"),
                    InboundMessage.Kind.REPLY).receivedAt(T0.plusSeconds(100)).build());

            assertThat(store.findInbound(TERMINAL, 3)).extracting(m -> m.providerMessageId().orElseThrow())
                    .containsExactly("M-4", "M-3", "M-2");
            assertThat(store.findInbound(null, 1)).extracting(m -> m.from().value())
                    .containsExactly("imei:300234010753371");
            assertThat(store.findInbound("imei:000000000000000", 10)).isEmpty();
            assertThat(store.findInboundForCall("call-none")).isEmpty();
            assertThatThrownBy(() -> store.findInbound(null, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit 0");
        }

        @Test
        @DisplayName("a call's messages come back oldest first")
        void callsMessagesOldestFirst() {
            InboundMessage first = reply("A", 1).toBuilder().callId("call-x").build();
            InboundMessage second = InboundMessage.builder("iridium", Endpoint.parse(TERMINAL),
                    InboundMessage.Kind.DELIVERY_CONFIRMATION).receivedAt(T0.plusSeconds(2)).callId("call-x")
                    .providerMessageId("B").build();
            store.appendInbound(first);
            store.appendInbound(reply("C", 3));
            store.appendInbound(second);

            assertThat(store.findInboundForCall("call-x")).containsExactly(first, second);
        }
    }

    @Nested
    @DisplayName("events")
    class Events {

        @Test
        @DisplayName("events come back in the order they were appended, whatever their times")
        void eventsKeepAppendOrder() {
            store.create(call("call-e", "+919876543210", 0));
            StoredEvent placed = new StoredEvent("call-e", "core", "placed", CallStatus.QUEUED, T0.plusSeconds(1),
                    Map.of("provider", "twilio"));
            StoredEvent completed = new StoredEvent("call-e", "twilio", "status", CallStatus.COMPLETED,
                    T0.plusSeconds(60), Map.of("CallDuration", "58", "note", "quote \" and \\ and ünï"));
            StoredEvent lateRinging = new StoredEvent("call-e", "twilio", "status", CallStatus.RINGING,
                    T0.plusSeconds(5), null);
            StoredEvent recording = new StoredEvent("call-e", "twilio", "recording", null, T0.plusSeconds(60), Map.of());
            for (StoredEvent e : List.of(placed, completed, lateRinging, recording)) store.appendEvent(e);

            assertThat(store.events("call-e")).containsExactly(placed, completed, lateRinging, recording);
        }

        @Test
        @DisplayName("issue 9: the same provider event replayed five times is stored once")
        void replayedEventIsStoredOnce() {
            store.create(call("call-e", "+919876543210", 0));
            StoredEvent completed = new StoredEvent("call-e", "twilio", "status", CallStatus.COMPLETED,
                    T0.plusSeconds(60), Map.of("providerCallId", "CA1", "sequence", "3"));

            List<Boolean> added = new ArrayList<>();
            for (int i = 0; i < 5; i++) added.add(store.appendEvent(completed));

            assertThat(added).containsExactly(true, false, false, false, false);
            assertThat(store.events("call-e")).containsExactly(completed);
        }

        @Test
        @DisplayName("issue 9: events differing in sequence, time, status, type, provider or provider call id are all kept")
        void distinctEventsAreAllKept() {
            StoredEvent base = new StoredEvent("call-e", "twilio", "status", CallStatus.RINGING, T0,
                    Map.of("providerCallId", "CA1", "sequence", "1"));
            List<StoredEvent> all = List.of(base,
                    new StoredEvent("call-e", "twilio", "status", CallStatus.RINGING, T0,
                            Map.of("providerCallId", "CA1", "sequence", "2")),
                    new StoredEvent("call-e", "twilio", "status", CallStatus.ANSWERED, T0,
                            Map.of("providerCallId", "CA1", "sequence", "1")),
                    new StoredEvent("call-e", "twilio", "status", CallStatus.RINGING, T0,
                            Map.of("providerCallId", "CA2", "sequence", "1")),
                    new StoredEvent("call-e", "vonage", "status", CallStatus.RINGING, T0,
                            Map.of("providerCallId", "CA1", "sequence", "1")),
                    new StoredEvent("call-e", "twilio", "recording", null, T0, Map.of("providerCallId", "CA1")),
                    new StoredEvent("call-e", "twilio", "recording", null, T0.plusSeconds(1),
                            Map.of("providerCallId", "CA1")));

            for (StoredEvent e : all) store.appendEvent(e);

            assertThat(store.events("call-e")).containsExactlyElementsOf(all);
        }

        @Test
        @DisplayName("a machine verdict in the same second as the answer is kept; its redelivery is not")
        void sameSecondMachineVerdictIsKept() {
            store.create(call("call-e", "+919876543210", 0));
            StoredEvent answered = new StoredEvent("call-e", "vonage", "status", CallStatus.ANSWERED, T0,
                    Map.of("providerCallId", "uuid-1", "status", "answered"));
            StoredEvent machine = new StoredEvent("call-e", "vonage", "status", CallStatus.ANSWERED, T0,
                    Map.of("providerCallId", "uuid-1", "status", "machine", "answeredBy", "machine"));

            assertThat(store.appendEvent(answered)).isTrue();
            assertThat(store.appendEvent(machine)).as("another report").isTrue();
            assertThat(store.appendEvent(new StoredEvent("call-e", "vonage", "status", CallStatus.ANSWERED, T0,
                    Map.of("answeredBy", "machine", "status", "machine", "providerCallId", "uuid-1"))))
                    .as("the verdict redelivered").isFalse();
            assertThat(store.events("call-e")).containsExactly(answered, machine);
        }

        @Test
        @DisplayName("issue 9: the SDK's own steps at one instant are all kept when their attempts differ")
        void coreStepsOfDifferentAttemptsAreKept() {
            StoredEvent first = new StoredEvent("call-e", "core", "failover", null, T0,
                    Map.of("provider", "twilio", "attempt", "1"));
            StoredEvent second = new StoredEvent("call-e", "core", "failover", null, T0,
                    Map.of("provider", "vonage", "attempt", "2"));
            StoredEvent placed = new StoredEvent("call-e", "core", "placed", CallStatus.QUEUED, T0,
                    Map.of("provider", "plivo", "providerCallId", "P-1", "attempt", "3"));

            for (StoredEvent e : List.of(first, second, placed)) store.appendEvent(e);

            assertThat(store.events("call-e")).containsExactly(first, second, placed);
        }

        @Test
        @DisplayName("issue 9: 8 threads replaying one event store it once")
        void concurrentReplaysStoreOnce() throws Exception {
            StoredEvent answered = new StoredEvent("call-e", "twilio", "status", CallStatus.ANSWERED, T0,
                    Map.of("providerCallId", "CA1"));

            List<Boolean> added = runConcurrently(8, 32, n -> store.appendEvent(answered));

            assertThat(added).containsOnlyOnce(true);
            assertThat(store.events("call-e")).containsExactly(answered);
        }

        @Test
        @DisplayName("many calls' logs are read together, each as it is read alone; an unknown call's is empty")
        void eventsOfManyCallsAreReadTogether() {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 1005; i++) {
                store.appendEvent(new StoredEvent("call-" + i, "core", "placed", CallStatus.QUEUED, T0.plusSeconds(i),
                        Map.of("attempt", "1")));
                ids.add("call-" + i);
            }
            // appended last, two calls' events interleaved, one reported earlier than it was appended
            StoredEvent completed = new StoredEvent("call-3", "twilio", "status", CallStatus.COMPLETED,
                    T0.plusSeconds(90), Map.of("sequence", "2"));
            StoredEvent ringing = new StoredEvent("call-1004", "twilio", "status", CallStatus.RINGING, T0,
                    Map.of("sequence", "1"));
            StoredEvent lateRinging = new StoredEvent("call-3", "twilio", "status", CallStatus.RINGING, T0,
                    Map.of("sequence", "1"));
            for (StoredEvent e : List.of(completed, ringing, lateRinging)) store.appendEvent(e);
            ids.add("call-3");
            ids.add("nope");

            Map<String, List<StoredEvent>> logs = store.events(ids);

            assertThat(logs.keySet()).containsExactlyInAnyOrderElementsOf(ids.stream().distinct().toList());
            assertThat(logs.get("call-3")).extracting(StoredEvent::type, StoredEvent::status).containsExactly(
                    tuple("placed", CallStatus.QUEUED), tuple("status", CallStatus.COMPLETED),
                    tuple("status", CallStatus.RINGING));
            assertThat(logs.get("call-1004")).containsExactlyElementsOf(store.events("call-1004")).hasSize(2);
            assertThat(logs.get("nope")).isEmpty();
            for (String id : logs.keySet()) assertThat(logs.get(id)).as(id).isEqualTo(store.events(id));
            assertThat(store.events(List.of())).isEmpty();
        }

        @Test
        @DisplayName("each call has its own log and an unknown call has none")
        void eventsArePerCall() {
            store.appendEvent(new StoredEvent("call-x", "core", "placed", null, T0, Map.of()));
            store.appendEvent(new StoredEvent("call-y", "core", "placed", null, T0, Map.of()));

            assertThat(store.events("call-x")).hasSize(1).allMatch(e -> e.callId().equals("call-x"));
            assertThat(store.events("call-z")).isEmpty();
        }
    }

    @Nested
    @DisplayName("campaigns")
    class Campaigns {

        @Test
        @DisplayName("a campaign reads back equal")
        void roundTripsCampaign() {
            Campaign c = campaign("camp-1");
            store.createCampaign(c);

            assertThat(store.findCampaign("camp-1")).contains(c);
            assertThat(store.findCampaign("camp-0")).isEmpty();
        }

        @Test
        @DisplayName("a second campaign with the same id is refused")
        void refusesDuplicateCampaign() {
            store.createCampaign(campaign("camp-1"));

            assertThatThrownBy(() -> store.createCampaign(campaign("camp-1")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("camp-1");
        }

        @Test
        @DisplayName("campaigns are listed newest first, by creation time then id, per customer or for all")
        void findsCampaignsByCustomer() {
            store.createCampaign(campaignOf("a-old", "cust-a", 0));
            store.createCampaign(campaignOf("b-1", "cust-b", 5));
            store.createCampaign(campaignOf("a-new-1", "cust-a", 10));
            store.createCampaign(campaignOf("a-new-2", "cust-a", 10));

            assertThat(store.findCampaignsByCustomer("cust-a", 10)).extracting(Campaign::campaignId)
                    .containsExactly("a-new-2", "a-new-1", "a-old");
            assertThat(store.findCampaignsByCustomer("cust-a", 2)).extracting(Campaign::campaignId)
                    .containsExactly("a-new-2", "a-new-1");
            assertThat(store.findCampaignsByCustomer(null, 10)).extracting(Campaign::campaignId)
                    .containsExactly("a-new-2", "a-new-1", "b-1", "a-old");
            assertThat(store.findCampaignsByCustomer("cust-nobody", 10)).isEmpty();
            assertThat(store.findCampaignsByCustomer("cust-b", 10)).containsExactly(campaignOf("b-1", "cust-b", 5));
        }

        @Test
        @DisplayName("campaigns are listed only with a limit from 1 to the maximum")
        void findsCampaignsOnlyWithinTheLimit() {
            for (int limit : new int[]{0, -1, CallStore.MAX_CUSTOMER_CAMPAIGNS + 1}) {
                assertThatThrownBy(() -> store.findCampaignsByCustomer(null, limit))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("limit " + limit).hasMessageContaining("1000");
            }
            assertThat(store.findCampaignsByCustomer("cust-a", CallStore.MAX_CUSTOMER_CAMPAIGNS)).isEmpty();
        }

        @Test
        @DisplayName("a campaign's idempotency key reads back, and a customer's key is taken once; others' keys are theirs")
        void createsKeyedCampaignOncePerCustomer() {
            Campaign first = keyed("camp-1", "cust-a", "renewals-2026");
            store.createCampaign(first);

            assertThat(store.findCampaign("camp-1")).contains(first);
            assertThatThrownBy(() -> store.createCampaign(keyed("camp-2", "cust-a", "renewals-2026")))
                    .isInstanceOfSatisfying(DuplicateCampaignException.class,
                            e -> assertThat(e.existingCampaignId()).isEqualTo("camp-1"))
                    .hasMessageContaining("renewals-2026");
            assertThat(store.findCampaign("camp-2")).isEmpty();
            store.createCampaign(keyed("camp-3", "cust-b", "renewals-2026"));
            store.createCampaign(keyed("camp-4", "cust-a", null));
            store.createCampaign(keyed("camp-5", "cust-a", null));
            assertThat(store.findCampaignsByCustomer("cust-a", 10)).extracting(Campaign::campaignId)
                    .containsExactlyInAnyOrder("camp-1", "camp-4", "camp-5");
        }

        @Test
        @DisplayName("a keyed campaign keeps its key through status changes and counted outcomes")
        void keepsKeyThroughChanges() {
            store.createCampaign(keyed("camp-1", "cust-a", "k-1"));
            store.changeCampaignStatus("camp-1", Set.of(Campaign.Status.SCHEDULED), Campaign.Status.IN_PROGRESS,
                    null, T0, null);
            store.recordCampaignOutcome("camp-1", true, Money.inr("2"));
            store.setCampaignTotal("camp-1", 7);

            assertThat(store.findCampaign("camp-1").orElseThrow().idempotencyKey()).isEqualTo("k-1");
            assertThatThrownBy(() -> store.createCampaign(keyed("camp-2", "cust-a", "k-1")))
                    .isInstanceOf(DuplicateCampaignException.class);
        }

        @Test
        @DisplayName("racing creates under one customer's key leave one campaign, and every loser learns its id")
        void racingKeyedCreatesMakeOneCampaign() throws Exception {
            List<String> outcomes = runConcurrently(2, 8, n -> {
                try {
                    store.createCampaign(keyed("camp-" + n, "cust-a", "same-key"));
                    return "created camp-" + n;
                } catch (DuplicateCampaignException e) {
                    return "existing " + e.existingCampaignId();
                }
            });

            List<Campaign> stored = store.findCampaignsByCustomer("cust-a", 100);
            assertThat(stored).hasSize(1);
            String winner = stored.get(0).campaignId();
            assertThat(outcomes).filteredOn(o -> o.startsWith("created")).containsExactly("created " + winner);
            assertThat(outcomes).filteredOn(o -> o.startsWith("existing")).hasSize(7)
                    .allMatch(o -> o.equals("existing " + winner));
        }

        private static Campaign keyed(String campaignId, String customerId, @Nullable String key) {
            Campaign c = campaign(campaignId);
            return new Campaign(campaignId, customerId, c.name(), c.category(), c.scriptTemplate(), c.totalNumbers(),
                    0, 0, 0, c.totalCost(), c.status(), c.scheduledAt(), null, null, T0, "cps=1", null, key);
        }

        @Test
        @DisplayName("the campaigns of a status are read a page at a time, oldest first, each page after the last one")
        void pagesThroughCampaignsOfAStatus() {
            store.createCampaign(campaignOf("c-3", "cust-a", 10));
            store.createCampaign(campaignOf("c-1", "cust-a", 0));
            store.createCampaign(campaignOf("c-2b", "cust-b", 5));
            store.createCampaign(campaignOf("c-2a", "cust-a", 5));
            store.createCampaign(campaignOf("c-4", "cust-a", 20));
            store.createCampaign(campaignOf("other", "cust-a", 1));
            store.changeCampaignStatus("other", Set.of(Campaign.Status.SCHEDULED), Campaign.Status.PAUSED, null, null,
                    null);

            List<Campaign> first = store.findCampaigns(Campaign.Status.SCHEDULED, null, 2);
            List<Campaign> second = store.findCampaigns(Campaign.Status.SCHEDULED, first.get(1), 2);
            List<Campaign> third = store.findCampaigns(Campaign.Status.SCHEDULED, second.get(1), 2);

            assertThat(first).extracting(Campaign::campaignId).containsExactly("c-1", "c-2a");
            assertThat(second).extracting(Campaign::campaignId).containsExactly("c-2b", "c-3");
            assertThat(third).extracting(Campaign::campaignId).containsExactly("c-4");
            assertThat(store.findCampaigns(Campaign.Status.SCHEDULED, third.get(0), 2)).isEmpty();
            assertThat(store.findCampaigns(Campaign.Status.SCHEDULED, 3)).isEqualTo(
                    store.findCampaigns(Campaign.Status.SCHEDULED, null, 3));
            assertThat(store.findCampaigns(Campaign.Status.PAUSED, null, 5)).extracting(Campaign::campaignId)
                    .containsExactly("other");
        }

        @Test
        @DisplayName("the campaigns due to start are the scheduled ones whose start time has come, earliest first")
        void findsDueCampaigns() {
            store.createCampaign(scheduledAt("later", T0.plusSeconds(60), 0));
            store.createCampaign(scheduledAt("unscheduled", null, 1));
            store.createCampaign(scheduledAt("due-now", T0, 2));
            store.createCampaign(scheduledAt("due-early", T0.minusSeconds(30), 3));
            store.createCampaign(scheduledAt("started", T0.minusSeconds(60), 4));
            store.changeCampaignStatus("started", Set.of(Campaign.Status.SCHEDULED), Campaign.Status.IN_PROGRESS,
                    null, T0, null);

            assertThat(store.findDueCampaigns(T0, 10)).extracting(Campaign::campaignId)
                    .containsExactly("due-early", "due-now");
            assertThat(store.findDueCampaigns(T0, 1)).extracting(Campaign::campaignId).containsExactly("due-early");
            assertThat(store.findDueCampaigns(T0.minusSeconds(31), 10)).isEmpty();
            assertThat(store.findDueCampaigns(T0.plusSeconds(60), 10)).extracting(Campaign::campaignId)
                    .containsExactly("due-early", "due-now", "later");
        }

        @Test
        @DisplayName("a campaign is not due in the last nanoseconds before its start time")
        void campaignIsNotDueNanosecondsEarly() {
            store.createCampaign(scheduledAt("on-the-hour", T0, 0));

            assertThat(store.findDueCampaigns(T0.minusNanos(400), 10)).isEmpty();
            assertThat(store.findDueCampaigns(T0, 10)).extracting(Campaign::campaignId).containsExactly("on-the-hour");
        }

        private static Campaign scheduledAt(String campaignId, @Nullable Instant scheduledAt, int createdSecond) {
            Campaign c = campaign(campaignId);
            return new Campaign(campaignId, c.customerId(), c.name(), c.category(), c.scriptTemplate(), c.totalNumbers(),
                    0, 0, 0, c.totalCost(), c.status(), scheduledAt, null, null, T0.plusSeconds(createdSecond));
        }

        private static Campaign campaignOf(String campaignId, String customerId, int createdSecond) {
            Campaign c = campaign(campaignId);
            return new Campaign(campaignId, customerId, c.name(), c.category(), c.scriptTemplate(), c.totalNumbers(),
                    0, 0, 0, c.totalCost(), c.status(), c.scheduledAt(), null, null, T0.plusSeconds(createdSecond));
        }

        @Test
        @DisplayName("the status changes and null times keep what was there")
        void updatesStatus() {
            store.createCampaign(campaign("camp-1"));

            store.updateCampaignStatus("camp-1", Campaign.Status.IN_PROGRESS, T0.plusSeconds(10), null);
            store.updateCampaignStatus("camp-1", Campaign.Status.PAUSED, null, null);
            Campaign paused = store.findCampaign("camp-1").orElseThrow();
            store.updateCampaignStatus("camp-1", Campaign.Status.COMPLETED, null, T0.plusSeconds(99));
            Campaign done = store.findCampaign("camp-1").orElseThrow();

            assertThat(paused.status()).isEqualTo(Campaign.Status.PAUSED);
            assertThat(paused.startedAt()).isEqualTo(T0.plusSeconds(10));
            assertThat(paused.completedAt()).isNull();
            assertThat(done.status()).isEqualTo(Campaign.Status.COMPLETED);
            assertThat(done.startedAt()).isEqualTo(T0.plusSeconds(10));
            assertThat(done.completedAt()).isEqualTo(T0.plusSeconds(99));
        }

        @Test
        @DisplayName("changing an unknown campaign is refused")
        void refusesUnknownCampaign() {
            assertThatThrownBy(() -> store.updateCampaignStatus("camp-0", Campaign.Status.PAUSED, null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("camp-0");
            assertThatThrownBy(() -> store.recordCampaignOutcome("camp-0", true, Money.inr("1")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("camp-0");
        }

        @Test
        @DisplayName("outcomes are counted with their cost")
        void countsOutcomes() {
            store.createCampaign(campaign("camp-1"));

            store.recordCampaignOutcome("camp-1", true, Money.inr("2.25"));
            store.recordCampaignOutcome("camp-1", false, Money.inr("0"));
            store.recordCampaignOutcome("camp-1", false, null);

            Campaign c = store.findCampaign("camp-1").orElseThrow();
            assertThat(c.completedCalls()).isEqualTo(3);
            assertThat(c.successfulCalls()).isEqualTo(1);
            assertThat(c.failedCalls()).isEqualTo(2);
            assertThat(c.totalCost()).isEqualTo(Money.inr("2.25"));
        }

        @Test
        @DisplayName("16 threads counting 50 outcomes each give exact totals")
        void outcomesAreAtomicUnderConcurrency() throws Exception {
            store.createCampaign(campaign("camp-1"));

            runConcurrently(16, 16, n -> {
                for (int i = 0; i < 50; i++) store.recordCampaignOutcome("camp-1", i % 5 != 0, Money.inr("0.25"));
                return null;
            });

            Campaign c = store.findCampaign("camp-1").orElseThrow();
            assertThat(c.completedCalls()).isEqualTo(800);
            assertThat(c.successfulCalls()).isEqualTo(640);
            assertThat(c.failedCalls()).isEqualTo(160);
            assertThat(c.totalCost()).isEqualTo(Money.inr("200"));
        }
    }

    @Nested
    @DisplayName("campaign targets")
    class Targets {

        @BeforeEach
        void oneCampaign() {
            store.createCampaign(campaign("camp-1"));
        }

        @Test
        @DisplayName("adding targets skips ids already present")
        void addTargetsSkipsDuplicates() {
            assertThat(store.addTargets(List.of(target("camp-1", "t1", T0), target("camp-1", "t2", T0)))).isEqualTo(2);
            assertThat(store.addTargets(List.of(target("camp-1", "t2", T0), target("camp-1", "t3", T0),
                    target("camp-1", "t3", T0)))).isEqualTo(1);

            assertThat(store.targets("camp-1")).extracting(CampaignTarget::targetId)
                    .containsExactlyInAnyOrder("t1", "t2", "t3");
            assertThat(store.targets("camp-1")).contains(target("camp-1", "t1", T0));
            assertThat(store.targets("camp-9")).isEmpty();
        }

        @Test
        @DisplayName("a target is not claimed in the last nanoseconds before its next attempt is due")
        void targetIsNotClaimedNanosecondsEarly() {
            store.addTargets(List.of(target("camp-1", "t1", T0)));

            assertThat(store.claimTargets("camp-1", 5, "node-a", T0.minusNanos(400), T0.plusSeconds(60))).isEmpty();
            assertThat(store.claimTargets("camp-1", 5, "node-a", T0, T0.plusSeconds(60)))
                    .extracting(CampaignTarget::targetId).containsExactly("t1");
        }

        @Test
        @DisplayName("only pending targets that are due are claimed, up to the maximum")
        void claimsDueTargetsUpToMax() {
            store.addTargets(List.of(target("camp-1", "t1", T0), target("camp-1", "t2", T0.plusSeconds(5)),
                    target("camp-1", "t3", T0.plusSeconds(3600)), target("camp-1", "t4", T0)));

            List<CampaignTarget> first = store.claimTargets("camp-1", 2, "node-a", T0.plusSeconds(10), T0.plusSeconds(70));
            List<CampaignTarget> second = store.claimTargets("camp-1", 5, "node-b", T0.plusSeconds(10), T0.plusSeconds(70));

            assertThat(first).hasSize(2).allSatisfy(t -> {
                assertThat(t.state()).isEqualTo(CampaignTarget.State.CLAIMED);
                assertThat(t.leaseOwner()).isEqualTo("node-a");
                assertThat(t.leaseUntil()).isEqualTo(T0.plusSeconds(70));
            });
            assertThat(second).hasSize(1);
            Set<String> claimed = new HashSet<>();
            first.forEach(t -> claimed.add(t.targetId()));
            second.forEach(t -> claimed.add(t.targetId()));
            assertThat(claimed).containsExactlyInAnyOrder("t1", "t2", "t4");
            assertThat(store.claimTargets("camp-1", 5, "node-c", T0.plusSeconds(10), T0.plusSeconds(70))).isEmpty();
        }

        @Test
        @DisplayName("a claim with a cap takes pending targets only while the claimed ones stay within it; lapsed leases always")
        void claimsWithinCap() {
            store.addTargets(List.of(target("camp-1", "t1", T0), target("camp-1", "t2", T0), target("camp-1", "t3", T0),
                    target("camp-1", "t4", T0)));

            assertThat(store.claimTargets("camp-1", 5, 2, "node-a", T0, T0.plusSeconds(60))).hasSize(2);
            assertThat(store.claimTargets("camp-1", 5, 2, "node-b", T0, T0.plusSeconds(60))).isEmpty();
            assertThat(store.claimTargets("camp-1", 5, 3, "node-b", T0, T0.plusSeconds(60))).hasSize(1);
            // the leases lapse: they are taken over, and no pending target joins them past the cap
            assertThat(store.claimTargets("camp-1", 5, 3, "node-c", T0.plusSeconds(61), T0.plusSeconds(120)))
                    .hasSize(3).allSatisfy(t -> assertThat(t.leaseOwner()).isEqualTo("node-c"));
            assertThat(store.countTargets("camp-1").pending()).isEqualTo(1);
        }

        @Test
        @DisplayName("a lapsed lease is claimed again, a live one is not")
        void reclaimsLapsedLease() {
            store.addTargets(List.of(target("camp-1", "t1", T0)));
            store.claimTargets("camp-1", 1, "node-a", T0, T0.plusSeconds(60));

            assertThat(store.claimTargets("camp-1", 1, "node-b", T0.plusSeconds(59), T0.plusSeconds(120))).isEmpty();
            List<CampaignTarget> reclaimed = store.claimTargets("camp-1", 1, "node-b", T0.plusSeconds(61),
                    T0.plusSeconds(121));

            assertThat(reclaimed).singleElement().satisfies(t -> {
                assertThat(t.targetId()).isEqualTo("t1");
                assertThat(t.leaseOwner()).isEqualTo("node-b");
                assertThat(t.leaseUntil()).isEqualTo(T0.plusSeconds(121));
            });
        }

        @Test
        @DisplayName("a target's state is replaced by updateTarget and finished targets are never claimed")
        void updatesTarget() {
            store.addTargets(List.of(target("camp-1", "t1", T0), target("camp-1", "t2", T0)));
            CampaignTarget claimed = store.claimTargets("camp-1", 1, "node-a", T0, T0.plusSeconds(60)).get(0);

            CampaignTarget done = new CampaignTarget("camp-1", claimed.targetId(), claimed.toNumber(),
                    claimed.variables(), CampaignTarget.State.DONE, 1, null, null, null, "call-77", "completed");
            store.updateTarget(done);
            String other = claimed.targetId().equals("t1") ? "t2" : "t1";
            CampaignTarget retry = new CampaignTarget("camp-1", other, target("camp-1", other, T0).toNumber(),
                    target("camp-1", other, T0).variables(), CampaignTarget.State.PENDING, 1, T0.plusSeconds(300), null, null,
                    "call-78", "busy");
            store.updateTarget(retry);

            assertThat(store.targets("camp-1")).containsExactlyInAnyOrder(done, retry);
            assertThat(store.claimTargets("camp-1", 5, "node-b", T0.plusSeconds(299), T0.plusSeconds(400))).isEmpty();
            assertThat(store.claimTargets("camp-1", 5, "node-b", T0.plusSeconds(300), T0.plusSeconds(400)))
                    .extracting(CampaignTarget::targetId).containsExactly(other);
        }

        @Test
        @DisplayName("updating a target that was never added is refused")
        void refusesUnknownTarget() {
            CampaignTarget ghost = target("camp-1", "ghost", T0);

            assertThatThrownBy(() -> store.updateTarget(ghost))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ghost");
            assertThat(store.targets("camp-1")).isEmpty();
        }

        @Test
        @DisplayName("eight concurrent claimers never share a target and claim every one exactly once")
        void concurrentClaimersNeverShareATarget() throws Exception {
            List<CampaignTarget> targets = IntStream.range(0, 200)
                    .mapToObj(i -> target("camp-1", "t" + i, T0)).toList();
            store.addTargets(targets);
            Map<String, String> owners = new ConcurrentHashMap<>();
            AtomicInteger doubleClaims = new AtomicInteger();

            runConcurrently(8, 8, n -> {
                String owner = "node-" + n;
                List<CampaignTarget> batch;
                do {
                    batch = store.claimTargets("camp-1", 7, owner, T0.plusSeconds(1), T0.plusSeconds(600));
                    for (CampaignTarget t : batch) {
                        if (owners.putIfAbsent(t.targetId(), owner) != null) doubleClaims.incrementAndGet();
                    }
                } while (!batch.isEmpty());
                return null;
            });

            assertThat(doubleClaims).hasValue(0);
            assertThat(owners).hasSize(200);
            assertThat(store.targets("camp-1")).allSatisfy(t -> {
                assertThat(t.state()).isEqualTo(CampaignTarget.State.CLAIMED);
                assertThat(t.leaseOwner()).isEqualTo(owners.get(t.targetId()));
            });
        }
    }

    @Nested
    @DisplayName("running campaigns (issue 15)")
    class CampaignRuns {

        @BeforeEach
        void campaignExists() {
            store.createCampaign(campaign("camp-1"));
        }

        @Test
        @DisplayName("policy, status reason, a routed category and a target's time zone read back")
        void roundTripsPolicyReasonAndZone() {
            Campaign routed = new Campaign("camp-2", "cust-1", "Routed", null, null, 0, 0, 0, 0, Money.inr("0"),
                    Campaign.Status.SCHEDULED, null, null, null, T0, "cps=5", null);
            store.createCampaign(routed);
            CampaignTarget zoned = CampaignTarget.pending("camp-2", "t1", "+12125550100", Map.of(), T0,
                    "America/New_York");
            store.addTargets(List.of(zoned));

            assertThat(store.findCampaign("camp-2")).contains(routed);
            assertThat(store.targets("camp-2")).containsExactly(zoned);
            assertThat(store.findTarget("camp-2", "t1")).contains(zoned);
            assertThat(store.findTarget("camp-2", "t2")).isEmpty();
            assertThat(store.findTarget("camp-9", "t1")).isEmpty();
            assertThat(store.claimTargets("camp-2", 1, "node-a", T0, T0.plusSeconds(60)))
                    .singleElement().extracting(CampaignTarget::timeZone).isEqualTo("America/New_York");
        }

        @Test
        @DisplayName("pending targets are counted by their time zone, or by their number without one")
        void countsPendingTargetsByZone() {
            assertThat(store.countPendingTargetsByZone("camp-1")).isEmpty();
            store.addTargets(List.of(
                    CampaignTarget.pending("camp-1", "t1", "+12125550101", Map.of(), T0, "America/New_York"),
                    CampaignTarget.pending("camp-1", "t2", "+12125550102", Map.of(), T0, "America/New_York"),
                    CampaignTarget.pending("camp-1", "t3", "+919876500001", Map.of(), T0, "Asia/Kolkata"),
                    CampaignTarget.pending("camp-1", "t4", "+79161234567", Map.of(), T0, null),
                    CampaignTarget.pending("camp-1", "t5", "+12125550105", Map.of(), T0, "America/New_York")));
            // all claimed, and all but t5 put back, due later
            for (CampaignTarget t : store.claimTargets("camp-1", 5, "node-a", T0, T0.plusSeconds(60))) {
                if (t.targetId().equals("t5")) continue;
                store.updateTargetIf(t.with(CampaignTarget.State.PENDING, 0, T0.plusSeconds(600), null, null, null,
                        null), CampaignTarget.State.CLAIMED, 0);
            }

            assertThat(store.countPendingTargetsByZone("camp-1")).as("t5 is claimed, not pending").isEqualTo(Map.of(
                    "America/New_York", 2, "Asia/Kolkata", 1, "+79161234567", 1));
            assertThat(store.countPendingTargetsByZone("camp-9")).isEmpty();
        }

        @Test
        @DisplayName("the lapsed leases of campaigns in the given statuses are claimed again, up to the maximum; live"
                + " leases, pending targets and other campaigns' targets are not")
        void claimsLapsedTargetsOfHaltedCampaigns() {
            store.createCampaign(campaign("camp-2"));
            store.addTargets(List.of(target("camp-1", "t1", T0), target("camp-1", "t2", T0), target("camp-1", "t3", T0),
                    target("camp-2", "t1", T0)));
            store.claimTargets("camp-1", 2, "node-a", T0, T0.plusSeconds(60));
            store.claimTargets("camp-2", 1, "node-a", T0, T0.plusSeconds(60));
            store.changeCampaignStatus("camp-1", Set.of(Campaign.Status.SCHEDULED), Campaign.Status.CANCELED, null,
                    null, T0);
            Set<Campaign.Status> halted = Set.of(Campaign.Status.PAUSED, Campaign.Status.CANCELED);

            assertThat(store.claimLapsedTargets(halted, 5, "node-b", T0.plusSeconds(59), T0.plusSeconds(120))).isEmpty();
            List<CampaignTarget> first = store.claimLapsedTargets(halted, 1, "node-b", T0.plusSeconds(61),
                    T0.plusSeconds(121));
            List<CampaignTarget> second = store.claimLapsedTargets(halted, 5, "node-c", T0.plusSeconds(61),
                    T0.plusSeconds(121));

            assertThat(first).singleElement().satisfies(t -> {
                assertThat(t.campaignId()).isEqualTo("camp-1");
                assertThat(t.state()).isEqualTo(CampaignTarget.State.CLAIMED);
                assertThat(t.leaseOwner()).isEqualTo("node-b");
                assertThat(t.leaseUntil()).isEqualTo(T0.plusSeconds(121));
            });
            assertThat(second).singleElement().satisfies(t -> {
                assertThat(t.campaignId()).isEqualTo("camp-1");
                assertThat(t.leaseOwner()).isEqualTo("node-c");
                assertThat(t.targetId()).isNotEqualTo(first.get(0).targetId());
            });
            assertThat(store.claimLapsedTargets(halted, 5, "node-d", T0.plusSeconds(61), T0.plusSeconds(121))).isEmpty();
            assertThat(store.findTarget("camp-1", "t3").orElseThrow().state()).isEqualTo(CampaignTarget.State.PENDING);
            assertThat(store.findTarget("camp-2", "t1").orElseThrow().leaseOwner()).isEqualTo("node-a");
        }

        @Test
        @DisplayName("a lease is renewed only for the node holding it, for its attempt, while the target is claimed")
        void renewsALeaseOnlyForItsHolder() {
            store.addTargets(List.of(target("camp-1", "t1", T0)));
            CampaignTarget claimed = store.claimTargets("camp-1", 1, "node-a", T0, T0.plusSeconds(30)).get(0);
            store.updateTargetIf(claimed.with(CampaignTarget.State.CLAIMED, 1, null, "node-a", T0.plusSeconds(30),
                    null, null), CampaignTarget.State.CLAIMED, 0);

            assertThat(store.renewLease("camp-1", "t1", "node-a", 1, T0.plusSeconds(50))).isTrue();
            assertThat(store.claimTargets("camp-1", 1, "node-b", T0.plusSeconds(40), T0.plusSeconds(70)))
                    .as("the renewed lease holds past the first").isEmpty();
            assertThat(store.renewLease("camp-1", "t1", "node-b", 1, T0.plusSeconds(90))).as("not its holder").isFalse();
            assertThat(store.renewLease("camp-1", "t1", "node-a", 2, T0.plusSeconds(90))).as("another attempt").isFalse();
            assertThat(store.renewLease("camp-1", "t9", "node-a", 1, T0.plusSeconds(90))).isFalse();
            assertThat(store.renewLease("camp-9", "t1", "node-a", 1, T0.plusSeconds(90))).isFalse();
            assertThat(store.findTarget("camp-1", "t1")).hasValueSatisfying(t -> {
                assertThat(t.state()).isEqualTo(CampaignTarget.State.CLAIMED);
                assertThat(t.attempts()).isEqualTo(1);
                assertThat(t.attemptUnderWay()).isTrue();
                assertThat(t.leaseOwner()).isEqualTo("node-a");
                assertThat(t.leaseUntil()).isEqualTo(T0.plusSeconds(50));
            });

            // it lapses and node b takes it over: node a no longer holds it
            assertThat(store.claimTargets("camp-1", 1, "node-b", T0.plusSeconds(50), T0.plusSeconds(80))).hasSize(1);
            assertThat(store.renewLease("camp-1", "t1", "node-a", 1, T0.plusSeconds(110))).isFalse();
            CampaignTarget taken = store.findTarget("camp-1", "t1").orElseThrow();
            assertThat(taken.leaseOwner()).isEqualTo("node-b");
            assertThat(taken.leaseUntil()).isEqualTo(T0.plusSeconds(80));
            // a target no longer claimed is not renewed, by anyone
            store.updateTargetIf(taken.with(CampaignTarget.State.PENDING, 1, T0.plusSeconds(600), null, null, "call-1",
                    "busy"), CampaignTarget.State.CLAIMED, 1);
            assertThat(store.renewLease("camp-1", "t1", "node-b", 1, T0.plusSeconds(120))).isFalse();
            assertThat(store.findTarget("camp-1", "t1").orElseThrow().leaseUntil()).isNull();
        }

        @Test
        @DisplayName("a lapsed lease renewed by its holder while another node claims it ends with exactly one holder")
        void renewalAndTakeoverHaveOneWinner() throws Exception {
            for (int i = 0; i < 10; i++) {
                String campaignId = "race-" + i;
                store.createCampaign(campaign(campaignId));
                store.addTargets(List.of(target(campaignId, "t1", T0)));
                CampaignTarget claimed = store.claimTargets(campaignId, 1, "node-a", T0, T0.plusSeconds(30)).get(0);
                store.updateTargetIf(claimed.with(CampaignTarget.State.CLAIMED, 1, null, "node-a", T0.plusSeconds(30),
                        null, null), CampaignTarget.State.CLAIMED, 0);

                List<Boolean> won = runConcurrently(2, 2, n -> n == 0
                        ? store.renewLease(campaignId, "t1", "node-a", 1, T0.plusSeconds(60))
                        : !store.claimTargets(campaignId, 1, "node-b", T0.plusSeconds(30), T0.plusSeconds(90)).isEmpty());

                assertThat(won).as(campaignId).containsOnlyOnce(true);
                CampaignTarget t = store.findTarget(campaignId, "t1").orElseThrow();
                assertThat(t.leaseOwner()).isEqualTo(won.get(0) ? "node-a" : "node-b");
                assertThat(t.leaseUntil()).isEqualTo(won.get(0) ? T0.plusSeconds(60) : T0.plusSeconds(90));
            }
        }

        @Test
        @DisplayName("a status change applies only from the expected statuses, once among racers")
        void changesStatusOnlyFromExpected() throws Exception {
            List<Boolean> moved = runConcurrently(6, 6, n -> store.changeCampaignStatus("camp-1",
                    Set.of(Campaign.Status.SCHEDULED), Campaign.Status.IN_PROGRESS, null, T0, null));

            assertThat(moved).containsOnlyOnce(true);
            assertThat(store.changeCampaignStatus("camp-1", Set.of(Campaign.Status.IN_PROGRESS),
                    Campaign.Status.PAUSED, "budget: day cap", null, null)).isTrue();
            Campaign paused = store.findCampaign("camp-1").orElseThrow();
            assertThat(paused.status()).isEqualTo(Campaign.Status.PAUSED);
            assertThat(paused.statusReason()).isEqualTo("budget: day cap");
            assertThat(paused.startedAt()).isEqualTo(T0);
            assertThat(store.changeCampaignStatus("camp-1", Set.of(Campaign.Status.SCHEDULED),
                    Campaign.Status.CANCELED, null, null, null)).isFalse();
            assertThat(store.findCampaigns(Campaign.Status.PAUSED, 10)).extracting(Campaign::campaignId)
                    .containsExactly("camp-1");
            assertThat(store.findCampaigns(Campaign.Status.IN_PROGRESS, 10)).isEmpty();
            assertThatThrownBy(() -> store.changeCampaignStatus("nope", Set.of(Campaign.Status.PAUSED),
                    Campaign.Status.IN_PROGRESS, null, null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
        }

        @Test
        @DisplayName("the hold a budget refused is kept with its campaign for every node, replaced and forgotten")
        void keepsTheBudgetNeedWithTheCampaign() {
            store.createCampaign(campaign("camp-2"));
            assertThat(store.findCampaignBudgetNeed("camp-1")).isEmpty();

            store.setCampaignBudgetNeed("camp-1", Money.inr("10.25"));
            store.changeCampaignStatus("camp-1", Set.of(Campaign.Status.SCHEDULED), Campaign.Status.PAUSED,
                    "budget: day cap", null, null);

            assertThat(store.findCampaignBudgetNeed("camp-1")).contains(Money.inr("10.25"));
            assertThat(store.findCampaignBudgetNeed("camp-2")).isEmpty();
            assertThat(store.findCampaign("camp-1").orElseThrow().statusReason()).isEqualTo("budget: day cap");
            store.setCampaignBudgetNeed("camp-1", Money.of("0.5", "USD"));
            assertThat(store.findCampaignBudgetNeed("camp-1")).contains(Money.of("0.50", "USD"));
            store.setCampaignBudgetNeed("camp-1", null);
            assertThat(store.findCampaignBudgetNeed("camp-1")).isEmpty();
            assertThatThrownBy(() -> store.setCampaignBudgetNeed("nope", Money.inr("1")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
            assertThat(store.findCampaignBudgetNeed("nope")).isEmpty();
        }

        @Test
        @DisplayName("a conditional target update applies only while state and attempts are as expected")
        void updatesTargetOnlyWhenExpected() {
            store.addTargets(List.of(target("camp-1", "t1", T0)));
            CampaignTarget claimed = store.claimTargets("camp-1", 1, "node-a", T0, T0.plusSeconds(60)).get(0);
            CampaignTarget attempt = claimed.with(CampaignTarget.State.CLAIMED, 1, null, "node-a", T0.plusSeconds(60),
                    null, null);

            assertThat(store.updateTargetIf(attempt, CampaignTarget.State.CLAIMED, 0)).isTrue();
            assertThat(store.updateTargetIf(attempt, CampaignTarget.State.CLAIMED, 0)).isFalse();
            assertThat(store.updateTargetIf(attempt, CampaignTarget.State.PENDING, 1)).isFalse();
            assertThat(store.targets("camp-1")).singleElement().satisfies(t -> {
                assertThat(t.attempts()).isEqualTo(1);
                assertThat(t.attemptUnderWay()).isTrue();
            });
        }

        @Test
        @DisplayName("an outcome finishes a target and counts it exactly once among racing nodes")
        void finishesAndCountsOnce() throws Exception {
            store.addTargets(List.of(target("camp-1", "t1", T0)));
            CampaignTarget claimed = store.claimTargets("camp-1", 1, "node-a", T0, T0.plusSeconds(60)).get(0);
            store.updateTargetIf(claimed.with(CampaignTarget.State.CLAIMED, 1, null, "node-a", T0.plusSeconds(60),
                    null, null), CampaignTarget.State.CLAIMED, 0);
            CampaignTarget done = claimed.with(CampaignTarget.State.DONE, 1, null, null, null, "call-1", "completed");

            List<Boolean> finished = runConcurrently(6, 6,
                    n -> store.finishTarget(done, 1, true, true, Money.inr("2.50")));

            assertThat(finished).containsOnlyOnce(true);
            Campaign c = store.findCampaign("camp-1").orElseThrow();
            assertThat(c.completedCalls()).isEqualTo(1);
            assertThat(c.successfulCalls()).isEqualTo(1);
            assertThat(c.failedCalls()).isZero();
            assertThat(c.totalCost()).isEqualTo(Money.inr("2.50"));
            assertThat(store.targets("camp-1")).containsExactly(done);
            assertThat(store.finishTarget(done, 1, true, false, null)).isFalse();
        }

        @Test
        @DisplayName("a target finished with an outcome that was not counted leaves the counters alone")
        void finishesWithoutCounting() {
            store.addTargets(List.of(target("camp-1", "t1", T0)));
            CampaignTarget skipped = target("camp-1", "t1", T0).with(CampaignTarget.State.SKIPPED, 0, null, null,
                    null, null, "suppressed");

            assertThat(store.finishTarget(skipped, 1, false, false, null)).isFalse();
            assertThat(store.finishTarget(skipped, 0, false, false, null)).isTrue();

            assertThat(store.findCampaign("camp-1").orElseThrow().completedCalls()).isZero();
            assertThat(store.countTargets("camp-1").skipped()).isEqualTo(1);
        }

        @Test
        @DisplayName("a target finished without being counted still adds its earlier attempts' cost, once")
        void finishesWithoutCountingAddsCost() {
            store.addTargets(List.of(target("camp-1", "t1", T0)));
            CampaignTarget skipped = target("camp-1", "t1", T0).with(CampaignTarget.State.SKIPPED, 1, null, null,
                    null, null, "suppressed");
            store.updateTarget(target("camp-1", "t1", T0).with(CampaignTarget.State.PENDING, 1, T0, null, null,
                    "call-1", "busy"));

            assertThat(store.finishTarget(skipped, 1, false, false, Money.inr("0.75"))).isTrue();
            assertThat(store.finishTarget(skipped, 1, false, false, Money.inr("0.75"))).isFalse();

            Campaign c = store.findCampaign("camp-1").orElseThrow();
            assertThat(c.completedCalls()).isZero();
            assertThat(c.failedCalls()).isZero();
            assertThat(c.totalCost().amount()).isEqualByComparingTo("0.75");
        }

        @Test
        @DisplayName("targets are counted by where they stand and paged in the order they were added")
        void countsAndPagesTargets() {
            store.addTargets(IntStream.range(0, 7).mapToObj(i -> target("camp-1", "t" + i, T0)).toList());
            List<CampaignTarget> claimed = store.claimTargets("camp-1", 3, "node-a", T0, T0.plusSeconds(60));
            CampaignTarget first = claimed.get(0);
            store.updateTargetIf(first.with(CampaignTarget.State.CLAIMED, 1, null, "node-a", T0.plusSeconds(60),
                    null, null), CampaignTarget.State.CLAIMED, 0);
            CampaignTarget second = claimed.get(1);
            store.updateTargetIf(second.with(CampaignTarget.State.PENDING, 1, T0.plusSeconds(600), null, null,
                    "call-2", "busy"), CampaignTarget.State.CLAIMED, 0);
            CampaignTarget third = claimed.get(2);
            store.finishTarget(third.with(CampaignTarget.State.FAILED, 0, null, null, null, null, "refused"), 0,
                    true, false, null);

            assertThat(store.countTargets("camp-1"))
                    .isEqualTo(new io.globalcalling.spi.store.TargetCounts(7, 5, 1, 1, 0, 1, 0, 1, 2));
            assertThat(store.countTargets("none")).isEqualTo(io.globalcalling.spi.store.TargetCounts.NONE);
            assertThat(store.targets("camp-1", 2, 3)).extracting(CampaignTarget::targetId)
                    .containsExactly("t2", "t3", "t4");
            assertThat(store.targets("camp-1", 6, 3)).extracting(CampaignTarget::targetId).containsExactly("t6");
        }

        @Test
        @DisplayName("the do-not-call list is per customer, and adding or removing twice says so")
        void keepsSuppressionList() {
            assertThat(store.suppress("cust-1", "+919876543210")).isTrue();
            assertThat(store.suppress("cust-1", "+919876543210")).isFalse();

            assertThat(store.isSuppressed("cust-1", "+919876543210")).isTrue();
            assertThat(store.isSuppressed("cust-2", "+919876543210")).isFalse();
            assertThat(store.unsuppress("cust-1", "+919876543210")).isTrue();
            assertThat(store.unsuppress("cust-1", "+919876543210")).isFalse();
            assertThat(store.isSuppressed("cust-1", "+919876543210")).isFalse();
        }
    }
}
