package io.globalcalling.core.placement;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import io.globalcalling.QualityPreference;
import io.globalcalling.Secret;
import io.globalcalling.Skill;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFingerprintTest {

    private static final Secret KEY = Secret.of("fingerprint-key-for-tests");

    private static CallRequest.Builder request() {
        return CallRequest.to("+919876543210").customerId("acme").idempotencyKey("otp-7")
                .category(CallCategory.AI_AUTOMATED).script("Your code is {{otp}}").variable("otp", "4711")
                .metadata("order", "A-1");
    }

    @Test
    void everyComponentOfARequestChangesItsFingerprint() {
        Map<String, UnaryOperator<CallRequest.Builder>> changes = new LinkedHashMap<>();
        changes.put("to", b -> CallRequest.to("+919812340001").customerId("acme").idempotencyKey("otp-7")
                .category(CallCategory.AI_AUTOMATED).script("Your code is {{otp}}").variable("otp", "4711")
                .metadata("order", "A-1"));
        changes.put("from", b -> b.from("+14155550100"));
        changes.put("category", b -> b.category(CallCategory.INTERNET_VOIP));
        changes.put("purpose", b -> b.purpose(Purpose.SALES));
        changes.put("priority", b -> b.priority(Priority.EMERGENCY));
        changes.put("location", b -> b.location(28.61, 77.21));
        changes.put("terrestrialCoverage", b -> b.terrestrialCoverage(false));
        changes.put("maxCostPerMinute", b -> b.maxCostPerMinute(Money.inr("5")));
        changes.put("quality", b -> b.quality(QualityPreference.BEST_QUALITY));
        changes.put("skill", b -> b.skill(Skill.VIP));
        changes.put("language", b -> b.language("hi-IN"));
        changes.put("voice", b -> b.voice("Aditi"));
        changes.put("script", b -> b.script("Your new code is {{otp}}"));
        changes.put("variables", b -> b.variable("otp", "9931"));
        changes.put("answerUrl", b -> b.answerUrl("https://host.example/answer"));
        changes.put("payload", b -> b.payload("{}"));
        changes.put("binaryPayload", b -> b.category(CallCategory.SATELLITE).payload(new byte[] {1}));
        changes.put("record", b -> b.record(true));
        changes.put("machineDetection", b -> b.machineDetection(true));
        changes.put("maxDuration", b -> b.maxDuration(Duration.ofMinutes(1)));
        changes.put("customerId", b -> b.customerId("globex"));
        changes.put("idempotencyKey", b -> b.idempotencyKey("otp-8"));
        changes.put("campaignId", b -> b.campaignId("cmp_1"));
        changes.put("metadata", b -> b.metadata("order", "B-2"));
        String base = RequestFingerprint.of(request().build(), KEY);

        assertThat(changes.keySet()).as("a change for each component, so none is left out")
                .containsExactlyElementsOf(Arrays.stream(CallRequest.class.getRecordComponents())
                        .map(RecordComponent::getName).toList());
        changes.forEach((component, change) -> assertThat(RequestFingerprint.of(change.apply(request()).build(), KEY))
                .as(component).isNotEqualTo(base));
        assertThat(RequestFingerprint.of(request().category(CallCategory.SATELLITE).build(), KEY))
                .as("binaryPayload alone").isNotEqualTo(RequestFingerprint.of(request().category(CallCategory.SATELLITE)
                        .payload(new byte[] {1}).build(), KEY));
    }

    @Test
    void theSameRequestHasTheSameFingerprintUnderOneKeyAndAnotherUnderAnotherKey() {
        String fingerprint = RequestFingerprint.of(request().maxCostPerMinute(Money.inr("5")).build(), KEY);

        assertThat(RequestFingerprint.of(request().maxCostPerMinute(Money.inr("5.00")).build(), KEY))
                .isEqualTo(fingerprint).startsWith(RequestFingerprint.VERSION).hasSize(3 + 64);
        assertThat(RequestFingerprint.of(request().maxCostPerMinute(Money.inr("5")).build(), Secret.of("another key")))
                .isNotEqualTo(fingerprint);
    }
}
