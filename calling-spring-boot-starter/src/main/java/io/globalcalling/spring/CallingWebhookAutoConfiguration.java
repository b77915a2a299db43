package io.globalcalling.spring;

import io.globalcalling.core.GlobalCallingManager;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Mounts the webhook entry point at {@code calling.webhooks.path} (default {@code /calling/webhooks/{provider}}) in
 * a servlet web application, for every HTTP method (providers post callbacks; some fetch call-control documents).
 */
@AutoConfiguration(after = CallingAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBean(GlobalCallingManager.class)
@ConditionalOnBooleanProperty(name = "calling.webhooks.enabled", matchIfMissing = true)
public class CallingWebhookAutoConfiguration {

    /** The route; a bean of this name defined by the application replaces it. */
    @Bean
    @ConditionalOnMissingBean(name = "callingWebhookRoute")
    public RouterFunction<ServerResponse> callingWebhookRoute(GlobalCallingManager manager, CallingProperties properties) {
        // the manager's, not the property: a customizer's webhookBaseUrl wins over it, and providers were given that
        CallingWebhookHandler handler = new CallingWebhookHandler(manager, manager.webhookBaseUrl().orElse(null));
        return RouterFunctions.route(RequestPredicates.path(properties.getWebhooks().getPath()), handler);
    }
}
