package io.globalcalling.core.webhook;

import io.globalcalling.ConfigurationException;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.lifecycle.CallLifecycle;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.Money;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.WebhookRequest;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhooksTest {

    private static final String INTERNAL = "http://10.0.0.5:8080/calling/webhooks/rec?callId=call-1";

    private final MutableClock clock = MutableClock.create();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final List<WebhookRequest> seen = new ArrayList<>();
    private final List<GlobalCallingManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    /** A provider whose handler records what reached it and turns nothing into events. */
    private CallingProvider recording() {
        WebhookHandler handler = request -> {
            seen.add(request);
            return List.of();
        };
        return (CallingProvider) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CallingProvider.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "webhooks" -> handler;
                    case "id" -> "rec";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Webhooks webhooks(int maxBodyBytes, boolean trustForwarded) {
        CallingProvider provider = recording();
        return new Webhooks(id -> id.equals("rec") ? Optional.of(provider) : Optional.empty(),
                new CallLifecycle(store, clock, (record, event) -> Money.inr("0")), maxBodyBytes, trustForwarded);
    }

    private GlobalCallingManager manager(Map<String, String> config, FakeCallProvider provider) {
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.of(config)).store(store).clock(clock).provider(provider).build();
        managers.add(m);
        return m;
    }

    private FakeCallProvider fake() {
        return FakeCallProvider.builder().id("fake").clock(clock).categories(CallCategory.INTERNET_VOIP)
                .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1"))).build();
    }

    private static WebhookRequest post(String url, Map<String, String> headers, int bodyBytes) {
        return WebhookRequest.post(url, headers, "a".repeat(bodyBytes));
    }

    @Test
    void aCallbackOverTheDefault64KiBIsRefusedWith413() {
        GlobalCallingManager m = manager(Map.of(), fake());

        assertThat(m.webhooks().handle("fake", post(INTERNAL, Map.of(), 64 * 1024 + 1)).status()).isEqualTo(413);
        assertThat(m.webhooks().maxBodyBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void theLimitIsASettingAndOnlyBodiesOverItAreRefused() {
        GlobalCallingManager m = manager(Map.of("calling.webhooks.max-body-bytes", "100"), fake());

        assertThat(m.webhooks().handle("fake", post(INTERNAL, Map.of(), 101)).status()).isEqualTo(413);
        // 100 bytes reach the provider, which refuses them for their missing signature
        assertThat(m.webhooks().handle("fake", post(INTERNAL, Map.of(), 100)).status()).isEqualTo(403);
    }

    @Test
    void anOversizedBodyNeverReachesTheProvider() {
        Webhooks webhooks = webhooks(1024, false);

        assertThat(webhooks.handle("rec", post(INTERNAL, Map.of(), 1025)).status()).isEqualTo(413);
        assertThat(webhooks.handle("rec", post(INTERNAL, Map.of("Content-Length", "30000000"), 0)).status())
                .as("refused by the announced length").isEqualTo(413);
        assertThat(seen).isEmpty();
        assertThat(webhooks.handle("rec", post(INTERNAL, Map.of(), 1024)).status()).isEqualTo(200);
        assertThat(seen).hasSize(1);
    }

    @Test
    void aHostReadsAtMostOneByteOverTheLimitFromTheWire() throws Exception {
        AtomicLong served = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served.incrementAndGet();
                return 'a';
            }
        };
        Webhooks webhooks = webhooks(1024, false);

        WebhookRequest request = WebhookRequest.read("POST", URI.create(INTERNAL), Map.of(), endless,
                webhooks.maxBodyBytes());

        assertThat(request.bodyLength()).isEqualTo(1025);
        assertThat(served.get()).isEqualTo(1025);
        assertThat(webhooks.handle("rec", request).status()).isEqualTo(413);
    }

    @Test
    void forwardedHeadersNameTheUrlOnlyWhenTrusted() {
        Map<String, String> proxied = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "hooks.example.com, proxy.internal");

        webhooks(1024, false).handle("rec", post(INTERNAL, proxied, 10));
        webhooks(1024, true).handle("rec", post(INTERNAL, proxied, 10));
        webhooks(1024, true).handle("rec", post(INTERNAL, Map.of("X-Forwarded-Proto", "https"), 10));

        assertThat(seen).extracting(r -> r.url().toString()).containsExactly(
                INTERNAL,
                "https://hooks.example.com/calling/webhooks/rec?callId=call-1",
                "https://10.0.0.5:8080/calling/webhooks/rec?callId=call-1");
    }

    @Test
    void aForwardedHostThatIsNotAHostIsRefusedWith400() {
        Webhooks webhooks = webhooks(1024, true);

        assertThat(webhooks.handle("rec", post(INTERNAL, Map.of("X-Forwarded-Host", "user:pw@evil.example"), 1)).status())
                .isEqualTo(400);
        assertThat(webhooks.handle("rec", post(INTERNAL, Map.of("X-Forwarded-Host", "evil.example/path"), 1)).status())
                .isEqualTo(400);
        assertThat(webhooks.handle("rec", post(INTERNAL, Map.of("X-Forwarded-Proto", "ftp"), 1)).status()).isEqualTo(400);
        assertThat(seen).isEmpty();
    }

    @Test
    void malformedWebhookSettingsAreRefusedWhenTheManagerIsBuilt() {
        FakeCallProvider provider = fake();
        assertThatThrownBy(() -> manager(Map.of("calling.webhooks.trust-forwarded-headers", "yes"), provider))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("calling.webhooks.trust-forwarded-headers = 'yes' is not true or false");
        assertThatThrownBy(() -> manager(Map.of("calling.webhooks.max-body-bytes", "0",
                        "calling.webhook-base-url", "https://user:pw-in-url@bad host/"), provider))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("calling.webhooks.max-body-bytes = '0'")
                .hasMessageContaining("calling.webhook-base-url = 'https://bad host/'")
                .hasMessageNotContaining("pw-in-url");
        assertThatThrownBy(() -> GlobalCallingManager.builder().webhookMaxBodyBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webhookMaxBodyBytes 0");
    }
}
