package io.globalcalling.spring;

import io.globalcalling.CallRequest;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.micrometer.CallingMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The manager's meters reach the host's registry through Spring Boot's metrics support (issue 16). */
class CallingMetricsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CallingAutoConfiguration.class,
                    CallingMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

    @Test
    void aCallPlacedThroughTheManagerIsCountedInTheHostsRegistry() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(CallingMetrics.class);
            GlobalCallingManager manager = context.getBean(GlobalCallingManager.class);
            manager.call(CallRequest.to("+919876543210").build());

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("calling.calls.placed").tag("provider", "sandbox").counter().count())
                    .isEqualTo(1);
        });
    }

    @Test
    void backsOffForTheHostsOwnBinder() {
        runner.withUserConfiguration(OwnMetrics.class).run(context ->
                assertThat(context).hasSingleBean(CallingMetrics.class).hasBean("ownMetrics"));
    }

    @Test
    void noBinderWithoutCallingMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(CallingMetrics.class)).run(context ->
                assertThat(context).hasSingleBean(GlobalCallingManager.class).doesNotHaveBean("callingMetrics"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMetrics {
        @Bean
        CallingMetrics ownMetrics(GlobalCallingManager manager) {
            return new CallingMetrics(manager);
        }
    }
}
