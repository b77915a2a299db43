package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Secret;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.DuplicateCallException;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An idempotency key reused for another request is refused on the JDBI store too, by the request fingerprint its
 * call keeps, on another node or after a restart as well; run on H2 and PostgreSQL by the subclasses.
 */
abstract class IdempotencyKeyReuseSuite {

    static StoreSettings settings() {
        return StoreSettings.builder().erasureKey(Secret.of("erasure-key-for-tests")).build();
    }

    /** The suite's database, opened again each time: another node's, or this node's after a restart. */
    abstract JdbiCallingDatabase open();

    private final MutableClock clock = MutableClock.create();
    private final FakeCallProvider provider = FakeCallProvider.builder().id("fake").clock(clock)
            .categories(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED).build();

    private GlobalCallingManager manager(JdbiCallingDatabase db) {
        return GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .store(db.callStore()).ledger(db.limitLedger()).clock(clock).provider(provider).build();
    }

    private static CallRequest.Builder otpCall(String to, String key) {
        return CallRequest.to(to).customerId("acme").idempotencyKey(key).category(CallCategory.AI_AUTOMATED)
                .script("Your code is {{otp}}").variable("otp", "4711").metadata("order", "A-1");
    }

    @Test
    void aKeyReusedForAnotherScriptOrCodeIsRefusedOnAnotherNodeAndARetryIsAnsweredWithItsCall() {
        String to = "+919812340011";
        String callId;
        try (JdbiCallingDatabase db = open(); GlobalCallingManager m = manager(db)) {
            callId = m.call(otpCall(to, "otp-11").build()).callId();
            assertThat(db.callStore().find(callId).orElseThrow().requestFingerprint()).startsWith("v1:")
                    .doesNotContain("4711", to.substring(1));
        }

        try (JdbiCallingDatabase db = open(); GlobalCallingManager m = manager(db)) {
            assertThat(m.callOnce(otpCall(to, "otp-11").build())).satisfies(p -> {
                assertThat(p.replayed()).isTrue();
                assertThat(p.call().callId()).isEqualTo(callId);
            });
            for (CallRequest other : List.of(otpCall(to, "otp-11").variable("otp", "9931").build(),
                    otpCall(to, "otp-11").script("Your new code is {{otp}}").build(),
                    otpCall(to, "otp-11").maxCostPerMinute(Money.inr("50")).build(),
                    otpCall(to, "otp-11").location(28.61, 77.21).build(),
                    otpCall(to, "otp-11").language("hi-IN").build())) {
                assertThatThrownBy(() -> m.call(other)).isInstanceOf(DuplicateCallException.class)
                        .hasMessageContaining("otp-11").hasMessageContaining(callId);
            }
            assertThat(db.callStore().findByNumber(to, 10)).hasSize(1);
        }
        assertThat(provider.receivedCalls()).hasSize(1);
    }

    @Test
    void aRowWrittenBeforeFingerprintsIsComparedByWhatItKeeps() {
        String to = "+919812340012";
        try (JdbiCallingDatabase db = open(); GlobalCallingManager m = manager(db)) {
            db.callStore().create(CallRecord.initiated("call-before-v16", "acme", CallCategory.INTERNET_VOIP, null, to,
                    null, Priority.NORMAL, "order-12", null, Money.inr("10"), Money.inr("2"), List.of("voip"), false,
                    clock.instant(), Map.of("order", "A-12")));

            assertThat(m.call(CallRequest.to(to).customerId("acme").idempotencyKey("order-12").metadata("order", "A-12")
                    .build()).callId()).isEqualTo("call-before-v16");
            assertThatThrownBy(() -> m.call(CallRequest.to(to).customerId("acme").idempotencyKey("order-12")
                    .metadata("order", "B-12").build())).isInstanceOf(DuplicateCallException.class);
        }
        assertThat(provider.receivedCalls()).isEmpty();
    }

    /** Erasure clears the fingerprint: the erased number and any other are answered alike, so neither is confirmed. */
    @Test
    void erasureClearsTheFingerprintSoThatNoRetryConfirmsTheErasedNumber() {
        String to = "+919812340013";
        try (JdbiCallingDatabase db = open(); GlobalCallingManager m = manager(db)) {
            String callId = m.call(otpCall(to, "otp-13").build()).callId();
            db.callStore().update(CallUpdate.of(callId, clock.instant()).status(CallStatus.COMPLETED).cost(Money.inr("0")));

            assertThat(db.callStore().erase(to).calls()).isEqualTo(1);

            assertThat(db.callStore().find(callId).orElseThrow().requestFingerprint()).isNull();
            for (String number : List.of(to, "+919812340014")) {
                assertThatThrownBy(() -> m.call(otpCall(number, "otp-13").build()))
                        .isInstanceOf(DuplicateCallException.class).hasMessageNotContaining(to);
            }
        }
        assertThat(provider.receivedCalls()).hasSize(1);
    }
}
