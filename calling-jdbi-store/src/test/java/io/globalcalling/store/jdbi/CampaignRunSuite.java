package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.campaign.CallingWindows;
import io.globalcalling.core.campaign.CampaignEvent;
import io.globalcalling.core.campaign.CampaignPolicy;
import io.globalcalling.core.campaign.CampaignProgress;
import io.globalcalling.core.campaign.ImportReport;
import io.globalcalling.core.campaign.NewCampaign;
import io.globalcalling.core.campaign.OutcomeProvider;
import io.globalcalling.core.campaign.Outcome;
import io.globalcalling.core.campaign.Target;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15: a campaign runs on the JDBI store as on the in-memory one; each database runs this suite. */
abstract class CampaignRunSuite {

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-14T09:00:00Z"));
    private final OutcomeProvider provider = new OutcomeProvider("op");
    private GlobalCallingManager manager;

    protected abstract JdbiCallingDatabase database();

    @AfterEach
    void close() {
        if (manager != null) manager.close();
        Tables.clear(database().jdbi());
    }

    private GlobalCallingManager manager() {
        manager = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .limits(l -> l.rateWindows())   // the customer's default calls-per-minute would stretch the run
                .store(database().callStore()).ledger(database().limitLedger()).clock(clock).provider(provider)
                .campaignNode("node-a", Duration.ofSeconds(30), Duration.ZERO, 4).build();
        return manager;
    }

    private static String number(int i) {
        return "+9198765" + String.format("%05d", i);
    }

    @Test
    @DisplayName("200 targets imported from CSV run to completion with retries; counters equal the recorded attempts")
    void runsToCompletionWithRetries() {
        GlobalCallingManager m = manager();
        for (int i = 0; i < 200; i += 10) provider.script(number(i), CallStatus.BUSY, CallStatus.COMPLETED);
        String id = m.campaigns().create(NewCampaign.named("Renewals").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).script("Hello {{name}}")
                .policy(CampaignPolicy.builder().callsPerSecond(50).maxInFlight(50).windows(CallingWindows.always())
                        .retry(Outcome.BUSY, Duration.ofMinutes(5), 3).build()).build());
        String csv = "number,name\n" + IntStream.range(0, 200).mapToObj(i -> number(i) + ",N" + i)
                .collect(Collectors.joining("\n")) + "\nnot-a-number,X\n";
        ImportReport report = m.campaigns().importCsv(id, new StringReader(csv));
        assertThat(report.added()).isEqualTo(200);
        assertThat(report.problems()).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(202));
        m.campaigns().start(id);

        for (int round = 0; round < 12; round++) {
            while (m.campaigns().runOnce() > 0) {
                // place what is due in this second
            }
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofMinutes(5));
        for (int round = 0; round < 5; round++) {
            while (m.campaigns().runOnce() > 0) {
                // the retries
            }
            clock.advance(Duration.ofSeconds(1));
        }
        m.campaigns().runOnce();

        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.status()).as(p.toString()).isEqualTo(Campaign.Status.COMPLETED);
        assertThat(p.successful()).isEqualTo(200);
        assertThat(p.attempts()).isEqualTo(220);
        assertThat(provider.received()).hasSize(220);
        long records = database().jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM calling_call WHERE campaign_id = :c").bind("c", id).mapTo(Long.class).one());
        assertThat(records).isEqualTo(p.attempts());
        assertThat(provider.received().stream().map(c -> c.to().value()).distinct()).hasSize(200);
        for (int i = 0; i < 200; i += 10) assertThat(provider.callsTo(number(i))).isEqualTo(2);
    }

    @Test
    @DisplayName("an outage pauses the campaign, its list intact; resumed, a number refused every time fails as unavailable")
    void anOutagePausesTheCampaignAndANumberRefusedEveryTimeFailsAfterItsOutageAttempts() {
        GlobalCallingManager m = manager();
        String id = m.campaigns().create(NewCampaign.named("Renewals").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).script("Hello")
                .policy(CampaignPolicy.builder().callsPerSecond(50).maxInFlight(50).windows(CallingWindows.always())
                        .outageRetries(Duration.ofSeconds(10), 3).build()).build());
        m.campaigns().addTargets(id, IntStream.range(0, 12).mapToObj(i -> Target.of(number(i))).toList());
        m.campaigns().start(id);
        provider.refuseAll(ErrorReason.UNAVAILABLE);

        m.campaigns().runOnce();

        CampaignProgress paused = m.campaigns().progress(id);
        assertThat(paused.status()).as(paused.toString()).isEqualTo(Campaign.Status.PAUSED);
        assertThat(paused.statusReason()).startsWith("outage: ");
        assertThat(paused.pending()).isEqualTo(12);
        assertThat(paused.completed()).isZero();

        provider.refuseAll(null).refuse(number(3), ErrorReason.UNAVAILABLE);
        m.campaigns().resume(id);
        for (int minute = 0; minute < 30 && m.campaigns().progress(id).status() == Campaign.Status.IN_PROGRESS; minute++) {
            while (m.campaigns().runOnce() > 0) {
                // place what is due now
            }
            clock.advance(Duration.ofMinutes(1));
        }

        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.status()).as(p.toString()).isEqualTo(Campaign.Status.COMPLETED);
        assertThat(p.successful()).isEqualTo(11);
        assertThat(p.failed()).isEqualTo(1);
        CampaignTarget refused = database().callStore().targets(id).stream()
                .filter(t -> t.toNumber().equals(number(3))).findFirst().orElseThrow();
        assertThat(refused.state()).isEqualTo(CampaignTarget.State.FAILED);
        assertThat(refused.lastOutcome()).isEqualTo(Outcome.UNAVAILABLE.wireName());
        assertThat(refused.attempts()).isEqualTo(3);
        assertThat(provider.refused().stream().filter(c -> c.to().value().equals(number(3)))).hasSize(3);
        assertThat(provider.received()).hasSize(11);
    }

    @Test
    @DisplayName("a create retried under its idempotency key replays, whatever the precision of its start time")
    void replaysACreateWithANanosecondStartTime() {
        GlobalCallingManager m = manager();
        NewCampaign spec = NewCampaign.named("Later").customerId("cust-1").idempotencyKey("later-1")
                .scheduledAt(Instant.parse("2026-01-15T09:00:00.123456789Z")).build();

        String id = m.campaigns().create(spec);

        assertThat(m.campaigns().createOnce(spec).replayed()).isTrue();
        assertThat(m.campaigns().create(spec)).isEqualTo(id);
    }

    @Test
    @DisplayName("a campaign name longer than the database keeps is refused naming it, before anything is recorded")
    void refusesANameLongerThanTheDatabaseKeeps() {
        GlobalCallingManager m = manager();
        String name = "N".repeat(513);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.campaigns().create(NewCampaign.named(name)
                .customerId("cust-long").build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name").hasMessageContaining("512");
        assertThat(m.campaigns().list("cust-long", 10)).isEmpty();
        assertThat(m.campaigns().create(NewCampaign.named("N".repeat(512)).customerId("cust-long").build()))
                .as("the longest name kept").isNotNull();
    }

    @Test
    @DisplayName("the pace is counted in the database: one second takes at most callsPerSecond calls")
    void pacesThroughTheLedger() {
        GlobalCallingManager m = manager();
        String id = m.campaigns().create(NewCampaign.named("Paced").category(CallCategory.INTERNET_VOIP)
                .policy(CampaignPolicy.builder().callsPerSecond(3).maxInFlight(50).windows(CallingWindows.always())
                        .build()).build());
        m.campaigns().addTargets(id, IntStream.range(0, 10).mapToObj(i -> io.globalcalling.core.campaign.Target.of(
                number(i))).toList());
        m.campaigns().start(id);

        for (int i = 0; i < 5; i++) m.campaigns().runOnce();

        assertThat(provider.received()).hasSize(3);
        assertThat(database().callStore().findByStatus(CallStatus.COMPLETED, 50)).extracting(CallRecord::campaignId)
                .containsOnly(id);
    }

    @Test
    @DisplayName("two nodes passing over one campaign at once never hold more than maxInFlight calls in flight")
    void twoNodesShareTheInFlightCap() throws Exception {
        GlobalCallingManager a = manager();
        GlobalCallingManager b = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .limits(l -> l.rateWindows()).store(database().callStore()).ledger(database().limitLedger())
                .clock(clock).provider(provider).campaignNode("node-b", Duration.ofSeconds(30), Duration.ZERO, 4)
                .build();
        try {
            String id = a.campaigns().create(NewCampaign.named("Capped").category(CallCategory.INTERNET_VOIP)
                    .policy(CampaignPolicy.builder().callsPerSecond(50).maxInFlight(3)
                            .windows(CallingWindows.always()).build()).build());
            IntStream.range(0, 20).forEach(i -> provider.script(number(i), CallStatus.QUEUED));   // they stay in flight
            a.campaigns().addTargets(id, IntStream.range(0, 20).mapToObj(i -> io.globalcalling.core.campaign.Target.of(
                    number(i))).toList());
            a.campaigns().start(id);

            for (int round = 0; round < 5; round++) {
                java.util.concurrent.CompletableFuture<Integer> other =
                        java.util.concurrent.CompletableFuture.supplyAsync(b.campaigns()::runOnce);
                a.campaigns().runOnce();
                other.get();
                clock.advance(Duration.ofSeconds(1));
            }

            assertThat(provider.received()).hasSize(3);
            assertThat(database().callStore().countTargets(id).claimed()).isEqualTo(3);
        } finally {
            b.close();
        }
    }
    /**
     * Node A's hold is refused by the customer's budget, which pauses the campaign; node B, on the same database and
     * ledger, finds it paused and must leave it so while the budget lacks room for that hold.
     */
    @Test
    @DisplayName("a campaign its budget paused on one node stays paused on another while the budget lacks room")
    void aBudgetPauseHoldsOnEveryNode() {
        GlobalCallingManager a = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .limits(l -> l.rateWindows().customerBudgets("cust-1", Budget.daily(Money.inr("5"))))
                .store(database().callStore()).ledger(database().limitLedger()).clock(clock).provider(provider)
                .campaignNode("node-a", Duration.ofSeconds(30), Duration.ZERO, 4).build();
        manager = a;
        GlobalCallingManager b = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .limits(l -> l.rateWindows().customerBudgets("cust-1", Budget.daily(Money.inr("5"))))
                .store(database().callStore()).ledger(database().limitLedger()).clock(clock).provider(provider)
                .campaignNode("node-b", Duration.ofSeconds(30), Duration.ZERO, 4).build();
        try {
            List<CampaignEvent> onB = new CopyOnWriteArrayList<>();
            b.campaigns().onEvent(onB::add);
            String id = a.campaigns().create(NewCampaign.named("Budgeted").customerId("cust-1")
                    .category(CallCategory.INTERNET_VOIP).policy(CampaignPolicy.builder()
                            .windows(CallingWindows.always()).build()).build());
            a.campaigns().addTargets(id, List.of(Target.of(number(1)), Target.of(number(2))));
            a.campaigns().start(id);
            a.campaigns().runOnce();
            assertThat(a.campaigns().find(id).statusReason()).startsWith("budget: ");

            for (int pass = 0; pass < 3; pass++) b.campaigns().runOnce();

            assertThat(onB).isEmpty();
            assertThat(b.campaigns().find(id).status()).isEqualTo(Campaign.Status.PAUSED);
            b.limits().setCustomerBudgets("cust-1", Budget.daily(Money.inr("1000")));
            for (int pass = 0; pass < 4; pass++) {
                b.campaigns().runOnce();
                clock.advance(Duration.ofSeconds(1));   // a call a second, the policy's pace
            }
            assertThat(b.campaigns().progress(id).status()).isEqualTo(Campaign.Status.COMPLETED);
            assertThat(provider.received()).hasSize(2);
        } finally {
            b.close();
        }
    }
}
