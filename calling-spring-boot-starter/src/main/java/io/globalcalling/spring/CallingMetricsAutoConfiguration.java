package io.globalcalling.spring;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.micrometer.CallingMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The manager's meters ({@code calling-micrometer}) when it and Micrometer are on the class path. The bean is a
 * {@link MeterBinder}, so Spring Boot's metrics support binds it to every {@code MeterRegistry} of the host;
 * a host that wants tagged customers or tiers defines its own {@link CallingMetrics} bean.
 */
@AutoConfiguration(after = CallingAutoConfiguration.class)
@ConditionalOnClass({MeterBinder.class, CallingMetrics.class})
@ConditionalOnBean(GlobalCallingManager.class)
public class CallingMetricsAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    CallingMetrics callingMetrics(GlobalCallingManager manager) {
        return new CallingMetrics(manager);
    }
}
