package io.globalcalling.spring.api;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spring.CallingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;

import java.time.Clock;

/**
 * Mounts the REST API under {@code /api/calling} in a servlet web application when {@code calling.api.enabled=true}:
 * the API-key filter in front of every path under it, the controllers, their problem documents and the OpenAPI
 * document. Each bean backs off when the application defines its own (its own {@link ApiKeys}, say, to keep keys in
 * its database).
 */
@AutoConfiguration(after = CallingAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(GlobalCallingManager.class)
@ConditionalOnBooleanProperty(name = "calling.api.enabled")
@EnableConfigurationProperties(CallingApiProperties.class)
public class CallingApiAutoConfiguration {

    /**
     * The keys of {@code calling.api.keys.*}.
     *
     * @throws IllegalArgumentException naming the property of a malformed entry, or when there is none
     */
    @Bean
    @ConditionalOnMissingBean
    public ApiKeys callingApiKeys(CallingApiProperties properties) {
        return new HashedApiKeys(properties.getKeys());
    }

    /** The API-key check, ahead of the application's own filters, on every path under {@code /api/calling}. */
    @Bean
    @ConditionalOnMissingBean(name = "callingApiKeyFilter")
    public FilterRegistrationBean<ApiKeyFilter> callingApiKeyFilter(ApiKeys keys) {
        FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(new ApiKeyFilter(keys));
        registration.addUrlPatterns(CallingApiController.BASE, CallingApiController.BASE + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }

    @Bean
    @ConditionalOnMissingBean
    public CallingApiController callingApiController(GlobalCallingManager manager) {
        return new CallingApiController(manager);
    }

    @Bean
    @ConditionalOnMissingBean
    public CampaignApiController callingCampaignApiController(GlobalCallingManager manager) {
        return new CampaignApiController(manager);
    }

    @Bean
    @ConditionalOnMissingBean
    public CallEventsController callingEventsController(GlobalCallingManager manager) {
        return new CallEventsController(manager);
    }

    @Bean
    @ConditionalOnMissingBean
    public OpenApiController callingOpenApiController() {
        return new OpenApiController();
    }

    @Bean
    @ConditionalOnMissingBean
    public ApiProblems callingApiProblems() {
        return new ApiProblems(Clock.systemUTC());
    }
}
