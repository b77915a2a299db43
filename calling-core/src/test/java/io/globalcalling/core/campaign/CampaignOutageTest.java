package io.globalcalling.core.campaign;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.limits.ClockTimeMeter;
import io.globalcalling.core.limits.Pace;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider outage: every option refuses a campaign's call before taking it (nobody is called). The target is
 * tried again after a backoff, a bounded number of times, and an outage across the campaign pauses it.
 */
class CampaignOutageTest {

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-14T09:00:00Z"));
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final OutcomeProvider provider = new OutcomeProvider("op");
    private final List<CampaignEvent> events = new CopyOnWriteArrayList<>();
    private GlobalCallingManager manager;

    @AfterEach
    void close() {
        if (manager != null) manager.close();
    }

    private GlobalCallingManager manager() {
        manager = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty()).store(store)
                .clock(clock).provider(provider).campaignNode("node-a", Duration.ofSeconds(30), Duration.ZERO, 2)
                .build();
        manager.campaigns().onEvent(events::add);
        return manager;
    }

    private static CampaignPolicy.Builder policy() {
        return CampaignPolicy.builder().callsPerSecond(100).maxInFlight(100).windows(CallingWindows.always());
    }

    private static String indian(int i) {
        return "+9198765" + String.format("%05d", i);
    }

    private static String[] indians(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(CampaignOutageTest::indian).toArray(String[]::new);
    }

    private String campaign(GlobalCallingManager m, CampaignPolicy policy, String... numbers) {
        String id = m.campaigns().create(NewCampaign.named("Renewals").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).script("Hello, your plan renews soon.").policy(policy).build());
        m.campaigns().addTargets(id, java.util.Arrays.stream(numbers).map(Target::of).toList());
        return id;
    }

    private static void runUntilIdle(GlobalCallingManager m) {
        for (int i = 0; i < 50 && m.campaigns().runOnce() > 0; i++) {
            // each pass places what is due now
        }
        m.campaigns().runOnce();
    }

    /** Passes a minute apart until the campaign is no longer in progress (at most a day). */
    private void runUntilSettled(GlobalCallingManager m, String id) {
        for (int minute = 0; minute < 24 * 60; minute++) {
            runUntilIdle(m);
            if (m.campaigns().progress(id).status() != Campaign.Status.IN_PROGRESS) return;
            clock.advance(Duration.ofMinutes(1));
        }
    }

    private CampaignTarget target(String id, String number) {
        return store.targets(id).stream().filter(t -> t.toNumber().equals(number)).findFirst().orElseThrow();
    }

    private static long callsTo(List<OutboundCall> calls, String number) {
        return calls.stream().filter(c -> c.to().value().equals(number)).count();
    }

    @Test
    @DisplayName("through an outage no target fails; once the providers are back every target is called once")
    void anOutageThenRecoveryCallsEveryTargetOnceAndFailsNone() {
        GlobalCallingManager m = manager();
        // one call a day per number: an attempt the providers refused rang no one, so it holds no number back
        String id = campaign(m, policy().frequencyCap(1, Duration.ofDays(1)).build(), indians(3));
        m.campaigns().start(id);
        provider.refuseAll(ErrorReason.UNAVAILABLE);

        m.campaigns().runOnce();

        CampaignProgress during = m.campaigns().progress(id);
        assertThat(during.failed()).as("no target fails through an outage").isZero();
        assertThat(during.refused()).isZero();
        assertThat(during.completed()).isZero();
        assertThat(during.status()).isEqualTo(Campaign.Status.IN_PROGRESS);
        assertThat(store.targets(id)).allSatisfy(t -> {
            assertThat(t.state()).isEqualTo(CampaignTarget.State.PENDING);
            assertThat(t.lastOutcome()).isEqualTo("unavailable");
            assertThat(t.nextAttemptAt()).as("tried again later, not at once").isAfter(clock.instant());
        });
        Duration firstWait = Duration.between(clock.instant(), target(id, indian(1)).nextAttemptAt());
        m.campaigns().runOnce();   // still backing off: nothing is asked
        assertThat(provider.refused()).hasSize(3);

        clock.advance(firstWait);
        m.campaigns().runOnce();
        assertThat(provider.refused()).hasSize(6);
        assertThat(Duration.between(clock.instant(), target(id, indian(1)).nextAttemptAt()))
                .as("a second refusal waits longer than the first").isGreaterThan(firstWait);

        provider.refuseAll(null);
        clock.advance(Duration.ofHours(1));
        runUntilIdle(m);

        CampaignProgress after = m.campaigns().progress(id);
        assertThat(after.status()).isEqualTo(Campaign.Status.COMPLETED);
        assertThat(after.successful()).isEqualTo(3);
        assertThat(after.failed()).isZero();
        assertThat(after.refused()).isZero();
        assertThat(provider.received()).hasSize(3);
        for (String number : indians(3)) assertThat(callsTo(provider.received(), number)).isEqualTo(1);
    }

    @Test
    @DisplayName("a number every provider refuses every time fails after the outage attempts; the campaign completes")
    void aNumberRefusedEveryTimeFailsAfterItsOutageAttemptsAndTheCampaignCompletes() {
        provider.refuse(indian(2), ErrorReason.UNAVAILABLE);
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().build(), indians(3));
        m.campaigns().start(id);

        runUntilSettled(m, id);

        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.status()).as("the campaign is not walked for ever, nor paused for one number")
                .isEqualTo(Campaign.Status.COMPLETED);
        assertThat(p.completed()).isEqualTo(3);
        assertThat(p.successful()).isEqualTo(2);
        assertThat(p.failed()).isEqualTo(1);
        CampaignTarget refused = target(id, indian(2));
        assertThat(refused.state()).isEqualTo(CampaignTarget.State.FAILED);
        assertThat(refused.lastOutcome()).as("the providers refused it, distinct from a call that failed")
                .isEqualTo("unavailable");
        assertThat(refused.attempts()).isEqualTo(5);
        assertThat(callsTo(provider.refused(), indian(2))).isEqualTo(5);
        assertThat(provider.received()).hasSize(2);
        assertThat(events).noneMatch(e -> e instanceof CampaignEvent.Paused);
        assertThat(events).filteredOn(e -> e instanceof CampaignEvent.TargetDone d && d.number().equals(indian(2)))
                .singleElement().satisfies(e -> {
                    assertThat(((CampaignEvent.TargetDone) e).outcome().wireName()).isEqualTo("unavailable");
                    assertThat(((CampaignEvent.TargetDone) e).attempts()).isEqualTo(5);
                });
    }

    @Test
    @DisplayName("an outage across the campaign pauses it, naming the outage, its list intact; resumed, it completes")
    void anOutageAcrossTheCampaignPausesItWithItsListIntact() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().build(), indians(12));
        m.campaigns().start(id);
        provider.refuseAll(ErrorReason.UNAVAILABLE);

        m.campaigns().runOnce();
        int refusedBeforePause = provider.refused().size();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofHours(1));
            m.campaigns().runOnce();
        }

        CampaignProgress paused = m.campaigns().progress(id);
        assertThat(paused.status()).as("paused, not walked through nor completed").isEqualTo(Campaign.Status.PAUSED);
        assertThat(paused.statusReason()).startsWith("outage: ");
        assertThat(paused.failed()).isZero();
        assertThat(paused.refused()).isZero();
        assertThat(paused.completed()).isZero();
        assertThat(paused.pending()).isEqualTo(12);
        assertThat(store.targets(id)).noneMatch(CampaignTarget::isFinished);
        assertThat(provider.refused()).as("nothing more is tried while it is paused").hasSize(refusedBeforePause);
        assertThat(events).filteredOn(e -> e instanceof CampaignEvent.Paused).singleElement()
                .satisfies(e -> assertThat(((CampaignEvent.Paused) e).reason()).startsWith("outage: "));

        provider.refuseAll(null);
        m.campaigns().resume(id);
        clock.advance(Duration.ofHours(1));
        runUntilIdle(m);

        CampaignProgress after = m.campaigns().progress(id);
        assertThat(after.status()).isEqualTo(Campaign.Status.COMPLETED);
        assertThat(after.successful()).isEqualTo(12);
        assertThat(after.failed()).isZero();
        assertThat(provider.received()).hasSize(12);
    }

    @Test
    @DisplayName("an attempt every provider refused uses up none of a retry rule's attempts")
    void aRefusedAttemptCountsAgainstNoRetryRule() {
        provider.script(indian(1), CallStatus.FAILED, CallStatus.FAILED);
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().retry(Outcome.FAILED, Duration.ofMinutes(1), 2).build(), indian(1));
        m.campaigns().start(id);
        provider.refuseAll(ErrorReason.RATE_LIMITED);
        m.campaigns().runOnce();
        clock.advance(Duration.ofHours(1));
        m.campaigns().runOnce();
        assertThat(provider.refused()).hasSize(2);

        provider.refuseAll(null);
        runUntilSettled(m, id);

        assertThat(provider.received()).as("both calls the retry rule allows are made").hasSize(2);
        CampaignTarget t = target(id, indian(1));
        assertThat(t.state()).isEqualTo(CampaignTarget.State.FAILED);
        assertThat(t.lastOutcome()).isEqualTo("failed");
        assertThat(t.attempts()).isEqualTo(4);
        assertThat(m.campaigns().progress(id).failed()).isEqualTo(1);
    }

    @Test
    @DisplayName("a call no provider's pacing queue had a turn for was refused before any took it: tried again later")
    void aCallThePacingQueuesRefusedIsTriedAgainAsAnOutage() {
        // one turn a second at the provider, and no wait for one: the second call finds the queue full
        manager = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty()).store(store)
                .clock(clock).provider(provider).campaignNode("node-a", Duration.ofSeconds(30), Duration.ZERO, 1)
                .pacing(p -> p.pace("op", Pace.of(1, 1)).maxWait(Duration.ZERO).timeMeter(new ClockTimeMeter(clock))
                        .clock(clock))
                .build();
        String id = campaign(manager, policy().build(), indians(2));
        manager.campaigns().start(id);

        manager.campaigns().runOnce();

        assertThat(provider.received()).hasSize(1);
        CampaignProgress p = manager.campaigns().progress(id);
        assertThat(p.failed()).as("nobody was called: no target fails").isZero();
        CampaignTarget waiting = store.targets(id).stream().filter(t -> !t.isFinished()).findFirst().orElseThrow();
        assertThat(waiting.state()).isEqualTo(CampaignTarget.State.PENDING);
        assertThat(waiting.lastOutcome()).isEqualTo("unavailable");
        assertThat(waiting.nextAttemptAt()).as("tried again after the outage delay").isAfter(clock.instant());

        clock.advance(Duration.ofMinutes(1));
        runUntilIdle(manager);
        assertThat(manager.campaigns().progress(id).successful()).isEqualTo(2);
        assertThat(provider.received()).hasSize(2);
    }

    @Test
    @DisplayName("the outage settings are checked, default to 30 s, 5 attempts and 10 targets, and are kept")
    void theOutageSettingsAreCheckedAndKept() {
        CampaignPolicy defaults = CampaignPolicy.defaults();
        assertThat(defaults.outageDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.outageAttempts()).isEqualTo(5);
        assertThat(defaults.outagePause()).isEqualTo(10);

        CampaignPolicy set = policy().outageRetries(Duration.ofMinutes(2), 3).outagePause(4).build();
        CampaignPolicy read = CampaignPolicy.fromText(set.toText());
        assertThat(read.outageDelay()).isEqualTo(Duration.ofMinutes(2));
        assertThat(read.outageAttempts()).isEqualTo(3);
        assertThat(read.outagePause()).isEqualTo(4);
        assertThat(read).isEqualTo(set);

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> policy().outageRetries(Duration.ZERO, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outage delay");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> policy().outageRetries(Duration.ofSeconds(1), 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outage attempts");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> policy().outagePause(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outage pause");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> policy().retry(Outcome.UNAVAILABLE,
                Duration.ofSeconds(1), 2))).isInstanceOf(IllegalArgumentException.class);
    }
}
