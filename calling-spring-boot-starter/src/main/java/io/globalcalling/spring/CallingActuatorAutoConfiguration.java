package io.globalcalling.spring;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.store.jdbi.JdbiCallingDatabase;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The calling health indicator ({@code management.health.calling.enabled}) and info contributor
 * ({@code management.info.calling.enabled}), when Actuator is on the class path.
 */
@AutoConfiguration(after = {CallingAutoConfiguration.class, CallingWebhookAutoConfiguration.class})
@ConditionalOnBean(GlobalCallingManager.class)
public class CallingActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("calling")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "callingHealthIndicator")
        CallingHealthIndicator callingHealthIndicator(GlobalCallingManager manager) {
            return new CallingHealthIndicator(manager);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(InfoContributor.class)
    @ConditionalOnEnabledInfoContributor("calling")
    static class InfoConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "callingInfoContributor")
        CallingInfoContributor callingInfoContributor(GlobalCallingManager manager, CallingProperties properties,
                                                      ObjectProvider<JdbiCallingDatabase> database,
                                                      ObjectProvider<CallStore> store, BeanFactory beans) {
            boolean routed = beans.containsBean("callingWebhookRoute");
            return new CallingInfoContributor(manager, database.getIfAvailable(),
                    store.getIfAvailable() == null ? "memory" : "custom",
                    routed ? properties.getWebhooks().getPath() : null);
        }
    }
}
