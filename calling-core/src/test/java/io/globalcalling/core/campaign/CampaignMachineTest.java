package io.globalcalling.core.campaign;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: answering-machine handling end to end, and a campaign's cost as the sum of every attempt's
 * settled cost. The provider reports the machine verdict and the price in its callbacks.
 */
class CampaignMachineTest {

    private static final String INDIA = "+919876543210";

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-14T09:00:00Z"));
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final ScriptedProvider provider = ScriptedProvider.builder().id("sp").clock(clock)
            .categories(CallCategory.AI_AUTOMATED).perMinute(Money.inr("2.00")).build();
    private final List<GlobalCallingManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    private GlobalCallingManager manager(String node) {
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .store(store).clock(clock).provider(provider)
                .campaignNode(node, Duration.ofSeconds(30), Duration.ZERO, 2).build();
        managers.add(m);
        return m;
    }

    private String campaign(GlobalCallingManager m, CampaignPolicy policy) {
        String id = m.campaigns().create(NewCampaign.named("Renewals").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).script("Hello {{name}}.").policy(policy).build());
        m.campaigns().addTargets(id, List.of(Target.of(INDIA, Map.of("name", "Asha"))));
        m.campaigns().start(id);
        return id;
    }

    private static CampaignPolicy.Builder policy(MachineAction action) {
        return CampaignPolicy.builder().callsPerSecond(10).maxInFlight(10).windows(CallingWindows.always())
                .machineAction(action);
    }

    /** Places the target's next attempt and returns its call id. */
    private String placeNext(GlobalCallingManager m) {
        int before = provider.attempts().size();
        m.campaigns().runOnce();
        assertThat(provider.attempts()).hasSize(before + 1);
        return provider.attempts().get(before).callId();
    }

    private void callback(GlobalCallingManager m, String callId, CallStatus status, @Nullable String answeredBy,
                          @Nullable Money price) {
        String providerCallId = provider.providerCallIdOf(callId).orElseThrow();
        if (status.isTerminal()) provider.advance(providerCallId, status, Duration.ofSeconds(40), price);
        else provider.advance(providerCallId, status);
        m.webhooks().handle("sp", provider.callback(new CallEvent("sp", providerCallId, null, status, clock.instant(),
                null, status.isTerminal() ? Duration.ofSeconds(40) : null, price, null, null, answeredBy, Map.of())));
    }

    private CampaignTarget target(String id) {
        return store.findTarget(id, INDIA).orElseThrow();
    }

    @Test
    @DisplayName("machine detection is asked for, and leave-message lets the script play: the target is done")
    void leavesTheMessage() {
        GlobalCallingManager m = manager("node-a");
        String id = campaign(m, policy(MachineAction.LEAVE_MESSAGE).build());

        String call = placeNext(m);
        callback(m, call, CallStatus.ANSWERED, "machine_end_beep", null);
        assertThat(provider.statusOf(call)).contains(CallStatus.ANSWERED);   // not hung up
        callback(m, call, CallStatus.COMPLETED, null, Money.inr("1.50"));
        m.campaigns().runOnce();

        CampaignTarget t = target(id);
        assertThat(t.state()).isEqualTo(CampaignTarget.State.DONE);
        assertThat(t.lastOutcome()).isEqualTo("completed");
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.successful()).isEqualTo(1);
        assertThat(p.totalCost()).isEqualTo(Money.inr("1.50"));
        assertThat(p.status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("hang-up ends a machine-answered call at once; the target is finished unsuccessful, never retried")
    void hangsUpOnAMachine() {
        GlobalCallingManager m = manager("node-a");
        String id = campaign(m, policy(MachineAction.HANG_UP)
                .retry(Outcome.NO_ANSWER, Duration.ZERO, 3).retry(Outcome.MACHINE, Duration.ZERO, 3).build());

        String call = placeNext(m);
        callback(m, call, CallStatus.ANSWERED, "machine_start", null);
        assertThat(provider.statusOf(call)).contains(CallStatus.CANCELED);   // hung up by the campaign
        callback(m, call, CallStatus.CANCELED, null, Money.inr("0.20"));
        clock.advance(Duration.ofHours(1));
        m.campaigns().runOnce();
        m.campaigns().runOnce();

        assertThat(provider.attempts()).hasSize(1);
        CampaignTarget t = target(id);
        assertThat(t.state()).isEqualTo(CampaignTarget.State.FAILED);
        assertThat(t.lastOutcome()).isEqualTo("machine");
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.failed()).isEqualTo(1);
        assertThat(p.successful()).isZero();
        assertThat(p.totalCost()).isEqualTo(Money.inr("0.20"));
        assertThat(p.status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("a person answering is a completed call in every machine mode")
    void aPersonIsNotAMachine() {
        GlobalCallingManager m = manager("node-a");
        String id = campaign(m, policy(MachineAction.HANG_UP).build());

        String call = placeNext(m);
        callback(m, call, CallStatus.ANSWERED, "human", null);
        assertThat(provider.statusOf(call)).contains(CallStatus.ANSWERED);
        callback(m, call, CallStatus.COMPLETED, null, Money.inr("2.00"));

        assertThat(target(id).state()).isEqualTo(CampaignTarget.State.DONE);
        assertThat(m.campaigns().progress(id).successful()).isEqualTo(1);
    }

    @Test
    @DisplayName("retry hangs up on a machine and retries it by its rule; the cost is every attempt's, counted once")
    void retriesAMachineAndCountsEveryAttemptsCost() {
        GlobalCallingManager a = manager("node-a");
        GlobalCallingManager b = manager("node-b");
        String id = campaign(a, policy(MachineAction.RETRY).retry(Outcome.MACHINE, Duration.ofMinutes(10), 3).build());

        String first = placeNext(a);
        callback(a, first, CallStatus.ANSWERED, "machine_start", null);
        assertThat(provider.statusOf(first)).contains(CallStatus.CANCELED);
        callback(a, first, CallStatus.CANCELED, null, Money.inr("0.40"));
        assertThat(target(id).lastOutcome()).isEqualTo("machine");
        assertThat(a.campaigns().progress(id).retriesScheduled()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(10));
        String second = placeNext(b);   // the retry, from the other node
        callback(b, second, CallStatus.ANSWERED, "human", null);
        callback(b, second, CallStatus.COMPLETED, null, Money.inr("3.00"));
        // the end told again, and both nodes passing over the campaign, count nothing twice
        callback(a, second, CallStatus.COMPLETED, null, Money.inr("3.00"));
        clock.advance(Duration.ofMinutes(1));
        a.campaigns().runOnce();
        b.campaigns().runOnce();

        CampaignProgress p = a.campaigns().progress(id);
        assertThat(p.attempts()).isEqualTo(2);
        assertThat(p.successful()).isEqualTo(1);
        assertThat(p.totalCost()).isEqualTo(Money.inr("3.40"));
        assertThat(store.findCampaign(id).orElseThrow().totalCost()).isEqualTo(Money.inr("3.40"));

        StringBuilder csv = new StringBuilder();
        a.campaigns().exportReport(id, csv);
        List<String> lines = csv.toString().lines().toList();
        assertThat(lines.get(0)).endsWith(",cost,target_cost");
        assertThat(lines.get(1)).contains(",canceled,").endsWith(",0.4 INR,3.4 INR");
        assertThat(lines.get(2)).contains(",completed,").endsWith(",3 INR,3.4 INR");
    }

    @Test
    @DisplayName("a call a person answered is never retried, however it ended (hung up, dropped): the target is done")
    void anAnsweredCallIsNeverRetried() {
        GlobalCallingManager m = manager("node-a");
        String id = campaign(m, CampaignPolicy.builder().callsPerSecond(10).maxInFlight(10)
                .windows(CallingWindows.always()).retry(Outcome.FAILED, Duration.ofMinutes(5), 3).build());

        String call = placeNext(m);
        callback(m, call, CallStatus.ANSWERED, "human", null);
        // the host hangs the answered call up mid-talk, which its provider reports as canceled
        callback(m, call, CallStatus.CANCELED, null, Money.inr("1.20"));
        clock.advance(Duration.ofHours(1));
        m.campaigns().runOnce();
        m.campaigns().runOnce();

        assertThat(provider.attempts()).as("the person was reached; the number is not dialled again").hasSize(1);
        CampaignTarget t = target(id);
        assertThat(t.state()).isEqualTo(CampaignTarget.State.DONE);
        assertThat(t.lastOutcome()).isEqualTo("completed");
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.successful()).isEqualTo(1);
        assertThat(p.totalCost()).isEqualTo(Money.inr("1.20"));
        assertThat(p.status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("a target suppressed before its retry still counts what its earlier attempt cost")
    void countsEarlierAttemptsOfASuppressedTarget() {
        GlobalCallingManager m = manager("node-a");
        String id = campaign(m, CampaignPolicy.builder().callsPerSecond(10).maxInFlight(10)
                .windows(CallingWindows.always()).retry(Outcome.BUSY, Duration.ofMinutes(5), 3).build());

        String first = placeNext(m);
        callback(m, first, CallStatus.BUSY, null, Money.inr("0.30"));
        m.campaigns().suppress("cust-1", INDIA);
        clock.advance(Duration.ofMinutes(5));
        m.campaigns().runOnce();

        assertThat(provider.attempts()).hasSize(1);
        assertThat(target(id).state()).isEqualTo(CampaignTarget.State.SKIPPED);
        assertThat(m.campaigns().progress(id).totalCost()).isEqualTo(Money.inr("0.30"));
    }
}
