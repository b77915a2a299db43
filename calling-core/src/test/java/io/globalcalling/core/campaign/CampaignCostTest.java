package io.globalcalling.core.campaign;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A campaign's cost is what its calls settled at, whenever they settle. */
class CampaignCostTest {

    private static final String INDIA = "+919876543210";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-14T09:00:00Z"));
    private final InMemoryCallStore memory = new InMemoryCallStore();
    private final ScriptedProvider provider = ScriptedProvider.builder().id("sp").clock(clock)
            .categories(CallCategory.AI_AUTOMATED).perMinute(Money.inr("2.00")).build();
    /** Set: the next write of a call's cost fails, as a store that went down for a moment would. */
    private final AtomicBoolean failNextCost = new AtomicBoolean();
    private final CallStore store = (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(),
            new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                if (Set.of("update", "updateAndFind").contains(method.getName()) && ((CallUpdate) args[0]).cost() != null
                        && failNextCost.getAndSet(false)) {
                    throw new StoreException("the database is down");
                }
                try {
                    return method.invoke(memory, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private GlobalCallingManager manager;

    @AfterEach
    void close() {
        if (manager != null) manager.close();
    }

    /**
     * The call's end is stored but its settlement fails (the callback is answered with an error); the target's lease
     * lapses and a pass takes it up, its provider unreachable for now; the provider's retry of the callback, with the
     * price, then settles the call. The campaign's cost is that price.
     */
    @Test
    @DisplayName("a call of a campaign settled after its end was first stored counts in the campaign's cost")
    void aLateSettlementCountsInTheCampaignCost() {
        manager = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty()).store(store)
                .clock(clock).provider(provider).campaignNode("node-a", LEASE, Duration.ZERO, 2).build();
        String id = manager.campaigns().create(NewCampaign.named("Renewals").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).script("Hello.").policy(CampaignPolicy.builder()
                        .windows(CallingWindows.always()).build()).build());
        manager.campaigns().addTargets(id, List.of(Target.of(INDIA, Map.of())));
        manager.campaigns().start(id);
        assertThat(manager.campaigns().runOnce()).isEqualTo(1);
        String callId = provider.attempts().get(0).callId();
        String providerCallId = provider.providerCallIdOf(callId).orElseThrow();
        provider.advance(providerCallId, CallStatus.COMPLETED, Duration.ofSeconds(90), Money.inr("3.40"));
        CallEvent completed = new CallEvent("sp", providerCallId, null, CallStatus.COMPLETED, clock.instant(), null,
                Duration.ofSeconds(90), Money.inr("3.40"), null, null, null, Map.of());

        failNextCost.set(true);
        assertThat(manager.webhooks().handle("sp", provider.callback(completed)).status()).isNotEqualTo(200);
        assertThat(memory.find(callId).orElseThrow().cost()).isNull();
        provider.failLookups(100);
        clock.advance(LEASE.plusSeconds(1));
        manager.campaigns().runOnce();
        assertThat(manager.webhooks().handle("sp", provider.callback(completed)).status()).isEqualTo(200);
        manager.campaigns().runOnce();

        CallRecord call = memory.find(callId).orElseThrow();
        assertThat(call.cost()).isEqualTo(Money.inr("3.40"));
        CampaignProgress progress = manager.campaigns().progress(id);
        assertThat(progress.status()).isEqualTo(Campaign.Status.COMPLETED);
        assertThat(progress.successful()).isEqualTo(1);
        assertThat(progress.totalCost()).isEqualTo(Money.inr("3.40"));
        StringWriter report = new StringWriter();
        manager.campaigns().exportReport(id, report);
        assertThat(report.toString().lines().skip(1)).singleElement().asString().endsWith(",3.4 INR,3.4 INR");
    }
}
