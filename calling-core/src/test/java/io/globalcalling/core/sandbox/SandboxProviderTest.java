package io.globalcalling.core.sandbox;

import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.Priority;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.Skill;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SandboxProviderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestProviderContext context = TestProviderContext.create();
    private final List<SandboxProvider> providers = new ArrayList<>();

    @AfterEach
    void close() {
        providers.forEach(SandboxProvider::close);
        context.close();
    }

    private SandboxProvider sandbox(SandboxConfig config) {
        SandboxProvider p = new SandboxProvider(config, context);
        providers.add(p);
        return p;
    }

    private static OutboundCall call(String id, CallCategory category, CallRequest.Builder request) {
        return OutboundCall.builder(id, category, request.category(category).build()).build();
    }

    private static OutboundCall voip(String id, String to) {
        return call(id, CallCategory.INTERNET_VOIP, CallRequest.to(to));
    }

    @Test
    void completedCallMovesThroughEveryStatusAndIsPricedFromTheDeck() {
        SandboxProvider sandbox = sandbox(SandboxConfig.defaults());

        PlacedCall placed = sandbox.place(voip("call-1", "+919876500000"));
        CallEvent completed = context.events().awaitTerminal(placed.providerCallId(), WAIT);

        List<CallEvent> events = context.events().eventsFor(placed.providerCallId());
        assertThat(placed.providerCallId()).startsWith("SBX");
        assertThat(events).extracting(CallEvent::status)
                .containsExactly(CallStatus.QUEUED, CallStatus.RINGING, CallStatus.ANSWERED, CallStatus.COMPLETED);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.details()).containsEntry("simulated", "true");
            assertThat(e.callId()).isEqualTo("call-1");
        });
        assertThat(events).extracting(CallEvent::occurredAt).isSorted();
        assertThat(events.get(0).occurredAt()).isEqualTo(context.clock().instant());
        Duration talk = completed.duration();
        assertThat(Duration.between(events.get(2).occurredAt(), completed.occurredAt())).isEqualTo(talk);
        long billedMinutes = (talk.toSeconds() + 59) / 60;
        assertThat(completed.price()).isEqualTo(Money.inr("0.50").times(billedMinutes).rounded());
        assertThat(sandbox.fetch(placed.providerCallId())).contains(completed);
    }

    @Test
    void magicNumbersGiveTheirDocumentedOutcomes() {
        SandboxProvider sandbox = sandbox(SandboxConfig.defaults());

        String busy = sandbox.place(voip("b", "+14155550001")).providerCallId();
        String noAnswer = sandbox.place(voip("n", "+14155550002")).providerCallId();
        String failed = sandbox.place(voip("f", "+14155550003")).providerCallId();

        assertThat(context.events().awaitTerminal(busy, WAIT).status()).isEqualTo(CallStatus.BUSY);
        assertThat(context.events().awaitTerminal(noAnswer, WAIT).status()).isEqualTo(CallStatus.NO_ANSWER);
        CallEvent failure = context.events().awaitTerminal(failed, WAIT);
        assertThat(failure.status()).isEqualTo(CallStatus.FAILED);
        assertThat(failure.price().isZero()).isTrue();
        assertThat(catchThrowableOfType(ProviderException.class, () -> sandbox.place(voip("i", "+14155550004"))).reason())
                .isEqualTo(ErrorReason.INVALID_DESTINATION);
        assertThat(catchThrowableOfType(ProviderException.class, () -> sandbox.place(voip("u", "+14155550005"))).reason())
                .isEqualTo(ErrorReason.UNAVAILABLE);
    }

    @Test
    void theSameSeedGivesTheSameOutcomesAndOutcomesVary() {
        List<CallStatus> first = outcomesOfTwentyCalls(sandbox(new SandboxConfig(7, 0.0001, Map.of())));
        context.events().clear();
        List<CallStatus> second = outcomesOfTwentyCalls(sandbox(new SandboxConfig(7, 0.0001, Map.of())));

        assertThat(second).isEqualTo(first);
        assertThat(first).contains(CallStatus.COMPLETED).hasSizeGreaterThan(0);
        assertThat(first.stream().distinct().count()).as("outcomes of 20 calls").isGreaterThan(1);
    }

    private List<CallStatus> outcomesOfTwentyCalls(SandboxProvider sandbox) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) ids.add(sandbox.place(voip("c" + i, "+4420794600" + (10 + i))).providerCallId());
        return ids.stream().map(id -> context.events().awaitTerminal(id, WAIT).status()).toList();
    }

    @Test
    void humanAgentCallsWaitForAFreeAgentWithEmergencyServedFirst() {
        SandboxProvider sandbox = sandbox(new SandboxConfig(1, 0.0005, Map.of(Skill.SALES, 1, Skill.GENERAL, 3)));

        String first = sandbox.place(human("h1", Priority.NORMAL)).providerCallId();
        String normal = sandbox.place(human("h2", Priority.NORMAL)).providerCallId();
        String emergency = sandbox.place(human("h3", Priority.EMERGENCY)).providerCallId();

        CallEvent normalQueued = context.events().awaitStatus(normal, CallStatus.QUEUED, WAIT);
        CallEvent emergencyQueued = context.events().awaitStatus(emergency, CallStatus.QUEUED, WAIT);
        assertThat(normalQueued.details()).containsEntry("queue_position", "1");
        assertThat(emergencyQueued.details()).containsEntry("queue_position", "1");
        context.events().awaitTerminal(normal, WAIT);

        List<String> ringingOrder = context.events().events().stream()
                .filter(e -> e.status() == CallStatus.RINGING).map(CallEvent::providerCallId).toList();
        assertThat(ringingOrder).containsExactly(first, emergency, normal);
        CallEvent emergencyRinging = context.events().awaitStatus(emergency, CallStatus.RINGING, WAIT);
        assertThat(emergencyRinging.details()).containsEntry("agent", "sales-0001").containsEntry("skill", "sales");
        assertThat(new BigDecimal(emergencyRinging.details().get("queued_seconds"))).isPositive();
        CallEvent firstCompleted = context.events().awaitTerminal(first, WAIT);
        assertThat(emergencyRinging.occurredAt()).isAfter(firstCompleted.occurredAt());
    }

    private static OutboundCall human(String id, Priority priority) {
        return call(id, CallCategory.HUMAN_AGENT, CallRequest.to("+919876500000").skill(Skill.SALES).priority(priority));
    }

    @Test
    void aiCallCarriesWhatWasSpokenAndASentimentOfTheReply() {
        SandboxProvider sandbox = sandbox(SandboxConfig.defaults());
        CallRequest request = CallRequest.to("+919876500000").category(CallCategory.AI_AUTOMATED).language("hi-IN")
                .script("Namaste {{name}}, your order ships today.").variable("name", "Asha").build();
        OutboundCall call = OutboundCall.builder("ai-1", CallCategory.AI_AUTOMATED, request)
                .spokenText("Namaste Asha, your order ships today.").build();

        CallEvent completed = context.events().awaitTerminal(sandbox.place(call).providerCallId(), WAIT);

        assertThat(completed.transcript()).startsWith("sandbox voice (hi-IN): Namaste Asha, your order ships today.\ncallee: ");
        String reply = completed.transcript().substring(completed.transcript().indexOf("callee: ") + 8);
        assertThat(completed.details())
                .containsEntry("sentiment", Sentiment.of(reply).label())
                .containsEntry("sentiment_score", Integer.toString(Sentiment.of(reply).score()))
                .containsEntry("language", "hi-IN");
        assertThat(completed.price()).isEqualTo(Money.inr("1.00").times((completed.duration().toSeconds() + 59) / 60).rounded());
    }

    @Test
    void aiCallInALanguageTheVoiceDoesNotSpeakIsRejected() {
        SandboxProvider sandbox = sandbox(SandboxConfig.defaults());
        OutboundCall call = call("ai-2", CallCategory.AI_AUTOMATED, CallRequest.to("+919876500000").language("tlh-QO"));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> sandbox.place(call));

        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.getMessage()).contains("tlh-QO");
    }

    @Test
    void systemApiCallIsDeliveredAndPricedPerCall() {
        SandboxProvider sandbox = sandbox(SandboxConfig.defaults());
        OutboundCall call = call("s-1", CallCategory.SYSTEM_API, CallRequest.to("https://hooks.example.com/orders/0000"));

        CallEvent completed = context.events().awaitTerminal(sandbox.place(call).providerCallId(), WAIT);

        assertThat(completed.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(completed.price()).isEqualTo(Money.inr("0.01"));
        assertThat(completed.details()).containsEntry("delivered", "simulated");
    }

    @Test
    void aCategoryIsRefusedADestinationOfTheWrongKind() {
        SandboxProvider sandbox = sandbox(SandboxConfig.defaults());

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> sandbox.place(call("s-2", CallCategory.SYSTEM_API, CallRequest.to("+919876500000"))));

        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_DESTINATION);
        assertThat(e.getMessage()).contains("system_api cannot reach phone number +919876500000");
    }

    @Test
    void hangingUpBeforeAnswerCancelsAndFreesTheAgent() {
        SandboxProvider sandbox = sandbox(new SandboxConfig(1, 1.0, Map.of(Skill.SALES, 1)));

        String first = sandbox.place(human("h1", Priority.NORMAL)).providerCallId();
        String waiting = sandbox.place(human("h2", Priority.NORMAL)).providerCallId();
        sandbox.hangUp(waiting);
        sandbox.hangUp(first);

        assertThat(sandbox.fetch(first)).get().extracting(CallEvent::status).isEqualTo(CallStatus.CANCELED);
        assertThat(sandbox.fetch(waiting)).get().extracting(CallEvent::status).isEqualTo(CallStatus.CANCELED);
        String next = sandbox.place(human("h3", Priority.NORMAL)).providerCallId();
        assertThat(context.events().awaitStatus(next, CallStatus.QUEUED, WAIT).details()).doesNotContainKey("queue_position");
    }

    @Test
    void declaresFiveThousandAgentsTheDeclaredLanguagesAndGlobalCoverage() {
        SandboxProvider sandbox = sandbox(SandboxConfig.defaults());

        assertThat(sandbox.capabilities().totalAgents()).isEqualTo(5000);
        assertThat(sandbox.capabilities().simulated()).isTrue();
        assertThat(sandbox.capabilities().ttsLanguages()).hasSize(120).contains("hi-IN", "en-US", "ta-IN", "zh-CN");
        assertThat(sandbox.coverage().global()).isTrue();
        assertThat(sandbox.coverage().countries()).contains("IN", "US", "AQ").hasSizeGreaterThanOrEqualTo(195);
    }
}
