package io.globalcalling.spring.api;

import io.globalcalling.Secret;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spring.CallingAutoConfiguration;
import io.globalcalling.spring.CallingProperties;
import org.springframework.beans.factory.ObjectProvider;
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
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.web.servlet.DispatcherServlet;

import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Mounts the REST API under {@code /api/calling} in a servlet web application when {@code calling.api.enabled=true}:
 * the answer headers, the API-key filter and the body size limit in front of every path under it, the controllers, their problem documents and the OpenAPI
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

    private static final String KEYS = "calling.api.keys";
    /** A customer id Spring Boot binds as written from {@code calling.api.keys.<id>}, without brackets. */
    private static final Pattern UNBRACKETED_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    /**
     * The keys of {@code calling.api.keys.*}.
     *
     * @throws IllegalArgumentException naming the property of a malformed entry, or when there is none
     */
    @Bean
    @ConditionalOnMissingBean
    public ApiKeys callingApiKeys(CallingApiProperties properties, Environment environment) {
        refuseIdsBoundAsOthers(environment);
        return new HashedApiKeys(properties.getKeys());
    }

    /**
     * Spring Boot drops from a map key written without brackets the characters a property name cannot hold, so
     * calling.api.keys.ops@initech would bind as customer 'opsinitech': the key's calls would be recorded and limited
     * as another customer's.
     *
     * @throws IllegalArgumentException naming the property and its bracketed form
     */
    private static void refuseIdsBoundAsOthers(Environment environment) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) return;
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) continue;
            for (String name : enumerable.getPropertyNames()) {
                if (!name.startsWith(KEYS + ".")) continue;
                String customer = name.substring(KEYS.length() + 1);
                if (!UNBRACKETED_ID.matcher(customer).matches()) {
                    throw new IllegalArgumentException(name + ": Spring Boot drops the characters of customer id '"
                            + customer + "' that a property name cannot hold; write it in brackets: " + KEYS + "["
                            + customer + "]");
                }
            }
        }
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

    /** The API's answer headers, on every path under {@code /api/calling}, ahead of the API-key check. */
    @Bean
    @ConditionalOnMissingBean(name = "callingApiResponseFilter")
    public FilterRegistrationBean<ApiResponseFilter> callingApiResponseFilter() {
        FilterRegistrationBean<ApiResponseFilter> registration = new FilterRegistrationBean<>(new ApiResponseFilter());
        registration.addUrlPatterns(CallingApiController.BASE, CallingApiController.BASE + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 90);
        return registration;
    }

    /** The body size limit, {@code calling.api.max-body-size}, behind the API-key check. */
    @Bean
    @ConditionalOnMissingBean(name = "callingApiBodyLimitFilter")
    public FilterRegistrationBean<BodyLimitFilter> callingApiBodyLimitFilter(CallingApiProperties properties) {
        FilterRegistrationBean<BodyLimitFilter> registration =
                new FilterRegistrationBean<>(new BodyLimitFilter(properties.getMaxBodySize().toBytes()));
        registration.addUrlPatterns(CallingApiController.BASE, CallingApiController.BASE + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 110);
        return registration;
    }

    @Bean
    @ConditionalOnMissingBean
    public CallingApiController callingApiController(GlobalCallingManager manager) {
        return new CallingApiController(manager);
    }

    @Bean
    @ConditionalOnMissingBean
    public CampaignApiController callingCampaignApiController(GlobalCallingManager manager,
                                                              ObjectProvider<CallingProperties> calling) {
        CallingProperties properties = calling.getIfAvailable();
        String erasureKey = properties == null ? null : properties.getStore().getErasureKey();
        return new CampaignApiController(manager, erasureKey == null ? null : Secret.of(erasureKey));
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

    /** The API's request bodies refuse a field named twice or one they do not have. */
    @Bean
    @ConditionalOnClass(name = StrictJsonBodies.JACKSON)
    public StrictJsonBodies callingApiStrictJson() {
        return new StrictJsonBodies(CallBody.class, CampaignBody.class);
    }

    @Bean
    @ConditionalOnMissingBean
    public ApiProblems callingApiProblems() {
        return new ApiProblems(Clock.systemUTC());
    }
}
