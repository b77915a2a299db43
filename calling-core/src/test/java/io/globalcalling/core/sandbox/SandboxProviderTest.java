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
    void aRefusedWebhookUrlIsNamedWithoutItsCredentials() {
        SandboxProvider sandbox = sandbox(SandboxConfig.defaults());
        String url = "https://admin:s3cret-pw@hooks.example.com/hook/";

        for (OutboundCall refused : List.of(call("i", CallCategory.SYSTEM_API, CallRequest.to(url + "0004")),
                call("u", CallCategory.SYSTEM_API, CallRequest.to(url + "0005")),
                call("s", CallCategory.SATELLITE, CallRequest.to(url + "1234")))) {
            assertThat(catchThrowableOfType(ProviderException.class, () -> sandbox.place(refused)))
                    .hasMessageContaining("hooks.example.com/hook/").hasMessageNotContaining("s3cret-pw");
        }
    }

    @Test
    void eachMagicOutcomePlaysItsWholeTimelineOutInOrder() {
        SandboxProvider sandbox = sandbox(SandboxConfig.defaults());
        Map<String, List<CallStatus>> timelines = Map.of(
                "+14155550001", List.of(CallStatus.QUEUED, CallStatus.RINGING, CallStatus.BUSY),
                "+14155550002", List.of(CallStatus.QUEUED, CallStatus.RINGING, CallStatus.NO_ANSWER),
                "+14155550003", List.of(CallStatus.QUEUED, CallStatus.FAILED));

        timelines.forEach((to, statuses) -> {
            String id = sandbox.place(voip("t" + to, to)).providerCallId();
            CallEvent end = context.events().awaitTerminal(id, WAIT);
            List<CallEvent> events = context.events().eventsFor(id);
            assertThat(events).as(to).extracting(CallEvent::status).containsExactlyElementsOf(statuses);
            Duration queuedToEnd = Duration.between(events.get(0).occurredAt(), end.occurredAt());
            Duration ringingToEnd = Duration.between(events.get(1).occurredAt(), end.occurredAt());
            switch (end.status()) {
                case BUSY -> assertThat(ringingToEnd).isEqualTo(Duration.ofSeconds(3));
                case NO_ANSWER -> assertThat(ringingToEnd).isEqualTo(Duration.ofSeconds(30));
                default -> assertThat(queuedToEnd).isEqualTo(Duration.ofSeconds(1));
            }
            assertThat(end.details()).containsEntry("simulated", "true").containsEntry("category", "internet_voip");
        });
        OutboundCall delivery = call("s-0", CallCategory.SYSTEM_API, CallRequest.to("https://hooks.example.com/orders/0000"));
        String id = sandbox.place(delivery).providerCallId();
        context.events().awaitTerminal(id, WAIT);
        assertThat(context.events().eventsFor(id)).extracting(CallEvent::status)
                .containsExactly(CallStatus.QUEUED, CallStatus.COMPLETED);
    }

    @Test
    void eventsWithNothingButTheCommonDetailsShareOneMap() {
        SandboxProvider sandbox = sandbox(SandboxConfig.defaults());
        String first = sandbox.place(voip("p-1", "+14155550001")).providerCallId();
        String second = sandbox.place(voip("p-2", "+14155550001")).providerCallId();

        CallEvent a = context.events().awaitStatus(first, CallStatus.RINGING, WAIT);
        CallEvent b = context.events().awaitStatus(second, CallStatus.RINGING, WAIT);
        assertThat(b.details()).isSameAs(a.details())
                .isEqualTo(Map.of("simulated", "true", "category", "internet_voip"));
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
    void humanAgentCallIsAnsweredThenWaitsForAnAgentThenTalksToOne() {
        SandboxProvider sandbox = sandbox(SandboxConfig.defaults());

        String id = sandbox.place(human("h0", Priority.NORMAL)).providerCallId();
        CallEvent completed = context.events().awaitTerminal(id, WAIT);

        List<CallEvent> events = context.events().eventsFor(id);
        assertThat(events).extracting(CallEvent::status).containsExactly(CallStatus.QUEUED, CallStatus.RINGING,
                CallStatus.ANSWERED, CallStatus.WAITING_FOR_AGENT, CallStatus.WITH_AGENT, CallStatus.COMPLETED);
        assertThat(events).extracting(CallEvent::occurredAt).isSorted();
        CallEvent withAgent = events.get(4);
        assertThat(withAgent.details()).containsEntry("agent", "sales-0001").containsEntry("skill", "sales")
                .containsEntry("queued_seconds", "0.0");
        assertThat(events.get(3).details()).doesNotContainKey("queue_position").doesNotContainKey("agent");
        // the callee is connected from the answer: that is what is billed
        assertThat(Duration.between(events.get(2).occurredAt(), completed.occurredAt())).isEqualTo(completed.duration());
        assertThat(completed.details()).containsEntry("agent", "sales-0001");
    }

    @Test
    void answeredHumanAgentCallsWaitForAFreeAgentWithEmergencyServedFirst() {
        // slow enough that a call is answered long before the agent's call would end; hang-ups free the agent
        SandboxProvider sandbox = sandbox(new SandboxConfig(1, 0.05, Map.of(Skill.SALES, 1, Skill.GENERAL, 3)));

        String first = sandbox.place(human("h1", Priority.NORMAL)).providerCallId();
        assertThat(context.events().awaitStatus(first, CallStatus.WITH_AGENT, WAIT).details()).containsEntry("agent", "sales-0001");
        String normal = sandbox.place(human("h2", Priority.NORMAL)).providerCallId();
        CallEvent normalWaiting = context.events().awaitStatus(normal, CallStatus.WAITING_FOR_AGENT, WAIT);
        String emergency = sandbox.place(human("h3", Priority.EMERGENCY)).providerCallId();
        CallEvent emergencyWaiting = context.events().awaitStatus(emergency, CallStatus.WAITING_FOR_AGENT, WAIT);
        sandbox.hangUp(first);
        CallEvent emergencyWithAgent = context.events().awaitStatus(emergency, CallStatus.WITH_AGENT, WAIT);
        sandbox.hangUp(emergency);
        context.events().awaitStatus(normal, CallStatus.WITH_AGENT, WAIT);
        sandbox.hangUp(normal);

        assertThat(normalWaiting.details()).containsEntry("queue_position", "1");
        assertThat(emergencyWaiting.details()).containsEntry("queue_position", "1");
        List<String> agentOrder = context.events().events().stream()
                .filter(e -> e.status() == CallStatus.WITH_AGENT).map(CallEvent::providerCallId).toList();
        assertThat(agentOrder).containsExactly(first, emergency, normal);
        assertThat(emergencyWithAgent.details()).containsEntry("agent", "sales-0001").containsEntry("skill", "sales");
        // it waited from its answer until the first call ended (queued_seconds has a tenth of a second's precision)
        assertThat(new BigDecimal(emergencyWithAgent.details().get("queued_seconds"))).isNotNegative();
        assertThat(emergencyWithAgent.occurredAt()).isAfter(emergencyWaiting.occurredAt());
        assertThat(List.of(first, emergency, normal)).allSatisfy(id ->
                assertThat(sandbox.fetch(id).orElseThrow().status()).isEqualTo(CallStatus.COMPLETED));
    }

    @Test
    void aSkillWithNoSimulatedAgentIsRefusedAndAnyOpenSkillWithAgentsIsServed() {
        SandboxProvider sandbox = sandbox(new SandboxConfig(1, 0.0005, Map.of(Skill.of("spanish"), 1)));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> sandbox.place(
                call("h-vip", CallCategory.HUMAN_AGENT, CallRequest.to("+919876500000").skill(Skill.VIP))));
        String served = sandbox.place(call("h-es", CallCategory.HUMAN_AGENT,
                CallRequest.to("+919876500000").skill(Skill.of("spanish")))).providerCallId();

        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.getMessage()).contains("skill vip");
        assertThat(context.events().awaitStatus(served, CallStatus.WITH_AGENT, WAIT).details())
                .containsEntry("agent", "spanish-0001");
        assertThat(sandbox.capabilities().agentsBySkill()).containsExactly(Map.entry(Skill.of("spanish"), 1));
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
        assertThat(e.getMessage()).contains("system_api cannot reach phone number +919*******00")
                .doesNotContain("9876500000");
    }

    @Test
    void hangingUpBeforeAnswerCancels() {
        SandboxProvider sandbox = sandbox(new SandboxConfig(1, 1.0, Map.of(Skill.SALES, 1)));

        String first = sandbox.place(human("h1", Priority.NORMAL)).providerCallId();
        sandbox.hangUp(first);

        assertThat(sandbox.fetch(first)).get().extracting(CallEvent::status).isEqualTo(CallStatus.CANCELED);
    }

    @Test
    void hangingUpWithAnAgentCompletesTheCallAndFreesTheAgentForTheNextWaitingCall() {
        SandboxProvider sandbox = sandbox(new SandboxConfig(1, 0.0005, Map.of(Skill.SALES, 1)));
        OutboundCall longCall = call("h1", CallCategory.HUMAN_AGENT,
                CallRequest.to("+919876500000").skill(Skill.SALES).maxDuration(Duration.ofHours(4)));

        String first = sandbox.place(longCall).providerCallId();
        context.events().awaitStatus(first, CallStatus.WITH_AGENT, WAIT);
        String waiting = sandbox.place(human("h2", Priority.NORMAL)).providerCallId();
        context.events().awaitStatus(waiting, CallStatus.WAITING_FOR_AGENT, WAIT);
        sandbox.hangUp(first);

        CallEvent ended = sandbox.fetch(first).orElseThrow();
        assertThat(ended.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(ended.duration()).isPositive();
        assertThat(context.events().awaitStatus(waiting, CallStatus.WITH_AGENT, WAIT).details())
                .containsEntry("agent", "sales-0001");
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
