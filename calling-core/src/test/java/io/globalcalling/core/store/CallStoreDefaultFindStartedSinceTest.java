package io.globalcalling.core.store;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import io.globalcalling.spi.store.CallStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CallStore#findStartedSince}'s default, for a store that does not read by its own index: it reads the newest
 * calls, more each time, until it reaches back before the time asked, and answers as a store's own reading does.
 */
class CallStoreDefaultFindStartedSinceTest {

    private static final Instant T0 = Instant.parse("2026-01-14T09:00:00Z");

    @Test
    void theDefaultReadsBackFarEnoughAndAnswersAsTheStoreItselfDoes() {
        InMemoryCallStore store = new InMemoryCallStore();
        for (int i = 0; i < 700; i++) store.create(call("call-" + i, i % 3 == 0 ? "globex" : "acme", i));
        CallStore withDefault = (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(),
                new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("findStartedSince")) return InvocationHandler.invokeDefault(proxy, method, args);
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        List<CallRecord> page = withDefault.findStartedSince(T0.plusSeconds(100), "acme", null, 50);
        assertThat(page).isEqualTo(store.findStartedSince(T0.plusSeconds(100), "acme", null, 50));
        assertThat(page.get(0).callId()).isEqualTo("call-100");
        assertThat(withDefault.findStartedSince(T0.plusSeconds(100), null, page.get(49), 1000))
                .isEqualTo(store.findStartedSince(T0.plusSeconds(100), null, page.get(49), 1000))
                .hasSize(600 - 74);
        assertThat(withDefault.findStartedSince(T0.plusSeconds(700), null, null, 10)).isEmpty();
    }

    private static CallRecord call(String callId, String customerId, int second) {
        return CallRecord.initiated(callId, customerId, CallCategory.INTERNET_VOIP, null, "+919800000001",
                Purpose.SUPPORT, Priority.NORMAL, null, null, Money.inr("1.5"), Money.inr("0.30"), List.of(), false,
                T0.plusSeconds(second), Map.of());
    }
}
