package io.globalcalling.spring;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Money;
import io.globalcalling.core.CallFailedException;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The health indicator's verdicts, and when the route, health and info beans exist (issue 16). */
class CallingHealthIndicatorTest {

    private final MutableClock clock = MutableClock.create();
    private final ScriptedProvider provider = ScriptedProvider.builder().id("voip")
            .categories(CallCategory.INTERNET_VOIP).perMinute(Money.inr("1.00")).clock(clock).build();

    private GlobalCallingManager manager(CallStore store) {
        return GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty()).clock(clock)
                .store(store).provider(provider).build();
    }

    @Test
    void upWithProvidersCircuitsAndAReachableStore() {
        try (GlobalCallingManager m = manager(new InMemoryCallStore())) {
            Health health = new CallingHealthIndicator(m).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("providers", List.of("voip"))
                    .containsEntry("circuits", Map.of("voip", "CLOSED")).containsEntry("store", "reachable");
        }
    }

    @Test
    void downWhenTheStoreCannotBeRead() {
        CallStore working = new InMemoryCallStore();
        CallStore broken = (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(),
                new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("recent")) {
                        throw new StoreException("connection refused by db.internal:5432");
                    }
                    try {
                        return method.invoke(working, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (GlobalCallingManager m = manager(broken)) {
            Health health = new CallingHealthIndicator(m).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("store", "unreachable");
            assertThat(health.toString()).doesNotContain("db.internal");
        }
    }

    @Test
    void downWhenEveryProvidersCircuitIsOpen() {
        try (GlobalCallingManager m = manager(new InMemoryCallStore())) {
            for (int i = 0; i < 5; i++) {
                provider.next(Outcome.unavailable());
                assertThatThrownBy(() -> m.call(CallRequest.to("+919876543210").category(CallCategory.INTERNET_VOIP)
                        .build())).isInstanceOf(CallFailedException.class);
            }
            Health health = new CallingHealthIndicator(m).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("circuits", Map.of("voip", "OPEN"))
                    .containsEntry("reason", "every circuit is open");
        }
    }

    @Test
    void theRouteHealthAndInfoExistInAWebApplicationAndEachCanBeSwitchedOff() {
        WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(
                CallingAutoConfiguration.class, CallingWebhookAutoConfiguration.class,
                CallingActuatorAutoConfiguration.class));
        web.run(context -> assertThat(context).hasBean("callingWebhookRoute")
                .hasSingleBean(CallingHealthIndicator.class).hasSingleBean(CallingInfoContributor.class));
        web.withPropertyValues("calling.webhooks.enabled=false", "management.health.calling.enabled=false",
                        "management.info.calling.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("callingWebhookRoute")
                        .doesNotHaveBean(CallingHealthIndicator.class).doesNotHaveBean(CallingInfoContributor.class));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CallingAutoConfiguration.class,
                        CallingWebhookAutoConfiguration.class))
                .run(context -> assertThat(context).hasSingleBean(GlobalCallingManager.class)
                        .doesNotHaveBean("callingWebhookRoute"));
    }
}
