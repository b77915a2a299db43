package io.globalcalling.core.campaign;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.core.limits.Pace;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.testkit.MutableClock;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.io.StringReader;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 15: campaigns on the in-memory store, driven pass by pass on a clock the test moves. */
class CampaignsTest {

    /** A Wednesday, 09:00 UTC: 14:30 in India, 04:00 in New York. */
    private static final Instant WEDNESDAY_0900Z = Instant.parse("2026-01-14T09:00:00Z");
    private static final String INDIA = "+919876543210";
    private static final String NEW_YORK = "+12125550123";

    private final MutableClock clock = MutableClock.at(WEDNESDAY_0900Z);
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final OutcomeProvider provider = new OutcomeProvider("op");
    private final List<GlobalCallingManager> managers = new ArrayList<>();
    private final List<CampaignEvent> events = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    private GlobalCallingManager manager() {
        return manager(b -> { });
    }

    private GlobalCallingManager manager(Consumer<GlobalCallingManager.Builder> customizer) {
        GlobalCallingManager.Builder b = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).store(store).clock(clock).provider(provider)
                .campaignNode("node-a", Duration.ofSeconds(30), Duration.ZERO, 2);
        customizer.accept(b);
        GlobalCallingManager m = b.build();
        managers.add(m);
        m.campaigns().onEvent(events::add);
        return m;
    }

    private static CampaignPolicy.Builder policy() {
        return CampaignPolicy.builder().callsPerSecond(100).maxInFlight(100).windows(CallingWindows.always());
    }

    private static String indian(int i) {
        return "+9198765" + String.format("%05d", i);
    }

    private String campaign(GlobalCallingManager m, CampaignPolicy policy, String... numbers) {
        String id = m.campaigns().create(NewCampaign.named("Renewals").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).script("Hello {{name}}, your plan renews soon.")
                .policy(policy).build());
        m.campaigns().addTargets(id, java.util.Arrays.stream(numbers).map(n -> Target.of(n, Map.of("name", "Asha")))
                .toList());
        return id;
    }

    private static void runUntilIdle(GlobalCallingManager m) {
        for (int i = 0; i < 50 && m.campaigns().runOnce() > 0; i++) {
            // each pass places what is due now
        }
        m.campaigns().runOnce();
    }

    @Test
    @DisplayName("a campaign places each target once, speaks its script and completes with its counters")
    void runsToCompletion() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().build(), indian(1), indian(2), indian(3), indian(4), indian(5));
        m.campaigns().start(id);

        runUntilIdle(m);

        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.status()).isEqualTo(Campaign.Status.COMPLETED);
        assertThat(p.total()).isEqualTo(5);
        assertThat(p.completed()).isEqualTo(5);
        assertThat(p.successful()).isEqualTo(5);
        assertThat(p.attempts()).isEqualTo(5);
        assertThat(p.pending()).isZero();
        assertThat(p.remaining()).isNull();
        assertThat(provider.received()).hasSize(5)
                .allSatisfy(c -> assertThat(c.spokenText()).isEqualTo("Hello Asha, your plan renews soon."));
        assertThat(store.findCampaign(id).orElseThrow().totalNumbers()).isEqualTo(5);
        assertThat(events).filteredOn(e -> e instanceof CampaignEvent.TargetDone).hasSize(5);
        assertThat(events).last().isInstanceOf(CampaignEvent.Completed.class);
    }

    /**
     * Node A was running before any campaign existed; node B creates and starts one, and works none of it (its tick is
     * zero, as when it stops at once): node A, scheduling nothing of its own, still finds it and works it to the end.
     */
    @Test
    @DisplayName("a node started before any campaign existed works one another node created and started")
    void aNodeWorksACampaignAnotherNodeCreatedAndStarted() throws Exception {
        CountDownLatch completed = new CountDownLatch(1);
        GlobalCallingManager nodeA = manager(b -> b.campaignNode("node-a", Duration.ofMillis(100), Duration.ofMillis(10), 2));
        nodeA.campaigns().onEvent(e -> {
            if (e instanceof CampaignEvent.Completed) completed.countDown();
        });
        GlobalCallingManager nodeB = manager(b -> b.campaignNode("node-b", Duration.ofSeconds(30), Duration.ZERO, 2));
        String id = campaign(nodeB, policy().build(), indian(1), indian(2), indian(3));

        nodeB.campaigns().start(id);

        assertThat(completed.await(10, TimeUnit.SECONDS)).as("node A completed the campaign").isTrue();
        assertThat(nodeA.campaigns().progress(id).successful()).isEqualTo(3);
        assertThat(provider.received()).hasSize(3);
    }

    @Test
    @DisplayName("campaigns are listed newest first, one customer's or everyone's, with a checked limit")
    void listsCampaignsNewestFirst() {
        GlobalCallingManager m = manager();
        String first = m.campaigns().create(NewCampaign.named("First").customerId("cust-1").build());
        clock.advance(Duration.ofSeconds(1));
        String theirs = m.campaigns().create(NewCampaign.named("Theirs").customerId("cust-2").build());
        clock.advance(Duration.ofSeconds(1));
        String second = m.campaigns().create(NewCampaign.named("Second").customerId("cust-1").build());

        assertThat(m.campaigns().list("cust-1", 10)).extracting(Campaign::campaignId).containsExactly(second, first);
        assertThat(m.campaigns().list(null, 2)).extracting(Campaign::campaignId).containsExactly(second, theirs);
        assertThatThrownBy(() -> m.campaigns().list("cust-1", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit 0").hasMessageContaining("1000");
        assertThatThrownBy(() -> m.campaigns().list(null, 1001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit 1001");
    }

    @Test
    @DisplayName("settings every call would be refused for (caller id, category) are refused at create; nothing is recorded")
    void refusesSettingsNoCallCouldBePlacedWith() {
        GlobalCallingManager m = manager();

        assertThatThrownBy(() -> m.campaigns().create(NewCampaign.named("Caller").customerId("cust-1")
                .from("+10005552671").build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from").hasMessageContaining("+10005552671");
        assertThatThrownBy(() -> m.campaigns().create(NewCampaign.named("Hooks").customerId("cust-1")
                .category(CallCategory.SYSTEM_API).build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("system_api");
        assertThat(m.campaigns().list("cust-1", 10)).isEmpty();
        assertThat(m.campaigns().create(NewCampaign.named("Caller").customerId("cust-1").from(NEW_YORK).build()))
                .as("a valid caller id").isNotNull();
    }

    @Test
    @DisplayName("an ai_automated campaign without a script is refused at create, naming the script, as such a call is;"
            + " nothing is recorded")
    void refusesAnAiCampaignWithoutAScript() {
        GlobalCallingManager m = manager();
        assertThatThrownBy(() -> m.call(io.globalcalling.CallRequest.to(INDIA).customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("script");

        assertThatThrownBy(() -> m.campaigns().create(NewCampaign.named("Silent").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("script")
                .hasMessageContaining("ai_automated");
        assertThatThrownBy(() -> m.campaigns().createOnce(NewCampaign.named("Silent").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).idempotencyKey("silent-1").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("script");
        assertThat(m.campaigns().list("cust-1", 10)).isEmpty();
        assertThat(m.campaigns().create(NewCampaign.named("Spoken").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).script("Hello.").build())).as("with a script").isNotNull();
        assertThat(m.campaigns().create(NewCampaign.named("Routed").customerId("cust-1").build()))
                .as("no category: routing chooses per target").isNotNull();
    }

    @Test
    @DisplayName("a notification or alert campaign with neither a category nor a script is refused at create with the"
            + " message call() gives: routing sends each such call to a phone number as ai_automated, which needs a"
            + " script; nothing is recorded")
    void refusesABulkNotificationWithoutAScript() {
        GlobalCallingManager m = manager();
        for (io.globalcalling.Purpose purpose : List.of(io.globalcalling.Purpose.NOTIFICATION,
                io.globalcalling.Purpose.ALERT)) {
            Throwable byCall = org.assertj.core.api.Assertions.catchThrowable(() -> m.call(
                    io.globalcalling.CallRequest.to(INDIA).customerId("cust-1").purpose(purpose).build()));
            assertThat(byCall).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("script is required");

            assertThatThrownBy(() -> m.campaigns().create(NewCampaign.named("Outage").customerId("cust-1")
                    .purpose(purpose).build())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(byCall.getMessage());
        }
        assertThat(m.campaigns().list("cust-1", 10)).isEmpty();
        assertThat(m.campaigns().create(NewCampaign.named("Spoken").customerId("cust-1")
                .purpose(io.globalcalling.Purpose.NOTIFICATION).script("The service is back.").build()))
                .as("with a script").isNotNull();
        assertThat(m.campaigns().create(NewCampaign.named("Agents").customerId("cust-1")
                .purpose(io.globalcalling.Purpose.NOTIFICATION).category(CallCategory.HUMAN_AGENT).build()))
                .as("a category of its own").isNotNull();
        assertThat(m.campaigns().create(NewCampaign.named("Sales").customerId("cust-1")
                .purpose(io.globalcalling.Purpose.SALES).build())).as("routed as internet_voip").isNotNull();
    }

    @Test
    @DisplayName("a script of control characters only is refused as blank at create, as call() refuses it")
    void refusesAScriptWithNothingToSay() {
        GlobalCallingManager m = manager();
        assertThatThrownBy(() -> m.call(io.globalcalling.CallRequest.to(INDIA).customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).script("\u0007\t").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("script must not be blank");

        assertThatThrownBy(() -> NewCampaign.named("Silent").category(CallCategory.AI_AUTOMATED).script("\u0007\t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("script")
                .hasMessageContaining("must not be blank");
    }

    @Test
    @DisplayName("a create retried under its customer's idempotency key returns the first campaign; another customer's key is its own")
    void createsOncePerIdempotencyKey() {
        GlobalCallingManager m = manager();
        NewCampaign spec = NewCampaign.named("Renewals").customerId("cust-1").script("Hi {{name}}")
                .idempotencyKey("renewals-jan").build();

        CampaignCreation first = m.campaigns().createOnce(spec);
        CampaignCreation again = m.campaigns().createOnce(spec);
        String theirs = m.campaigns().create(NewCampaign.named("Renewals").customerId("cust-2").script("Hi {{name}}")
                .idempotencyKey("renewals-jan").build());

        assertThat(first.replayed()).isFalse();
        assertThat(again.replayed()).isTrue();
        assertThat(again.campaign()).isEqualTo(first.campaign());
        assertThat(first.campaign().idempotencyKey()).isEqualTo("renewals-jan");
        assertThat(m.campaigns().create(spec)).isEqualTo(first.campaign().campaignId());
        assertThat(theirs).isNotEqualTo(first.campaign().campaignId());
        assertThat(m.campaigns().list("cust-1", 10)).hasSize(1);
    }

    @Test
    @DisplayName("an idempotency key reused for other settings is refused, naming the key; nothing is recorded")
    void refusesKeyReusedForOtherSettings() {
        GlobalCallingManager m = manager();
        String id = m.campaigns().create(NewCampaign.named("Renewals").customerId("cust-1").idempotencyKey("k-7").build());

        assertThatThrownBy(() -> m.campaigns().create(NewCampaign.named("Reminders").customerId("cust-1")
                .idempotencyKey("k-7").build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'k-7'").hasMessageContaining(id);
        assertThatThrownBy(() -> m.campaigns().create(NewCampaign.named("Renewals").customerId("cust-1")
                .policy(policy().callsPerSecond(3).build()).idempotencyKey("k-7").build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'k-7'");
        assertThat(m.campaigns().list("cust-1", 10)).extracting(Campaign::campaignId).containsExactly(id);
        assertThatThrownBy(() -> NewCampaign.named("x").idempotencyKey(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotencyKey ' '");
        assertThatThrownBy(() -> NewCampaign.named("x").idempotencyKey("k".repeat(257)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotencyKey");
    }

    @Test
    @DisplayName("an idempotency key reused with another request fingerprint (other targets) is refused; the same one replays")
    void refusesKeyReusedForAnotherRequest() {
        GlobalCallingManager m = manager();
        NewCampaign.Builder spec = NewCampaign.named("Renewals").customerId("cust-1").idempotencyKey("k-8");
        String id = m.campaigns().create(spec.requestFingerprint("targets:1").build());

        assertThatThrownBy(() -> m.campaigns().create(spec.requestFingerprint("targets:2").build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'k-8'").hasMessageContaining(id);
        assertThat(m.campaigns().createOnce(spec.requestFingerprint("targets:1").build()).replayed()).isTrue();
        assertThat(m.campaigns().list("cust-1", 10)).extracting(Campaign::campaignId).containsExactly(id);
        assertThatThrownBy(() -> spec.requestFingerprint("a\nb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestFingerprint");
    }

    @Test
    @DisplayName("a replayed create adds its targets again: what the first import left undone is added once, also to a finished campaign")
    void replayFinishesAnImportLeftUndone() {
        GlobalCallingManager m = manager();
        NewCampaign spec = NewCampaign.named("Renewals").customerId("cust-1").idempotencyKey("k-9")
                .policy(policy().build()).build();
        List<Target> targets = List.of(Target.of(indian(1)), Target.of(indian(2)), Target.of(indian(3)));
        CampaignCreation first = m.campaigns().createOnce(spec);
        String id = first.campaign().campaignId();
        m.campaigns().addTargets(first, targets.subList(0, 1));   // the first request stopped here
        m.campaigns().cancel(id);

        ImportReport again = m.campaigns().addTargets(m.campaigns().createOnce(spec), targets);

        assertThat(again).extracting(ImportReport::added, ImportReport::duplicates).containsExactly(2L, 1L);
        assertThat(m.campaigns().find(id).totalNumbers()).isEqualTo(3);
        assertThat(m.campaigns().progress(id).suppressed()).as("a cancelled campaign skips what it is given").isEqualTo(3);
        assertThat(m.campaigns().addTargets(m.campaigns().createOnce(spec), targets).added()).isZero();
        assertThatThrownBy(() -> m.campaigns().addTargets(id, targets)).as("a host's own addition is still refused")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("a busy number is retried after its delay, and a completed call is never retried")
    void retriesBusyAfterDelay() {
        GlobalCallingManager m = manager();
        provider.script(INDIA, CallStatus.BUSY, CallStatus.COMPLETED);
        String id = campaign(m, policy().retry(Outcome.BUSY, Duration.ofMinutes(10), 3).build(), INDIA);
        m.campaigns().start(id);

        runUntilIdle(m);
        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        assertThat(m.campaigns().progress(id).retriesScheduled()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(9));
        runUntilIdle(m);
        assertThat(provider.callsTo(INDIA)).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        runUntilIdle(m);
        clock.advance(Duration.ofHours(1));
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isEqualTo(2);
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.successful()).isEqualTo(1);
        assertThat(p.attempts()).isEqualTo(2);
        assertThat(p.status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("a retry scheduled just as the campaign is cancelled is skipped, not left pending in it")
    void retryRacingACancelIsSkipped() {
        java.util.concurrent.atomic.AtomicReference<Runnable> beforeRetry = new java.util.concurrent.atomic.AtomicReference<>();
        CallStore racing = (CallStore) java.lang.reflect.Proxy.newProxyInstance(CallStore.class.getClassLoader(),
                new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("updateTargetIf") && args[0] instanceof CampaignTarget t
                            && "busy".equals(t.lastOutcome())) {
                        Runnable hook = beforeRetry.getAndSet(null);
                        if (hook != null) hook.run();   // the host cancels between the outcome's read and its write
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        GlobalCallingManager m = manager(b -> b.store(racing));
        provider.script(INDIA, CallStatus.BUSY, CallStatus.COMPLETED);
        String id = campaign(m, policy().retry(Outcome.BUSY, Duration.ofMinutes(10), 3).build(), INDIA);
        beforeRetry.set(() -> m.campaigns().cancel(id));
        m.campaigns().start(id);

        runUntilIdle(m);
        clock.advance(Duration.ofMinutes(10));
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        CampaignTarget t = store.findTarget(id, INDIA).orElseThrow();
        assertThat(t.state()).isEqualTo(CampaignTarget.State.SKIPPED);
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.status()).isEqualTo(Campaign.Status.CANCELED);
        assertThat(p.pending()).isZero();
    }

    /** The store, with {@code hook} run (once) just before a target's first attempt is written. */
    private CallStore beforeFirstAttempt(java.util.concurrent.atomic.AtomicReference<Runnable> hook) {
        return (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[] {CallStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("updateTargetIf") && args[0] instanceof CampaignTarget t
                            && t.state() == CampaignTarget.State.CLAIMED && t.attempts() == 1 && (int) args[2] == 0) {
                        Runnable h = hook.getAndSet(null);
                        if (h != null) h.run();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    @DisplayName("a pause that returns while a pass is deciding on a target (after it read the campaign running) is"
            + " obeyed: the number is not dialled until the campaign is resumed")
    void noDialAfterThePauseReturns() {
        java.util.concurrent.atomic.AtomicReference<Runnable> hook = new java.util.concurrent.atomic.AtomicReference<>();
        GlobalCallingManager m = manager(b -> b.store(beforeFirstAttempt(hook)));
        String id = campaign(m, policy().build(), INDIA);
        m.campaigns().start(id);
        hook.set(() -> m.campaigns().pause(id));

        runUntilIdle(m);

        assertThat(provider.received()).as("dialled after the pause returned").isEmpty();
        CampaignTarget t = store.findTarget(id, INDIA).orElseThrow();
        assertThat(t.state()).isEqualTo(CampaignTarget.State.PENDING);
        assertThat(t.attempts()).isZero();
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.status()).isEqualTo(Campaign.Status.PAUSED);
        assertThat(p.pending()).isEqualTo(1);
        assertThat(p.inFlight()).isZero();

        m.campaigns().resume(id);
        runUntilIdle(m);
        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        assertThat(m.campaigns().progress(id).status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("targets imported while a pass completes the campaign (its earlier targets all done) are still called")
    void importRacingCompletionIsCalled() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().build(), INDIA);
        m.campaigns().start(id);
        assertThat(m.campaigns().runOnce()).isEqualTo(1);   // INDIA is done; the campaign is not completed yet

        // the scheduler's pass runs while the import reads its rows, before they reach the store
        ImportReport report = m.campaigns().addTargets(id, java.util.stream.Stream.of(indian(2))
                .peek(n -> m.campaigns().runOnce()).map(n -> Target.of(n, Map.of("name", "Ravi"))));
        runUntilIdle(m);

        assertThat(report.added()).isEqualTo(1);
        assertThat(provider.callsTo(indian(2))).isEqualTo(1);
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.status()).isEqualTo(Campaign.Status.COMPLETED);
        assertThat(p.successful()).isEqualTo(2);
    }

    @Test
    @DisplayName("targets imported while the campaign is cancelled are skipped, not left pending in it")
    void importRacingCancelIsSkipped() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().build(), INDIA);
        m.campaigns().start(id);

        m.campaigns().addTargets(id, java.util.stream.Stream.of(indian(2))
                .peek(n -> m.campaigns().cancel(id)).map(n -> Target.of(n, Map.of("name", "Ravi"))));
        runUntilIdle(m);

        assertThat(provider.received()).isEmpty();
        assertThat(store.findTarget(id, indian(2)).orElseThrow().state()).isEqualTo(CampaignTarget.State.SKIPPED);
        assertThat(m.campaigns().progress(id).pending()).isZero();
    }

    @Test
    @DisplayName("retries stop at the rule's maximum attempts, and an outcome without a rule is final")
    void stopsAtMaxAttempts() {
        GlobalCallingManager m = manager();
        provider.script(INDIA, CallStatus.NO_ANSWER, CallStatus.NO_ANSWER, CallStatus.NO_ANSWER);
        provider.script(indian(7), CallStatus.FAILED);
        String id = campaign(m, policy().retry(Outcome.NO_ANSWER, Duration.ZERO, 2).build(), INDIA, indian(7));
        m.campaigns().start(id);

        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isEqualTo(2);
        assertThat(provider.callsTo(indian(7))).isEqualTo(1);
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.failed()).isEqualTo(2);
        assertThat(p.completed()).isEqualTo(2);
        assertThat(p.attempts()).isEqualTo(3);
        assertThat(store.targets(id)).extracting(CampaignTarget::lastOutcome)
                .containsExactlyInAnyOrder("no_answer", "failed");
    }

    @Test
    @DisplayName("a number on the do-not-call list is skipped at its attempt, not called")
    void skipsSuppressed() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().build(), INDIA, indian(2));
        m.campaigns().suppress("cust-1", INDIA);
        m.campaigns().start(id);

        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isZero();
        assertThat(m.campaigns().isSuppressed("cust-1", INDIA)).isTrue();
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.suppressed()).isEqualTo(1);
        assertThat(p.successful()).isEqualTo(1);
        assertThat(p.status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("a number imported with dashes is the do-not-call list's number: skipped, never called")
    void skipsSuppressedNumberWrittenWithSeparators() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().build(), "+91-98765-43210");
        m.campaigns().suppress("cust-1", INDIA);
        m.campaigns().start(id);

        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isZero();
        assertThat(m.campaigns().progress(id).suppressed()).isEqualTo(1);
    }

    @Test
    @DisplayName("one number written two ways is one target, called once")
    void numberWrittenTwoWaysIsOneTarget() {
        GlobalCallingManager m = manager();
        String id = m.campaigns().create(NewCampaign.named("Twice").customerId("cust-1")
                .script("Hello {{name}}").policy(policy().build()).build());
        ImportReport report = m.campaigns().addTargets(id, List.of(Target.of(INDIA, Map.of("name", "Asha")),
                Target.of("+91-98765-43210", Map.of("name", "Asha"))));
        m.campaigns().start(id);

        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        assertThat(report.added()).isEqualTo(1);
        assertThat(report.duplicates()).isEqualTo(1);
    }

    @Test
    @DisplayName("a target outside its window in its own local time waits for the opening, not skipped")
    void waitsForRecipientsWindow() {
        GlobalCallingManager m = manager();
        String id = m.campaigns().create(NewCampaign.named("Windows").category(CallCategory.INTERNET_VOIP)
                .policy(CampaignPolicy.builder().callsPerSecond(100).maxInFlight(100).build()).build());
        m.campaigns().addTargets(id, List.of(Target.of(INDIA), Target.of(NEW_YORK),
                new Target("+12125550199", Map.of(), "Asia/Kolkata")));
        m.campaigns().start(id);

        runUntilIdle(m);
        assertThat(provider.received()).extracting(c -> c.to().value())
                .containsExactlyInAnyOrder(INDIA, "+12125550199");
        assertThat(store.findTarget(id, NEW_YORK).orElseThrow().nextAttemptAt())
                .isEqualTo(Instant.parse("2026-01-14T13:00:00Z"));   // 08:00 in New York

        clock.setInstant(Instant.parse("2026-01-14T12:59:59Z"));
        runUntilIdle(m);
        assertThat(provider.callsTo(NEW_YORK)).isZero();
        clock.setInstant(Instant.parse("2026-01-14T13:00:00Z"));
        runUntilIdle(m);
        assertThat(provider.callsTo(NEW_YORK)).isEqualTo(1);
    }

    @Test
    @DisplayName("the campaign says how many pending targets wait for their calling hours, now")
    void waitingForCallingHours() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().windows(CallingWindows.defaults()).build(), INDIA, NEW_YORK);
        // 09:00Z: 14:30 in India, 04:00 in New York
        assertThat(m.campaigns().waitingForCallingHours(id)).isEqualTo(1);
        m.campaigns().start(id);
        runUntilIdle(m);
        assertThat(m.campaigns().progress(id).pending()).isEqualTo(1);
        assertThat(m.campaigns().waitingForCallingHours(id)).as("New York, still asleep").isEqualTo(1);
        clock.setInstant(Instant.parse("2026-01-14T13:00:00Z"));
        assertThat(m.campaigns().waitingForCallingHours(id)).as("08:00 in New York").isZero();
    }

    @Test
    @DisplayName("how many wait for their calling hours is counted by the store, by zone: the targets are not read")
    void waitingForCallingHoursIsACountNotAScan() {
        List<String> reads = new ArrayList<>();
        CallStore counting = (CallStore) java.lang.reflect.Proxy.newProxyInstance(CallStore.class.getClassLoader(),
                new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("targets")) reads.add(method.getName());
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        GlobalCallingManager m = manager(b -> b.store(counting));
        String id = m.campaigns().create(NewCampaign.named("Zones").customerId("cust-1")
                .policy(policy().windows(CallingWindows.defaults()).build()).build());
        m.campaigns().addTargets(id, List.of(Target.of(INDIA), Target.of(NEW_YORK),
                new Target("+919876500077", Map.of(), "America/New_York")));

        // 09:00Z: 14:30 in India, 04:00 in New York
        assertThat(m.campaigns().waitingForCallingHours(id)).isEqualTo(2);
        assertThat(store.targets(id)).filteredOn(t -> t.toNumber().equals(NEW_YORK))
                .extracting(CampaignTarget::timeZone).as("the number's one zone, kept at import")
                .containsExactly("America/New_York");
        clock.setInstant(Instant.parse("2026-01-14T13:00:00Z"));
        assertThat(m.campaigns().waitingForCallingHours(id)).as("08:00 in New York").isZero();
        assertThat(reads).as("targets read").isEmpty();
    }

    @Test
    @DisplayName("a target whose time zone is an offset such as +13:00 waits for its hours there, and is counted so")
    void anOffsetTimeZoneIsAZoneNotANumber() {
        GlobalCallingManager m = manager();
        String id = m.campaigns().create(NewCampaign.named("Offsets").customerId("cust-1")
                .policy(policy().windows(CallingWindows.defaults()).build()).build());
        // an Indian number (14:30 there, open) kept at +13:00, where it is 22:00: closed
        m.campaigns().addTargets(id, List.of(new Target(INDIA, Map.of(), "+13:00")));
        m.campaigns().start(id);
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).as("the runner holds it back").isZero();
        assertThat(m.campaigns().waitingForCallingHours(id)).as("22:00 at +13:00, not 09:00 in UTC").isEqualTo(1);
    }

    @Test
    @DisplayName("a weekday without a window waits for the next day that has one")
    void perWeekdayRules() {
        GlobalCallingManager m = manager();
        CallingWindows noWednesdays = CallingWindows.defaults().with(DayOfWeek.WEDNESDAY, null)
                .with(DayOfWeek.THURSDAY, new CallingWindows.Window(LocalTime.of(10, 0), LocalTime.of(12, 0)));
        String id = campaign(m, policy().windows(noWednesdays).build(), INDIA);
        m.campaigns().start(id);

        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isZero();
        assertThat(store.findTarget(id, INDIA).orElseThrow().nextAttemptAt())
                .isEqualTo(Instant.parse("2026-01-15T04:30:00Z"));   // Thursday 10:00 in India
    }

    @Test
    @DisplayName("a frequency cap counts calls to the number across campaigns")
    void frequencyCapAcrossCampaigns() {
        GlobalCallingManager m = manager();
        CampaignPolicy capped = policy().frequencyCap(1, Duration.ofHours(24)).build();
        String first = campaign(m, capped, INDIA);
        m.campaigns().start(first);
        runUntilIdle(m);
        clock.advance(Duration.ofHours(1));

        String second = campaign(m, capped, INDIA);
        m.campaigns().start(second);
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        assertThat(store.findTarget(second, INDIA).orElseThrow().nextAttemptAt()).isAfter(clock.instant());
        clock.advance(Duration.ofHours(23).minusSeconds(1));
        runUntilIdle(m);
        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        runUntilIdle(m);
        assertThat(provider.callsTo(INDIA)).isEqualTo(2);
    }

    @Test
    @DisplayName("a frequency cap counts the calls to the number, not those it made as the caller id")
    void frequencyCapLeavesOutCallsFromTheNumber() {
        GlobalCallingManager m = manager();
        CallRecord asCallerId = m.call(io.globalcalling.CallRequest.to(NEW_YORK).from(INDIA).customerId("cust-2")
                .category(CallCategory.INTERNET_VOIP).build());
        assertThat(asCallerId.fromNumber()).isEqualTo(INDIA);
        clock.advance(Duration.ofMinutes(1));

        String id = campaign(m, policy().frequencyCap(1, Duration.ofHours(24)).build(), INDIA);
        m.campaigns().start(id);
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        assertThat(m.campaigns().progress(id).status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("the pace holds: at most callsPerSecond calls start in one second")
    void pacesPerSecond() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().callsPerSecond(2).build(),
                IntStream.range(0, 7).mapToObj(CampaignsTest::indian).toArray(String[]::new));
        m.campaigns().start(id);

        for (int i = 0; i < 5; i++) m.campaigns().runOnce();
        assertThat(provider.received()).hasSize(2);
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) m.campaigns().runOnce();
        assertThat(provider.received()).hasSize(4);
        assertThat(m.campaigns().progress(id).remaining()).isEqualTo(Duration.ofSeconds(2).plusMinutes(2));
    }

    /**
     * Ten hour-long calls one at a time are ten hours of calling. At 14:30 in India, with calls allowed 09:00-18:00,
     * 3.5 hours are called today and the other 6.5 from 09:00 tomorrow: the campaign ends at 15:30 tomorrow, 25 hours
     * from now, not at 00:30 tonight.
     */
    @Test
    @DisplayName("the time the rest takes skips the hours its calling windows are closed")
    void remainingTimeSkipsClosedCallingHours() {
        GlobalCallingManager m = manager();
        CampaignPolicy officeHours = policy().maxInFlight(1).expectedTalkTime(Duration.ofHours(1))
                .windows(CallingWindows.everyDay(LocalTime.of(9, 0), LocalTime.of(18, 0))).build();
        String id = campaign(m, officeHours, IntStream.range(0, 10).mapToObj(CampaignsTest::indian)
                .toArray(String[]::new));

        assertThat(m.campaigns().progress(id).remaining()).isEqualTo(Duration.ofHours(25));
        clock.advance(Duration.ofHours(4));   // 18:30 in India: closed until 09:00, then nine hours, 15 closed, one
        assertThat(m.campaigns().progress(id).remaining()).isEqualTo(Duration.ofHours(39).plusMinutes(30));
        String always = campaign(m, policy().maxInFlight(1).expectedTalkTime(Duration.ofHours(1)).build(),
                IntStream.range(0, 50).mapToObj(CampaignsTest::indian).toArray(String[]::new));
        assertThat(m.campaigns().progress(always).remaining()).isEqualTo(Duration.ofHours(50));
    }

    @Test
    @DisplayName("the time the rest takes counts the in-flight cap too: 30 calls two at a time, two minutes each, take"
            + " half an hour however many a second may start")
    void remainingTimeCountsTheInFlightCap() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().callsPerSecond(10).maxInFlight(2).build(),
                IntStream.range(0, 30).mapToObj(CampaignsTest::indian).toArray(String[]::new));

        assertThat(m.campaigns().progress(id).remaining()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    @DisplayName("at most maxInFlight calls are in flight at once")
    void capsCallsInFlight() {
        GlobalCallingManager m = manager();
        String[] numbers = IntStream.range(0, 6).mapToObj(CampaignsTest::indian).toArray(String[]::new);
        for (String n : numbers) provider.script(n, CallStatus.QUEUED);
        String id = campaign(m, policy().maxInFlight(3).build(), numbers);
        m.campaigns().start(id);

        runUntilIdle(m);
        clock.advance(Duration.ofSeconds(1));
        runUntilIdle(m);

        assertThat(provider.received()).hasSize(3);
        assertThat(m.campaigns().progress(id).inFlight()).isEqualTo(3);
    }

    @Test
    @DisplayName("pause, resume and cancel are idempotent; a cancelled campaign places nothing, skips its targets"
            + " and cannot be paused")
    void controlIsIdempotent() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().build(), INDIA, indian(2));
        m.campaigns().start(id);
        m.campaigns().start(id);
        m.campaigns().pause(id);
        m.campaigns().pause(id);
        runUntilIdle(m);
        assertThat(provider.received()).isEmpty();
        m.campaigns().resume(id);
        m.campaigns().resume(id);
        m.campaigns().cancel(id);
        m.campaigns().cancel(id);
        runUntilIdle(m);

        assertThat(provider.received()).isEmpty();
        assertThat(m.campaigns().find(id).status()).isEqualTo(Campaign.Status.CANCELED);
        assertThatThrownBy(() -> m.campaigns().pause(id)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(id).hasMessageContaining("canceled");
        assertThatThrownBy(() -> m.campaigns().start("cmp_nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("campaignId 'cmp_nope'");
        assertThat(events).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Started", "Paused", "Resumed", "Canceled", "TargetDone", "TargetDone");
        assertThat(store.targets(id)).allSatisfy(t -> {
            assertThat(t.state()).isEqualTo(CampaignTarget.State.SKIPPED);
            assertThat(t.lastOutcome()).isEqualTo("canceled");
        });
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.pending()).isZero();
        assertThat(p.suppressed()).isEqualTo(2);
        assertThat(p.completed()).isZero();
    }

    @Test
    @DisplayName("a scheduled campaign starts by itself when its time comes")
    void startsWhenScheduled() {
        GlobalCallingManager m = manager();
        String id = m.campaigns().create(NewCampaign.named("Later").category(CallCategory.INTERNET_VOIP)
                .scheduledAt(WEDNESDAY_0900Z.plusSeconds(60)).policy(policy().build()).build());
        m.campaigns().addTargets(id, List.of(Target.of(INDIA)));

        runUntilIdle(m);
        assertThat(provider.received()).isEmpty();
        clock.advance(Duration.ofSeconds(60));
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
    }

    @Test
    @DisplayName("a scheduled campaign starts when its time comes however many campaigns are scheduled for later")
    void startsWhenScheduledBehindManyLaterOnes() {
        GlobalCallingManager m = manager();
        for (int i = 0; i < 100; i++) {
            m.campaigns().create(NewCampaign.named("Next year " + i).category(CallCategory.INTERNET_VOIP)
                    .scheduledAt(WEDNESDAY_0900Z.plus(Duration.ofDays(365))).policy(policy().build()).build());
        }
        clock.advance(Duration.ofSeconds(1));
        String due = m.campaigns().create(NewCampaign.named("Now").category(CallCategory.INTERNET_VOIP)
                .scheduledAt(WEDNESDAY_0900Z.plusSeconds(60)).policy(policy().build()).build());
        m.campaigns().addTargets(due, List.of(Target.of(INDIA)));

        clock.advance(Duration.ofSeconds(60));
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        assertThat(m.campaigns().find(due).status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("every running campaign is worked, however many run at once")
    void worksEveryRunningCampaign() {
        GlobalCallingManager m = manager();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            provider.script(indian(i), CallStatus.QUEUED);   // in flight until its callback: the campaign keeps running
            ids.add(campaign(m, policy().build(), indian(i)));
            clock.advance(Duration.ofMillis(1));
        }
        ids.add(campaign(m, policy().build(), indian(100)));
        ids.forEach(m.campaigns()::start);

        for (int pass = 0; pass < 6; pass++) {
            m.campaigns().runOnce();
            clock.advance(Duration.ofSeconds(30));   // the customer's 100 calls a minute are not what holds it back
        }

        assertThat(provider.received()).hasSize(101);
        assertThat(provider.callsTo(indian(100))).isEqualTo(1);
    }

    @Test
    @DisplayName("a campaign its budget paused resumes once the budget has room, however many others are paused")
    void budgetPauseResumesBehindManyPausedOnes() {
        GlobalCallingManager m = manager(b -> b.limits(l -> l.customerBudgets("cust-1", Budget.daily(Money.inr("5")))));
        for (int i = 0; i < 100; i++) {
            String id = m.campaigns().create(NewCampaign.named("Held " + i).customerId("cust-2").build());
            m.campaigns().pause(id);
        }
        clock.advance(Duration.ofSeconds(1));
        String id = campaign(m, policy().build(), INDIA, indian(2));
        m.campaigns().start(id);
        runUntilIdle(m);
        assertThat(m.campaigns().find(id).statusReason()).startsWith("budget: ");

        m.limits().setCustomerBudgets("cust-1", Budget.daily(Money.inr("1000")));
        runUntilIdle(m);
        runUntilIdle(m);

        assertThat(m.campaigns().progress(id).status()).isEqualTo(Campaign.Status.COMPLETED);
        assertThat(provider.received()).hasSize(2);
    }

    @Test
    @DisplayName("a budget that refuses a call pauses the campaign with its reason; raising it resumes the campaign")
    void budgetPausesAndResumes() {
        GlobalCallingManager m = manager(b -> b.limits(l -> l.customerBudgets("cust-1", Budget.daily(Money.inr("5")))));
        String id = campaign(m, policy().build(), INDIA, indian(2));
        CampaignEstimate estimate = m.campaigns().estimate(id);
        assertThat(estimate.cost()).isEqualTo(Money.inr("8.00"));   // 2 targets × 2 min × INR 2.00
        assertThat(estimate.withinBudget()).isFalse();
        m.campaigns().start(id);

        runUntilIdle(m);
        Campaign paused = m.campaigns().find(id);
        assertThat(paused.status()).isEqualTo(Campaign.Status.PAUSED);
        assertThat(paused.statusReason()).startsWith("budget: ");
        assertThat(provider.received()).isEmpty();
        assertThat(m.campaigns().progress(id).attempts()).isZero();

        m.limits().setCustomerBudgets("cust-1", Budget.daily(Money.inr("1000")));
        runUntilIdle(m);
        runUntilIdle(m);

        assertThat(m.campaigns().progress(id).status()).isEqualTo(Campaign.Status.COMPLETED);
        assertThat(provider.received()).hasSize(2);
    }

    /**
     * Node A's hold is refused by the budget and pauses the campaign; node B, sharing the store and the ledger, must
     * not resume it while the budget still lacks room for that hold (it would only claim a target, be refused again and
     * pause it once more). Once the budget has room, either node resumes it.
     */
    @Test
    @DisplayName("a campaign its budget paused on one node is not resumed by another while the budget lacks room")
    void budgetPauseHoldsOnEveryNode() {
        io.globalcalling.spi.store.LimitLedger ledger = new io.globalcalling.core.store.InMemoryLimitLedger();
        GlobalCallingManager a = manager(b -> b.ledger(ledger)
                .limits(l -> l.customerBudgets("cust-1", Budget.daily(Money.inr("5")))));
        GlobalCallingManager b = manager(x -> x.ledger(ledger).campaignNode("node-b", Duration.ofSeconds(30),
                Duration.ZERO, 2).limits(l -> l.customerBudgets("cust-1", Budget.daily(Money.inr("5")))));
        List<CampaignEvent> onB = new ArrayList<>();
        b.campaigns().onEvent(onB::add);
        String id = campaign(a, policy().build(), INDIA, indian(2));
        a.campaigns().start(id);
        a.campaigns().runOnce();
        String reason = a.campaigns().find(id).statusReason();
        assertThat(reason).startsWith("budget: ");

        for (int pass = 0; pass < 3; pass++) b.campaigns().runOnce();

        assertThat(onB).isEmpty();
        assertThat(b.campaigns().find(id).status()).isEqualTo(Campaign.Status.PAUSED);
        assertThat(b.campaigns().find(id).statusReason()).isEqualTo(reason);
        assertThat(b.campaigns().progress(id).pending()).isEqualTo(2);
        b.limits().setCustomerBudgets("cust-1", Budget.daily(Money.inr("1000")));
        runUntilIdle(b);
        runUntilIdle(b);
        assertThat(b.campaigns().progress(id).status()).isEqualTo(Campaign.Status.COMPLETED);
        assertThat(provider.received()).hasSize(2);
    }

    @Test
    @DisplayName("a campaign the host pauses while its budget holds it stays paused when the budget has room again")
    void hostPauseOverridesBudgetPause() {
        GlobalCallingManager m = manager(b -> b.limits(l -> l.customerBudgets("cust-1", Budget.daily(Money.inr("5")))));
        String id = campaign(m, policy().build(), INDIA, indian(2));
        m.campaigns().start(id);
        runUntilIdle(m);
        assertThat(m.campaigns().find(id).statusReason()).startsWith("budget: ");

        m.campaigns().pause(id);
        m.limits().setCustomerBudgets("cust-1", Budget.daily(Money.inr("1000")));
        runUntilIdle(m);
        runUntilIdle(m);

        assertThat(provider.received()).isEmpty();
        Campaign c = m.campaigns().find(id);
        assertThat(c.status()).isEqualTo(Campaign.Status.PAUSED);
        assertThat(c.statusReason()).isEqualTo("paused by the host");
        m.campaigns().resume(id);
        runUntilIdle(m);
        assertThat(provider.received()).hasSize(2);
    }

    @Test
    @DisplayName("a CSV saved with a byte-order mark (as spreadsheets save UTF-8) reads its first column by its name,"
            + " quoted or not")
    void importsCsvWithAByteOrderMark() {
        GlobalCallingManager m = manager();
        String id = m.campaigns().create(NewCampaign.named("Excel").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).script("Hello {{name}}.").policy(policy().build()).build());

        ImportReport plain = m.campaigns().importCsv(id, new StringReader("\uFEFFname,number\r\nAsha," + INDIA + "\r\n"));
        ImportReport quoted = m.campaigns().importCsv(id,
                new StringReader("\uFEFF\"number\",\"name\"\r\n\"" + indian(2) + "\",\"Ravi\"\r\n"));

        assertThat(plain.problems()).isEmpty();
        assertThat(plain.added()).isEqualTo(1);
        assertThat(quoted.problems()).isEmpty();
        assertThat(quoted.added()).isEqualTo(1);
        m.campaigns().start(id);
        runUntilIdle(m);
        assertThat(provider.received()).extracting(c -> c.spokenText())
                .containsExactlyInAnyOrder("Hello Asha.", "Hello Ravi.");
    }

    @Test
    @DisplayName("a CSV row whose quote is never closed is reported with its line, as a bad row is, and the rows before"
            + " it stay imported: the import does not fail halfway with its earlier batches stored")
    void importsCsvReportingAnUnclosedQuote() {
        GlobalCallingManager m = manager();
        String id = m.campaigns().create(NewCampaign.named("CSV").script("Hi {{name}}").build());
        String csv = "number,name\n"
                + INDIA + ",Asha\n"
                + indian(2) + ",\"Ravi\n"
                + indian(3) + ",Kaur\n";

        ImportReport report = m.campaigns().importCsv(id, new StringReader(csv));

        assertThat(report.added()).isEqualTo(1);
        assertThat(report.skipped()).isEqualTo(1);
        assertThat(report.problems()).extracting(ImportProblem::line, ImportProblem::field)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, "row"));
        assertThat(report.problems().get(0).message()).contains("line 3").contains("not closed");
        assertThat(m.campaigns().find(id).totalNumbers()).isEqualTo(1);
    }

    @Test
    @DisplayName("CSV rows are streamed in; a bad row is skipped and reported with its line number")
    void importsCsvReportingBadRows() {
        GlobalCallingManager m = manager();
        String id = m.campaigns().create(NewCampaign.named("CSV").script("Hi {{name}}").build());
        String csv = "number,name,timezone\n"
                + INDIA + ",Asha,\n"
                + "12345,Ravi,\n"
                + indian(3) + ",,\n"
                + indian(4) + ",\"Kaur, J\",Mars/Olympus\n"
                + indian(5) + ",Too,many,fields\n"
                + NEW_YORK + ",\"Ann \"\"A\"\"\",America/Chicago\n"
                + INDIA + ",Again,\n";

        ImportReport report = m.campaigns().importCsv(id, new StringReader(csv));

        assertThat(report.added()).isEqualTo(2);
        assertThat(report.duplicates()).isEqualTo(1);
        assertThat(report.skipped()).isEqualTo(4);
        assertThat(report.problems()).extracting(ImportProblem::line, ImportProblem::field, ImportProblem::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3L, "number", "12345"),
                        org.assertj.core.groups.Tuple.tuple(4L, "name", ""),
                        org.assertj.core.groups.Tuple.tuple(5L, "timezone", "Mars/Olympus"),
                        org.assertj.core.groups.Tuple.tuple(6L, "row", indian(5) + ",Too,many,fields"));
        assertThat(report.problems().get(0).message()).contains("line 3").contains("12345");
        CampaignTarget ann = store.findTarget(id, NEW_YORK).orElseThrow();
        assertThat(ann.variables()).containsEntry("name", "Ann \"A\"");
        assertThat(ann.timeZone()).isEqualTo("America/Chicago");
    }

    @Test
    @DisplayName("20,000 CSV rows are read one at a time from a reader that never holds them (100,000 in the benchmark)")
    void importsHundredThousandRows() {
        GlobalCallingManager m = manager();
        String id = m.campaigns().create(NewCampaign.named("Big").script("Hi {{name}}").build());

        ImportReport report = m.campaigns().importCsv(id, new GeneratedCsv(20_000));

        assertThat(report.added()).isEqualTo(20_000);
        assertThat(report.skipped()).isZero();
        assertThat(m.campaigns().progress(id).total()).isEqualTo(20_000);
    }

    @Test
    @DisplayName("bad policy and campaign input is refused naming the field and value")
    void refusesBadInput() {
        assertThatThrownBy(() -> CampaignPolicy.builder().callsPerSecond(0))
                .hasMessageContaining("callsPerSecond").hasMessageContaining("0");
        assertThatThrownBy(() -> CampaignPolicy.builder().maxInFlight(-1))
                .hasMessageContaining("maxInFlight").hasMessageContaining("-1");
        assertThatThrownBy(() -> CallingWindows.everyDay(LocalTime.of(21, 0), LocalTime.of(8, 0)))
                .hasMessageContaining("21:00").hasMessageContaining("never opens");
        assertThatThrownBy(() -> CallingWindows.of(Map.of())).hasMessageContaining("never open");
        assertThatThrownBy(() -> CampaignPolicy.builder().retry(Outcome.COMPLETED, Duration.ZERO, 2))
                .hasMessageContaining("completed").hasMessageContaining("never retried");
        assertThatThrownBy(() -> NewCampaign.named(" ")).hasMessageContaining("name");
        // an id no call can carry: every call of the campaign would fail on it
        assertThatThrownBy(() -> NewCampaign.named("Renewals").customerId("acme corp"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customerId 'acme corp'");
        GlobalCallingManager m = manager();
        assertThatThrownBy(() -> m.campaigns().importCsv("cmp_missing", new StringReader("number\n")))
                .hasMessageContaining("campaignId 'cmp_missing'");
        String id = m.campaigns().create(NewCampaign.named("No header").build());
        assertThatThrownBy(() -> m.campaigns().importCsv(id, new StringReader("phone,name\n")))
                .hasMessageContaining("'number'");
        // a file without a header row: its first line is a recipient, whom the error does not quote
        assertThatThrownBy(() -> m.campaigns().importCsv(id, new StringReader(INDIA + ",Asha\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'number'")
                .hasMessageNotContaining("9876543210").hasMessageNotContaining("Asha");
    }

    @Test
    @DisplayName("the policy survives the store: what was created is what runs")
    void policyRoundTrips() {
        GlobalCallingManager m = manager();
        CampaignPolicy p = CampaignPolicy.builder().callsPerSecond(7).maxInFlight(9)
                .windows(CallingWindows.defaults().with(DayOfWeek.SUNDAY, null))
                .retry(Outcome.BUSY, Duration.ofMinutes(5), 4).retry(Outcome.MACHINE, Duration.ofHours(1), 2)
                .frequencyCap(2, Duration.ofHours(24)).frequencyCap(5, Duration.ofDays(7))
                .machineAction(MachineAction.LEAVE_MESSAGE).expectedTalkTime(Duration.ofSeconds(45)).build();
        String id = m.campaigns().create(NewCampaign.named("Round trip").policy(p).build());

        assertThat(m.campaigns().policy(id)).isEqualTo(p);
        assertThat(m.campaigns().policy(id).frequencyCaps()).hasSize(2);
    }

    @Test
    @DisplayName("the report lists every attempt of every target as CSV")
    void exportsReport() {
        GlobalCallingManager m = manager();
        provider.script(INDIA, CallStatus.BUSY, CallStatus.COMPLETED);
        String id = campaign(m, policy().retry(Outcome.BUSY, Duration.ZERO, 2).build(), INDIA, indian(2));
        m.campaigns().suppress("cust-1", indian(2));
        m.campaigns().start(id);
        runUntilIdle(m);

        StringBuilder csv = new StringBuilder();
        m.campaigns().exportReport(id, csv);

        List<String> lines = csv.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("number,state,attempts,last_outcome,attempt,call_id,status");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).startsWith(INDIA + ",done,2,completed,1,call_").contains(",busy,");
        assertThat(lines.get(2)).startsWith(INDIA + ",done,2,completed,2,call_").contains(",completed,");
        assertThat(lines.get(3)).isEqualTo(indian(2) + ",skipped,0,suppressed,,,,,,,,");
    }

    /** The campaign's first target claimed, and its first attempt recorded, by a node that then died (5 s lease). */
    private CampaignTarget attemptRecordedByANodeThatDied(String campaignId) {
        CampaignTarget t = store.claimTargets(campaignId, 1, "dead-node", clock.instant(),
                clock.instant().plusSeconds(5)).get(0);
        store.updateTargetIf(t.with(CampaignTarget.State.CLAIMED, 1, null, "dead-node", clock.instant().plusSeconds(5),
                null, null), CampaignTarget.State.CLAIMED, 0);
        return t;
    }

    @Test
    @DisplayName("an attempt recorded on the target but never placed (the node died) is placed once, with the same key")
    void placesAnAttemptThatNeverReachedTheStore() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().build(), INDIA);
        m.campaigns().start(id);
        attemptRecordedByANodeThatDied(id);

        runUntilIdle(m);
        assertThat(provider.received()).isEmpty();   // the dead node's lease still holds
        clock.advance(Duration.ofSeconds(5));
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        assertThat(store.findByIdempotencyKey("cust-1", "campaign:" + id + ":" + INDIA.substring(1) + ":1")).isPresent();
        assertThat(m.campaigns().progress(id).attempts()).isEqualTo(1);
        assertThat(m.campaigns().progress(id).status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("an attempt that never reached the store is not placed to a number put on the do-not-call list since")
    void doesNotPlaceAnAttemptThatNeverReachedTheStoreToASuppressedNumber() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().build(), INDIA);
        m.campaigns().start(id);
        attemptRecordedByANodeThatDied(id);
        m.campaigns().suppress("cust-1", INDIA);

        clock.advance(Duration.ofSeconds(5));
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isZero();
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.suppressed()).isEqualTo(1);
        assertThat(p.attempts()).isZero();
        assertThat(p.status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("an attempt that never reached the store waits for the recipient's window when it closed meanwhile")
    void doesNotPlaceAnAttemptThatNeverReachedTheStoreOutsideItsWindow() {
        GlobalCallingManager m = manager();
        // 08:00-21:00 in India; 09:00Z is 14:30 there
        String id = campaign(m, policy().windows(CallingWindows.defaults()).build(), INDIA);
        m.campaigns().start(id);
        attemptRecordedByANodeThatDied(id);

        // every node was down until 22:00 in India
        clock.setInstant(Instant.parse("2026-01-14T16:30:00Z"));
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isZero();
        assertThat(store.findTarget(id, INDIA).orElseThrow().nextAttemptAt())
                .isEqualTo(Instant.parse("2026-01-15T02:30:00Z"));   // 08:00 in India
        clock.setInstant(Instant.parse("2026-01-15T02:30:00Z"));
        runUntilIdle(m);
        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        assertThat(store.findByIdempotencyKey("cust-1", "campaign:" + id + ":" + INDIA.substring(1) + ":1")).isPresent();
    }

    @Test
    @DisplayName("a store that fails while a call is placed does not refuse the number: its attempt is taken up again")
    void storeFailureWhilePlacingIsNotARefusal() {
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        CallStore flaky = (CallStore) java.lang.reflect.Proxy.newProxyInstance(CallStore.class.getClassLoader(),
                new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("create") && down.getAndSet(false)) {
                        throw new io.globalcalling.spi.store.StoreException("the database is unreachable");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        GlobalCallingManager m = manager(b -> b.store(flaky));
        String id = campaign(m, policy().build(), INDIA);
        m.campaigns().start(id);
        down.set(true);

        runUntilIdle(m);
        assertThat(store.findTarget(id, INDIA).orElseThrow().isFinished()).isFalse();
        clock.advance(Duration.ofSeconds(30));
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.successful()).isEqualTo(1);
        assertThat(p.attempts()).isEqualTo(1);
    }

    @Test
    @DisplayName("a target the destination policy refuses is logged with its number masked, in the refusal's text too")
    void aRefusedTargetsNumberIsMaskedInTheLog() {
        GlobalCallingManager m = manager(b -> b.destinationPolicy(
                io.globalcalling.core.policy.DestinationPolicy.builder().allowedCountries(List.of("IN")).build()));
        String id = campaign(m, policy().build(), INDIA, NEW_YORK);
        m.campaigns().start(id);
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        java.io.PrintStream originalErr = System.err;
        System.setErr(new java.io.PrintStream(logs, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            runUntilIdle(m);
        } finally {
            System.setErr(originalErr);
        }

        assertThat(store.findTarget(id, NEW_YORK).orElseThrow().lastOutcome()).isEqualTo("refused");
        String logText = logs.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(logText).contains("number " + io.globalcalling.PhoneNumber.mask(NEW_YORK) + " refused");
        assertThat(logText).doesNotContain(NEW_YORK);
    }

    @Test
    @DisplayName("a call the provider refuses (invalid destination) stays an attempt of its target, in counts and report")
    void providerRefusalKeepsItsRecordedAttempt() {
        io.globalcalling.testkit.ScriptedProvider refusing = io.globalcalling.testkit.ScriptedProvider.builder()
                .id("refusing").categories(CallCategory.AI_AUTOMATED).perMinute(Money.inr("2.00")).build();
        refusing.next(io.globalcalling.testkit.ScriptedProvider.Outcome.refuse(
                io.globalcalling.ErrorReason.INVALID_DESTINATION));
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).store(store).clock(clock).provider(refusing)
                .campaignNode("node-a", Duration.ofSeconds(30), Duration.ZERO, 2).build();
        managers.add(m);
        String id = campaign(m, policy().build(), INDIA);
        m.campaigns().start(id);

        runUntilIdle(m);

        CallRecord call = store.findByIdempotencyKey("cust-1", "campaign:" + id + ":" + INDIA.substring(1) + ":1")
                .orElseThrow();
        assertThat(refusing.attempts()).hasSize(1);
        CampaignTarget t = store.findTarget(id, INDIA).orElseThrow();
        assertThat(t.lastOutcome()).isEqualTo("refused");
        assertThat(t.attempts()).isEqualTo(1);
        assertThat(m.campaigns().progress(id).attempts()).isEqualTo(1);
        StringBuilder report = new StringBuilder();
        m.campaigns().exportReport(id, report);
        assertThat(report.toString()).contains(call.callId());
    }

    @Test
    @DisplayName("an attempt on record whose provider answer was lost is reconciled, never dialled again")
    void reconcilesAnAttemptWhoseAnswerWasLost() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().build(), INDIA);
        m.campaigns().start(id);
        attemptRecordedByANodeThatDied(id);
        // the dead node had written the attempt's record and asked the provider; the answer never arrived
        CallRecord record = CallRecord.initiated("call_lost", "cust-1", CallCategory.AI_AUTOMATED, null, INDIA, null,
                io.globalcalling.Priority.NORMAL, "campaign:" + id + ":" + INDIA.substring(1) + ":1", id, null, null, List.of(),
                false, clock.instant(), Map.of());
        store.create(record);
        store.update(CallUpdate.of("call_lost", clock.instant()).provider("op", null).attempt(1));

        clock.advance(Duration.ofSeconds(31));
        runUntilIdle(m);

        assertThat(provider.received()).isEmpty();
        assertThat(store.find("call_lost").orElseThrow().needsReconciliation()).isTrue();
        assertThat(m.campaigns().progress(id).inFlight()).isEqualTo(1);
    }

    @Test
    @DisplayName("a running campaign asks providers only about its own calls, never about every unknown call each second")
    void reconcilesOnlyItsOwnCalls() {
        GlobalCallingManager m = manager();
        provider.script(INDIA, CallStatus.QUEUED);
        String id = campaign(m, policy().build(), INDIA);
        m.campaigns().start(id);
        store.create(CallRecord.initiated("call_other", "cust-1", CallCategory.AI_AUTOMATED, null, NEW_YORK, null,
                io.globalcalling.Priority.NORMAL, null, null, null, null, List.of(), false, clock.instant(), Map.of()));
        store.update(CallUpdate.of("call_other", clock.instant()).provider("op", "OP-other").needsReconciliation(true));

        for (int second = 0; second < 5; second++) {
            m.campaigns().runOnce();
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        assertThat(provider.fetched()).isEmpty();
        assertThat(m.campaigns().progress(id).inFlight()).isEqualTo(1);
    }

    @Test
    @DisplayName("an attempt on record that never named a provider (never sent) ends failed and the target is called once more")
    void retriesAnAttemptThatWasNeverSent() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().build(), INDIA);
        m.campaigns().start(id);
        attemptRecordedByANodeThatDied(id);
        store.create(CallRecord.initiated("call_unsent", "cust-1", CallCategory.AI_AUTOMATED, null, INDIA, null,
                io.globalcalling.Priority.NORMAL, "campaign:" + id + ":" + INDIA.substring(1) + ":1", id, null, null,
                List.of(), false, clock.instant(), Map.of()));

        clock.advance(Duration.ofSeconds(31));
        runUntilIdle(m);
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        assertThat(store.find("call_unsent").orElseThrow().status()).isEqualTo(CallStatus.FAILED);
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.attempts()).isEqualTo(2);
        assertThat(p.successful()).isEqualTo(1);
        assertThat(p.status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("an attempt its node recorded but never sent (the node died) uses up no retry: the number is still"
            + " called as often as the rule says")
    void anAttemptNeverSentUsesUpNoRetry() {
        GlobalCallingManager m = manager();
        provider.script(INDIA, CallStatus.BUSY, CallStatus.BUSY, CallStatus.COMPLETED);
        String id = campaign(m, policy().retry(Outcome.BUSY, Duration.ofMinutes(10), 2).build(), INDIA);
        m.campaigns().start(id);
        attemptRecordedByANodeThatDied(id);
        store.create(CallRecord.initiated("call_unsent", "cust-1", CallCategory.AI_AUTOMATED, null, INDIA, null,
                io.globalcalling.Priority.NORMAL, "campaign:" + id + ":" + INDIA.substring(1) + ":1", id, null, null,
                List.of(), false, clock.instant(), Map.of()));

        clock.advance(Duration.ofSeconds(31));
        runUntilIdle(m);
        runUntilIdle(m);
        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        clock.advance(Duration.ofMinutes(10));
        runUntilIdle(m);
        clock.advance(Duration.ofHours(1));
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).as("busy twice, as the rule's two attempts allow").isEqualTo(2);
        CampaignTarget t = store.findTarget(id, INDIA).orElseThrow();
        assertThat(t.state()).isEqualTo(CampaignTarget.State.FAILED);
        assertThat(t.lastOutcome()).isEqualTo("busy");
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.attempts()).as("the unsent attempt is on record too").isEqualTo(3);
        assertThat(p.failed()).isEqualTo(1);
        assertThat(p.status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("an attempt never sent is no call to the number under a frequency cap: the target is placed again now,"
            + " not a cap's period later")
    void anAttemptNeverSentIsNoCallUnderAFrequencyCap() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().frequencyCap(1, Duration.ofHours(24)).build(), INDIA);
        m.campaigns().start(id);
        attemptRecordedByANodeThatDied(id);
        store.create(CallRecord.initiated("call_unsent", "cust-1", CallCategory.AI_AUTOMATED, null, INDIA, null,
                io.globalcalling.Priority.NORMAL, "campaign:" + id + ":" + INDIA.substring(1) + ":1", id, null, null,
                List.of(), false, clock.instant(), Map.of("campaignTarget", INDIA, "campaignAttempt", "1")));

        clock.advance(Duration.ofSeconds(31));
        runUntilIdle(m);
        runUntilIdle(m);

        assertThat(store.find("call_unsent").orElseThrow().status()).isEqualTo(CallStatus.FAILED);
        assertThat(provider.callsTo(INDIA)).as("the number never rang; its cap is not used up").isEqualTo(1);
        assertThat(m.campaigns().progress(id).status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("an attempt never sent that the host's reconcile() ends first (every node was down past the call"
            + " timeout) is placed again, not finished as failed: no one was called")
    void anAttemptNeverSentEndedByReconcileIsPlacedAgain() {
        GlobalCallingManager m = manager(b -> b.callTimeout(Duration.ofMinutes(5)));
        String id = campaign(m, policy().build(), INDIA);
        m.campaigns().start(id);
        attemptRecordedByANodeThatDied(id);
        store.create(CallRecord.initiated("call_unsent", "cust-1", CallCategory.AI_AUTOMATED, null, INDIA, null,
                io.globalcalling.Priority.NORMAL, "campaign:" + id + ":" + INDIA.substring(1) + ":1", id, null, null,
                List.of(), false, clock.instant(), Map.of("campaignTarget", INDIA, "campaignAttempt", "1")));

        clock.advance(Duration.ofMinutes(6));
        m.reconcile();
        assertThat(store.find("call_unsent").orElseThrow().status()).isEqualTo(CallStatus.FAILED);
        runUntilIdle(m);

        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        CampaignTarget t = store.findTarget(id, INDIA).orElseThrow();
        assertThat(t.state()).isEqualTo(CampaignTarget.State.DONE);
        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.successful()).isEqualTo(1);
        assertThat(p.failed()).isZero();
        assertThat(p.status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    @Test
    @DisplayName("a paused campaign's attempt left by a dead node is still taken up: never sent, it ends failed and the"
            + " target waits for the resume")
    void takesUpALapsedAttemptOfAPausedCampaign() {
        GlobalCallingManager m = manager();
        String id = campaign(m, policy().build(), INDIA);
        m.campaigns().start(id);
        CampaignTarget t = attemptRecordedByANodeThatDied(id);
        store.create(CallRecord.initiated("call_unsent", "cust-1", CallCategory.AI_AUTOMATED, null, INDIA, null,
                io.globalcalling.Priority.NORMAL, "campaign:" + id + ":" + INDIA.substring(1) + ":1", id, null, null,
                List.of(), false, clock.instant(), Map.of()));
        m.campaigns().pause(id);

        clock.advance(Duration.ofSeconds(31));
        m.campaigns().runOnce();

        assertThat(provider.callsTo(INDIA)).isZero();
        assertThat(store.find("call_unsent").orElseThrow().status()).isEqualTo(CallStatus.FAILED);
        CampaignTarget waiting = store.findTarget(id, t.targetId()).orElseThrow();
        assertThat(waiting.state()).isEqualTo(CampaignTarget.State.PENDING);
        assertThat(waiting.leaseOwner()).isNull();
        m.campaigns().resume(id);
        runUntilIdle(m);
        assertThat(provider.callsTo(INDIA)).isEqualTo(1);
        assertThat(m.campaigns().progress(id).status()).isEqualTo(Campaign.Status.COMPLETED);
    }

    /** An Error out of a pass (a driver's NoClassDefFoundError, say) would end the scheduler for good, unlogged. */
    @Test
    void aSchedulingPassThatThrowsAnErrorIsFollowedByTheNextPass() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        CallStore failingOnce = (CallStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{CallStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("findDueCampaigns") && passes.incrementAndGet() == 1) {
                        throw new NoClassDefFoundError("org/postgresql/Driver");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        GlobalCallingManager m = manager(b -> b.store(failingOnce));

        m.campaigns().startScheduler(Duration.ofMillis(10));

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (passes.get() < 3 && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(passes.get()).as("scheduling passes").isGreaterThanOrEqualTo(3);
    }

    /** number,name rows made as they are read: the whole file never exists. */
    private static final class GeneratedCsv extends Reader {
        private final int rows;
        private int row = -1;
        private String current = "";
        private int pos;

        GeneratedCsv(int rows) {
            this.rows = rows;
        }

        @Override
        public int read(char[] buf, int off, int len) {
            if (pos == current.length()) {
                if (row >= rows) return -1;
                current = row < 0 ? "number,name\n" : "+9198" + String.format("%08d", 10_000_000 + row) + ",N" + row + "\n";
                row++;
                pos = 0;
            }
            int n = Math.min(len, current.length() - pos);
            current.getChars(pos, pos + n, buf, off);
            pos += n;
            return n;
        }

        @Override
        public void close() {
        }
    }

    @Test
    @DisplayName("a call still waiting for its provider's pace when the campaign is paused is not sent; it is placed after resume")
    void aPauseWhileACallWaitsForItsProvidersPaceKeepsItUnsent() {
        AtomicLong nanos = new AtomicLong();
        AtomicReference<String> campaignId = new AtomicReference<>();
        AtomicReference<GlobalCallingManager> manager = new AtomicReference<>();
        AtomicInteger parks = new AtomicInteger();
        BlockingStrategy pauseWhileWaiting = wait -> {
            // the second call waits for the provider's next turn; the host pauses the campaign meanwhile
            if (parks.getAndIncrement() == 0) manager.get().campaigns().pause(campaignId.get());
            nanos.addAndGet(wait);
        };
        TimeMeter meter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanos.get();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        // one worker: the first call is sent before the second waits for its turn
        GlobalCallingManager m = manager(b -> b.campaignNode("node-a", Duration.ofSeconds(30), Duration.ZERO, 1)
                .pacing(p -> p.pace("op", Pace.of(1, 1)).timeMeter(meter)
                .blockingStrategy(pauseWhileWaiting).maxWait(Duration.ofSeconds(30)).clock(clock)));
        manager.set(m);
        String id = campaign(m, policy().build(), indian(1), indian(2));
        campaignId.set(id);
        m.campaigns().start(id);

        m.campaigns().runOnce();

        assertThat(parks).hasValue(1);
        assertThat(m.campaigns().progress(id).status()).isEqualTo(Campaign.Status.PAUSED);
        assertThat(provider.received()).as("only the call that had its turn before the pause").hasSize(1);
        assertThat(m.campaigns().progress(id).failed()).isZero();

        m.campaigns().resume(id);
        runUntilIdle(m);

        CampaignProgress p = m.campaigns().progress(id);
        assertThat(p.status()).isEqualTo(Campaign.Status.COMPLETED);
        assertThat(p.successful()).isEqualTo(2);
        assertThat(provider.received()).extracting(c -> c.to().value()).containsExactlyInAnyOrder(indian(1), indian(2));
    }
}
