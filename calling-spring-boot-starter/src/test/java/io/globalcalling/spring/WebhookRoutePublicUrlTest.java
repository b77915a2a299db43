package io.globalcalling.spring;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.WebhookRequest;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookResult;
import io.globalcalling.testkit.FakeCallProvider;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.ServletRequestPathUtils;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The URL the route hands on to be checked against a callback's signature is the public one the providers were given
 * (the manager's webhook base URL), however the host set it.
 */
class WebhookRoutePublicUrlTest {

    private static final List<URI> SEEN = new CopyOnWriteArrayList<>();

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CallingAutoConfiguration.class,
                    CallingWebhookAutoConfiguration.class))
            .withUserConfiguration(RecordingProvider.class);

    @Test
    void aBaseUrlSetByACustomizerIsTheUrlTheRouteHandsOn() {
        SEEN.clear();
        web.withBean(GlobalCallingManagerCustomizer.class,
                        () -> builder -> builder.webhookBaseUrl("https://calls.example.com/calling/webhooks"))
                .run(context -> {
                    @SuppressWarnings("unchecked")
                    RouterFunction<ServerResponse> route = context.getBean("callingWebhookRoute", RouterFunction.class);
                    post(route, "/calling/webhooks/rec");

                    assertThat(SEEN).containsExactly(URI.create("https://calls.example.com/calling/webhooks/rec?n=1"));
                });
    }

    @Test
    void aBaseUrlSetByThePropertyIsTheUrlTheRouteHandsOn() {
        SEEN.clear();
        web.withPropertyValues("calling.webhook-base-url=https://calls.example.com/calling/webhooks").run(context -> {
            @SuppressWarnings("unchecked")
            RouterFunction<ServerResponse> route = context.getBean("callingWebhookRoute", RouterFunction.class);
            post(route, "/calling/webhooks/rec");

            assertThat(SEEN).containsExactly(URI.create("https://calls.example.com/calling/webhooks/rec?n=1"));
        });
    }

    @Test
    void aBaseUrlWithAPathPrefixTheProxyStripsIsTheUrlTheRouteHandsOn() {
        SEEN.clear();
        web.withPropertyValues("calling.webhook-base-url=https://api.example.com/telephony/calling/webhooks")
                .run(context -> {
                    @SuppressWarnings("unchecked")
                    RouterFunction<ServerResponse> route = context.getBean("callingWebhookRoute", RouterFunction.class);
                    post(route, "/calling/webhooks/rec");

                    assertThat(SEEN).containsExactly(
                            URI.create("https://api.example.com/telephony/calling/webhooks/rec?n=1"));
                });
    }

    @Test
    void aBaseUrlWithATrailingSlashIsTheUrlTheRouteHandsOn() {
        SEEN.clear();
        web.withPropertyValues("calling.webhook-base-url=https://api.example.com/telephony/hooks/").run(context -> {
            @SuppressWarnings("unchecked")
            RouterFunction<ServerResponse> route = context.getBean("callingWebhookRoute", RouterFunction.class);
            post(route, "/calling/webhooks/rec");

            assertThat(SEEN).containsExactly(URI.create("https://api.example.com/telephony/hooks/rec?n=1"));
        });
    }

    /** Posts to the route as the app server behind a proxy sees it: plain http on an internal host and port. */
    private static void post(RouterFunction<ServerResponse> route, String path) throws Exception {
        MockHttpServletRequest servlet = new MockHttpServletRequest("POST", path);
        servlet.setScheme("http");
        servlet.setServerName("10.0.0.5");
        servlet.setServerPort(8080);
        servlet.setQueryString("n=1");
        servlet.setContent(new byte[0]);
        ServletRequestPathUtils.parseAndCache(servlet);
        ServerRequest request = ServerRequest.create(servlet, List.of());
        HandlerFunction<ServerResponse> handler = route.route(request).orElseThrow();
        servlet.setAttribute(RouterFunctions.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of(CallingWebhookHandler.PROVIDER, "rec"));
        handler.handle(ServerRequest.create(servlet, List.of()));
    }

    @Configuration(proxyBeanMethods = false)
    static class RecordingProvider {

        /** The fake, whose webhook handler records the URL it was handed and applies nothing. */
        @Bean
        CallingProvider recordingProvider() {
            FakeCallProvider fake = FakeCallProvider.builder().id("rec").categories(CallCategory.INTERNET_VOIP)
                    .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1.00"))).build();
            WebhookHandler handler = (WebhookRequest request, WebhookContext context) -> {
                SEEN.add(request.url());
                return WebhookResult.events(List.of());
            };
            return (CallingProvider) Proxy.newProxyInstance(CallingProvider.class.getClassLoader(),
                    new Class<?>[] {CallingProvider.class}, (proxy, method, args) -> {
                        if (method.getName().equals("webhooks")) return handler;
                        try {
                            return method.invoke(fake, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Bean
        GlobalCallingManagerCustomizer onlyTheBean() {
            return builder -> builder.discoverProviders(false);
        }
    }
}
