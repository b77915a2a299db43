package io.globalcalling.core.system;

import io.globalcalling.core.internal.RawHttpServer;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.Secret;
import io.globalcalling.testkit.TestProviderContext;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Where the webhook provider may deliver (issue 10), and how long one attempt may take (issue 9). */
class WebhookProviderDestinationTest {

    private static final Secret SECRET = Secret.of("whsec-test-0123456789");
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    private final TestProviderContext context = TestProviderContext.create();
    private final RawHttpServer receiver = RawHttpServer.answering(OK);

    @AfterEach
    void close() throws Exception {
        receiver.close();
        context.close();
    }

    private WebhookProvider provider(int maxAttempts, Duration readTimeout, Duration callTimeout, boolean allowHttp,
                                     List<String> allowedNetworks) {
        WebhookConfig config = new WebhookConfig(SECRET, maxAttempts, WebhookConfig.BACKOFF_BASE, Duration.ofSeconds(10),
                Duration.ofMillis(300), readTimeout, callTimeout, allowHttp, allowedNetworks);
        return new WebhookProvider(config, context, d -> { });
    }

    /** Plain http allowed (the test server has no TLS), no private network. */
    private WebhookProvider guarded() {
        return provider(3, Duration.ofSeconds(2), Duration.ofSeconds(5), true, List.of());
    }

    private static OutboundCall call(String url) {
        CallRequest request = CallRequest.to(url).category(CallCategory.SYSTEM_API).payload("{}").build();
        return OutboundCall.builder("call-1", CallCategory.SYSTEM_API, request).build();
    }

    private ProviderException refusal(WebhookProvider provider, String url) {
        return catchThrowableOfType(ProviderException.class, () -> provider.place(call(url)));
    }

    @Test
    void aPhoneNumberIsRefusedAsADestinationWithoutPrintingIt() {
        ProviderException e = refusal(guarded(), "+919876543210");

        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_DESTINATION);
        assertThat(e.getMessage()).contains("+919*******10").doesNotContain("9876543210");
        assertThat(receiver.acceptedConnections()).isZero();
    }

    /** Issue 10: OkHttp reads an all-digit host as an IP literal and connected to these without asking the guard. */
    @ParameterizedTest(name = "http://{0}:port/ is refused")
    @ValueSource(strings = {"2130706433", "0", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::1]",
            "[::7f00:1]", "[64:ff9b::7f00:1]", "localhost"})
    void loopbackInAnySpellingIsRefusedBeforeAnythingIsSent(String host) {
        ProviderException e = refusal(guarded(), "http://" + host + ":" + receiver.port() + "/hook");

        assertThat(e.reason()).isEqualTo(ErrorReason.NOT_PERMITTED);
        assertThat(e.getMessage()).contains(host, WebhookConfig.ALLOWED_PRIVATE_NETWORKS_KEY);
        assertThat(receiver.acceptedConnections()).isZero();
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"http://2852039166/latest/meta-data/", "http://169.254.169.254/latest/meta-data/",
            "http://[::ffff:a9fe:a9fe]/latest/meta-data/", "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
            "http://[2002:a9fe:a9fe::1]/latest/meta-data/", "http://100.100.100.200/latest/meta-data/"})
    void theCloudMetadataServiceIsRefused(String url) {
        ProviderException e = refusal(guarded(), url);

        assertThat(e.reason()).isEqualTo(ErrorReason.NOT_PERMITTED);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void theRefusalNamesTheHostAndItsAddressButNeverItsCredentials() {
        ProviderException e = refusal(guarded(), "http://admin:s3cret-pw@2130706433:" + receiver.port() + "/hook");

        assertThat(e.getMessage()).contains("2130706433", "127.0.0.1").doesNotContain("s3cret-pw", "admin");
        assertThat(receiver.acceptedConnections()).isZero();
    }

    @Test
    void onlyHttpsIsDeliveredUnlessHttpIsAllowed() {
        WebhookProvider httpsOnly = provider(3, Duration.ofSeconds(2), Duration.ofSeconds(5), false, List.of("127.0.0.0/8"));

        ProviderException e = refusal(httpsOnly, receiver.url("/hook"));

        assertThat(e.reason()).isEqualTo(ErrorReason.NOT_PERMITTED);
        assertThat(e.getMessage()).contains("127.0.0.1", WebhookConfig.ALLOW_HTTP_KEY);
        assertThat(receiver.acceptedConnections()).isZero();
    }

    @Test
    void anAllowedNetworkIsDeliveredTo() {
        provider(3, Duration.ofSeconds(2), Duration.ofSeconds(5), true, List.of("127.0.0.0/8")).place(call(receiver.url("/hook")));

        assertThat(receiver.requests()).isEqualTo(1);
    }

    /** Issue 10: a name that answered a public address and then a private one (DNS rebinding) is refused at connect time. */
    @Test
    void aNameThatRebindsToAPrivateAddressIsRefused() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        InetAddress publicAddress = InetAddress.getByName("203.0.113.7"); // TEST-NET-3: public, never answers
        context.shared(OkHttpClient.class, () -> new OkHttpClient.Builder().dns(host -> List.of(
                lookups.getAndIncrement() == 0 ? publicAddress : InetAddress.getLoopbackAddress())).build());

        ProviderException e = refusal(guarded(), "http://rebind.test:" + receiver.port() + "/hook");

        assertThat(lookups).hasValue(2);
        assertThat(e.reason()).isEqualTo(ErrorReason.NOT_PERMITTED);
        assertThat(e.getMessage()).contains("rebind.test", "127.0.0.1");
        assertThat(receiver.acceptedConnections()).isZero();
    }

    /**
     * A resolver may hand back an IPv4-mapped address as an Inet6Address ({@code Inet6Address.getByAddress} keeps
     * it one, unlike {@code InetAddress.getByName}); a dual-stack socket connects to it as to the IPv4 address.
     */
    @Test
    void aResolverAnsweringAnIpv4MappedLoopbackAsAnIpv6AddressIsRefused() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName("127.0.0.1").getAddress(), 0, mapped, 12, 4);
        InetAddress mappedLoopback = Inet6Address.getByAddress(null, mapped, -1);
        context.shared(OkHttpClient.class, () -> new OkHttpClient.Builder().dns(host -> List.of(mappedLoopback)).build());

        ProviderException e = refusal(guarded(), "http://mapped.test:" + receiver.port() + "/hook");

        assertThat(e).as("delivered to ::ffff:127.0.0.1").isNotNull();
        assertThat(e.reason()).isEqualTo(ErrorReason.NOT_PERMITTED);
        assertThat(receiver.acceptedConnections()).isZero();
    }

    /** Issue 9: a receiver trickling its answer a byte at a time, each within the read timeout, kept a call for 30 s. */
    @Test
    void aTricklingReceiverIsCutOffAtTheCallTimeout() throws Exception {
        try (RawHttpServer trickling = RawHttpServer.trickling(OK, Duration.ofMillis(200))) { // about 8 s in all
            WebhookProvider provider = provider(1, Duration.ofSeconds(2), Duration.ofSeconds(1), true, List.of("127.0.0.0/8"));

            long start = System.nanoTime();
            ProviderException e = refusal(provider, trickling.url("/hook"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
            assertThat(trickling.requests()).isEqualTo(1);
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        }
    }

    /**
     * A host that java.net.URI accepts but OkHttp cannot read (a label over 63 characters, an IPv6 zone) threw
     * OkHttp's IllegalArgumentException out of {@code place}, which the placer takes for a broken provider whose
     * request may have left: the call waited for reconciliation with its hold kept. Such a URL is now refused as
     * the request is built, so no call to it reaches a provider (which would refuse it as INVALID_DESTINATION).
     */
    @ParameterizedTest(name = "{0} is refused before any provider sees it")
    @ValueSource(strings = {"https://[fe80::1%25eth0]/hook",
            "https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example/hook"})
    void aHostOkHttpCannotReadNeverReachesTheProvider(String url) {
        Throwable e = catchThrowable(() -> guarded().place(call(url)));

        assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webhook url");
        assertThat(receiver.acceptedConnections()).isZero();
    }

    /**
     * The guard's sockets were the JDK's SOCKS-capable ones, which ask the default {@link ProxySelector} (and so
     * {@code socksProxyHost}) for every connection: deliveries went through a SOCKS proxy the provider promises
     * not to use, which then connects on the JVM's behalf wherever it is told.
     */
    @Test
    void theJvmsSocksProxyIsNotUsed() throws Exception {
        ProxySelector before = ProxySelector.getDefault();
        try (RawHttpServer proxy = RawHttpServer.answering(OK)) {
            ProxySelector.setDefault(new ProxySelector() {
                @Override
                public List<Proxy> select(URI uri) {
                    return List.of(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", proxy.port())));
                }

                @Override
                public void connectFailed(URI uri, SocketAddress address, IOException e) {
                }
            });
            WebhookProvider provider = provider(1, Duration.ofSeconds(2), Duration.ofSeconds(5), true, List.of("127.0.0.0/8"));

            provider.place(call(receiver.url("/hook")));

            assertThat(proxy.acceptedConnections()).isZero();
            assertThat(receiver.requests()).isEqualTo(1);
        } finally {
            ProxySelector.setDefault(before);
        }
    }
}
