package io.globalcalling.core.campaign;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: two managers on one store share a campaign's in-flight cap. The other node's whole pass is
 * run in the middle of this node's, right when this node reads the campaign's counts: a cap checked by
 * counting and then claiming would be passed; one taken atomically in the store is not.
 */
class CampaignInFlightTest {

    private static final int CAP = 3;

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-14T09:00:00Z"));
    private final InMemoryCallStore memory = new InMemoryCallStore();
    private final ScriptedProvider provider = ScriptedProvider.builder().id("sp").clock(clock)
            .categories(CallCategory.AI_AUTOMATED).perMinute(Money.inr("2.00")).build();
    private final List<GlobalCallingManager> managers = new ArrayList<>();
    /** Run once, by the next read of a campaign's counts. */
    private volatile Runnable onCount;

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    /** The shared store, which runs {@link #onCount} when a node reads a campaign's counts. */
    private final CallStore store = (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(),
            new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                Object result;
                try {
                    result = method.invoke(memory, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
                Runnable hook = onCount;
                if (method.getName().equals("countTargets") && hook != null) {
                    onCount = null;
                    hook.run();   // after the count was read, before the reader acts on it
                }
                return result;
            });

    private GlobalCallingManager manager(String node) {
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .store(store).clock(clock).provider(provider)
                .campaignNode(node, Duration.ofSeconds(30), Duration.ZERO, 4).build();
        managers.add(m);
        return m;
    }

    private int inFlight() {
        return (int) provider.attempts().stream()
                .filter(a -> !provider.statusOf(a.callId()).orElseThrow().isTerminal()).count();
    }

    @Test
    @DisplayName("two nodes never have more than maxInFlight calls of one campaign in flight, and an ended call frees its place once")
    void twoNodesShareTheCap() {
        GlobalCallingManager a = manager("node-a");
        GlobalCallingManager b = manager("node-b");
        String id = a.campaigns().create(NewCampaign.named("Renewals").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).script("Hello.").policy(CampaignPolicy.builder()
                        .callsPerSecond(50).maxInFlight(CAP).windows(CallingWindows.always()).build()).build());
        a.campaigns().addTargets(id, IntStream.range(0, 10).mapToObj(i -> Target.of("+9198765" + (10000 + i), Map.of()))
                .toList());
        a.campaigns().start(id);

        onCount = b.campaigns()::runOnce;   // node b's pass runs between node a's count and its claim
        a.campaigns().runOnce();
        assertThat(provider.attempts()).hasSize(CAP);

        for (int round = 0; round < 3; round++) {
            // two calls end, each told twice (once per node): exactly two places free
            for (ScriptedProvider.Attempt attempt : provider.attempts().subList(2 * round, 2 * round + 2)) {
                String providerCallId = provider.providerCallIdOf(attempt.callId()).orElseThrow();
                provider.advance(providerCallId, CallStatus.COMPLETED);
                CallEvent end = new CallEvent("sp", providerCallId, null, CallStatus.COMPLETED, clock.instant(), null,
                        Duration.ofSeconds(20), null, null, null, null, Map.of());
                a.webhooks().handle("sp", provider.callback(end));
                b.webhooks().handle("sp", provider.callback(end));
            }
            clock.advance(Duration.ofSeconds(1));
            onCount = a.campaigns()::runOnce;
            b.campaigns().runOnce();
            assertThat(inFlight()).isEqualTo(CAP);
            assertThat(memory.countTargets(id).claimed()).isEqualTo(CAP);
        }
        assertThat(provider.attempts()).hasSize(CAP + 6);
    }
}
