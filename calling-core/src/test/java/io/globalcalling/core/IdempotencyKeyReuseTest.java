package io.globalcalling.core;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.QualityPreference;
import io.globalcalling.Skill;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.store.DuplicateCallException;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An idempotency key names one request: a retry of it is answered with its call, and the key reused for a request
 * that says or spends anything else is refused, whether or not the call's record keeps what differs.
 */
class IdempotencyKeyReuseTest {

    private static final String INDIA = "+919876543210";

    private final MutableClock clock = MutableClock.create();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final FakeCallProvider provider = FakeCallProvider.builder().id("fake").clock(clock)
            .categories(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED)
            .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1.00")))
            .rate(Rate.perMinute(CallCategory.AI_AUTOMATED, "", Money.inr("2.00")))
            .build();
    private final GlobalCallingManager manager = GlobalCallingManager.builder().discoverProviders(false)
            .config(ProviderConfig.empty()).store(store).clock(clock).provider(provider).build();

    @AfterEach
    void close() {
        manager.close();
    }

    private static CallRequest.Builder otpCall() {
        return CallRequest.to(INDIA).customerId("acme").idempotencyKey("otp-7").category(CallCategory.AI_AUTOMATED)
                .script("Your code is {{otp}}").variable("otp", "4711").variable("name", "Asha")
                .metadata("order", "A-1").metadata("channel", "app");
    }

    @Test
    void aRetryOfTheSameRequestIsAnsweredWithItsCallHoweverItsMapsAreOrdered() {
        CallRecord first = manager.call(otpCall().build());
        CallRequest sameInAnotherOrder = CallRequest.to(INDIA).customerId("acme").idempotencyKey("otp-7")
                .category(CallCategory.AI_AUTOMATED).script("Your code is {{otp}}").variable("name", "Asha")
                .variable("otp", "4711").metadata("channel", "app").metadata("order", "A-1").build();

        CallPlacement again = manager.callOnce(sameInAnotherOrder);

        assertThat(again.replayed()).isTrue();
        assertThat(again.call().callId()).isEqualTo(first.callId());
        assertThat(provider.receivedCalls()).hasSize(1);
    }

    @Test
    void aKeyReusedForARequestThatSaysOrSpendsSomethingElseIsRefusedAndNothingIsSent() {
        CallRecord first = manager.call(otpCall().build());
        Map<String, UnaryOperator<CallRequest.Builder>> others = new LinkedHashMap<>();
        others.put("another variable", b -> b.variable("otp", "9931"));
        others.put("another script", b -> b.script("Your new code is {{otp}}"));
        others.put("a cost cap", b -> b.maxCostPerMinute(Money.inr("100")));
        others.put("a location", b -> b.location(28.61, 77.21));
        others.put("a language", b -> b.language("hi-IN"));
        others.put("a voice", b -> b.voice("Aditi"));
        others.put("a longest duration", b -> b.maxDuration(Duration.ofMinutes(1)));
        others.put("a recording", b -> b.record(true));
        others.put("machine detection", b -> b.machineDetection(true));
        others.put("a quality preference", b -> b.quality(QualityPreference.LOWEST_COST));
        others.put("a skill", b -> b.skill(Skill.SALES));
        others.put("known coverage", b -> b.terrestrialCoverage(true));
        others.put("an answer URL", b -> b.answerUrl("https://host.example/answer"));
        others.put("a payload", b -> b.payload("{\"order\":\"A-1\"}"));
        others.put("no pinned category", b -> CallRequest.to(INDIA).customerId("acme").idempotencyKey("otp-7")
                .script("Your code is {{otp}}").variable("otp", "4711").variable("name", "Asha")
                .metadata("order", "A-1").metadata("channel", "app"));

        others.forEach((what, change) -> assertThatThrownBy(() -> manager.call(change.apply(otpCall()).build()))
                .as(what).isInstanceOf(DuplicateCallException.class)
                .hasMessageContaining("otp-7").hasMessageContaining(first.callId())
                .hasMessageNotContaining("4711").hasMessageNotContaining("9931").hasMessageNotContaining(INDIA));

        assertThat(provider.receivedCalls()).hasSize(1);
        assertThat(manager.calls().recent(10)).hasSize(1);
    }

    @Test
    void aRecordThatKeptNoFingerprintIsComparedByWhatItKeeps() {
        // as a store that keeps no fingerprint, or a database row from before fingerprints, hands it back
        CallRecord legacy = CallRecord.initiated("call-legacy", "acme", CallCategory.INTERNET_VOIP, null, INDIA, null,
                Priority.NORMAL, "order-9", null, Money.inr("10"), Money.inr("2"), List.of("voip"), false,
                clock.instant(), Map.of("order", "A-9"));
        store.create(legacy);
        CallRequest.Builder same = CallRequest.to(INDIA).customerId("acme").idempotencyKey("order-9")
                .metadata("order", "A-9");

        assertThat(manager.callOnce(same.build())).satisfies(p -> {
            assertThat(p.replayed()).isTrue();
            assertThat(p.call().callId()).isEqualTo("call-legacy");
        });
        for (CallRequest other : List.of(CallRequest.to("+919812340001").customerId("acme").idempotencyKey("order-9")
                        .metadata("order", "A-9").build(),
                CallRequest.to(INDIA).customerId("acme").idempotencyKey("order-9").metadata("order", "B-2").build(),
                CallRequest.to(INDIA).customerId("acme").idempotencyKey("order-9").metadata("order", "A-9")
                        .priority(Priority.EMERGENCY).build())) {
            assertThatThrownBy(() -> manager.call(other)).isInstanceOf(DuplicateCallException.class)
                    .hasMessageContaining("order-9");
        }
        assertThat(provider.receivedCalls()).isEmpty();
    }
}
