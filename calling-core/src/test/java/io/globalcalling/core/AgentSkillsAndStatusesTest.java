package io.globalcalling.core;

import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Skill;
import io.globalcalling.core.routing.NoRouteException;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Issue 11: open skills and the agent statuses, through the manager and the sandbox. */
class AgentSkillsAndStatusesTest {

    private final InMemoryCallStore store = new InMemoryCallStore();
    private final GlobalCallingManager manager = GlobalCallingManager.builder()
            .config(ProviderConfig.of(Map.of("sandbox.time-scale", "0.0001", "sandbox.agents.vip", "0")))
            .store(store).build();

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void aSkillNoAgentHasIsRefusedNamingItBeforeAnythingIsRecorded() {
        for (Skill skill : new Skill[] {Skill.of("klingon"), Skill.VIP}) {
            NoRouteException e = catchThrowableOfType(NoRouteException.class,
                    () -> manager.human().call(CallRequest.to("+447911230000").skill(skill).build()));

            assertThat(e).as(skill.wireName()).isNotNull();
            assertThat(e.getMessage()).contains("no active human_agent provider has an agent with skill " + skill.wireName());
        }
        assertThat(store.recent(10)).isEmpty();
    }

    @Test
    void anAgentCallIsRecordedAnsweredThenWaitingThenWithAnAgentThenCompleted() throws InterruptedException {
        CallRecord placed = manager.human().call(CallRequest.to("+447911230000").skill(Skill.SALES).build());

        CallRecord end = awaitTerminal(placed.callId());

        assertThat(end.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(end.answeredAt()).isNotNull();
        assertThat(manager.calls().events(placed.callId())).extracting(StoredEvent::status).filteredOn(Objects::nonNull)
                .containsSubsequence(CallStatus.ANSWERED, CallStatus.WAITING_FOR_AGENT, CallStatus.WITH_AGENT,
                        CallStatus.COMPLETED);
    }

    private CallRecord awaitTerminal(String callId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            CallRecord r = manager.calls().find(callId).orElseThrow();
            if (r.status().isTerminal()) return r;
            Thread.sleep(10);
        }
        throw new AssertionError("call " + callId + " did not end: " + manager.calls().find(callId));
    }
}
