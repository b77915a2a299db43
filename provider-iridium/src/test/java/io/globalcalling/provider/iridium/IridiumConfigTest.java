package io.globalcalling.provider.iridium;

import io.globalcalling.ConfigurationException;
import io.globalcalling.Money;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IridiumConfigTest {

    @Test
    void defaultsNeedOnlyTheGatewayHost() {
        IridiumConfig c = IridiumConfig.from(ProviderConfig.of(Map.of("iridium.directip-host", "gateway.example")));

        assertThat(c.directIpPort()).isEqualTo(10800);
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.moPort()).isEmpty();
        assertThat(c.textCharset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(c.pricePerMessage()).isEqualTo(Money.of("0", "USD"));
        assertThat(c.pricePerByte()).isEqualTo(Money.of("0.0015", "USD"));
        assertThat(c.minimumCharge()).isEqualTo(Money.of("0.075", "USD"));
    }

    @Test
    void pricesAreConfigurable() {
        IridiumConfig c = IridiumConfig.from(ProviderConfig.of(Map.of("iridium.directip-host", "gateway.example",
                "iridium.currency", "EUR", "iridium.price-per-message", "0.05", "iridium.price-per-byte", "0.001",
                "iridium.minimum-charge", "0.10")));

        assertThat(c.pricePerMessage()).isEqualTo(Money.of("0.05", "EUR"));
        assertThat(c.pricePerByte()).isEqualTo(Money.of("0.001", "EUR"));
        assertThat(c.minimumCharge()).isEqualTo(Money.of("0.10", "EUR"));
    }

    @Test
    void everyBadKeyIsNamedAtOnce() {
        ProviderConfig bad = ProviderConfig.of(Map.of("iridium.directip-port", "0", "iridium.mo-port", "70000",
                "iridium.read-timeout", "soon", "iridium.price-per-byte", "-1", "iridium.text-charset", "klingon",
                "iridium.mo-bind-address", "example.com"));

        assertThatThrownBy(() -> IridiumConfig.from(bad)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("iridium.directip-host").hasMessageContaining("iridium.directip-port")
                .hasMessageContaining("iridium.mo-port").hasMessageContaining("iridium.read-timeout")
                .hasMessageContaining("iridium.price-per-byte").hasMessageContaining("iridium.text-charset")
                .hasMessageContaining("iridium.mo-bind-address");
    }

    /** Per-byte prices bill a script's UTF-8 size: a charset whose bytes differ would bill what was not sent. */
    @Test
    void aTextCharsetWhoseBytesTheBillingCannotCountIsRefused() {
        for (String charset : List.of("ISO-8859-1", "UTF-16", "windows-1252")) {
            assertThatThrownBy(() -> IridiumConfig.from(ProviderConfig.of(Map.of("iridium.directip-host",
                    "gateway.example", "iridium.text-charset", charset)))).as(charset)
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("iridium.text-charset")
                    .hasMessageContaining(charset).hasMessageContaining("UTF-8");
        }
        for (String charset : List.of("UTF-8", "US-ASCII")) {
            assertThat(IridiumConfig.from(ProviderConfig.of(Map.of("iridium.directip-host", "gateway.example",
                    "iridium.text-charset", charset))).textCharset().name()).isEqualTo(charset);
        }
    }

    @Test
    void moAllowedSourcesAreReadAsNetworks() {
        IridiumConfig c = IridiumConfig.from(ProviderConfig.of(Map.of("iridium.directip-host", "gateway.example",
                "iridium.mo-allowed-sources", " 192.0.2.10, 198.51.100.0/24,2001:db8::/32 ,")));

        assertThat(c.moAllowedSources()).containsExactly("192.0.2.10/32", "198.51.100.0/24", "2001:db8:0:0:0:0:0:0/32");
        assertThat(c.toString()).contains("moAllowedSources=[192.0.2.10/32, 198.51.100.0/24, 2001:db8:0:0:0:0:0:0/32]");
        assertThat(IridiumConfig.from(ProviderConfig.of(Map.of("iridium.directip-host", "gateway.example")))
                .moAllowedSources()).as("absent: any source").isEmpty();
        assertThat(IridiumConfig.isConfigured(ProviderConfig.of(Map.of("iridium.mo-allowed-sources", "192.0.2.10"))))
                .isTrue();
    }

    @Test
    void eachBadMoAllowedSourceIsNamedWithItsKey() {
        ProviderConfig bad = ProviderConfig.of(Map.of("iridium.directip-host", "gateway.example",
                "iridium.mo-allowed-sources", "192.0.2.10, gateway.example, 192.0.2.0/33, 192.0.2.1/24"));

        assertThatThrownBy(() -> IridiumConfig.from(bad)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("iridium.mo-allowed-sources entry = 'gateway.example' is not an IP address")
                .hasMessageContaining("iridium.mo-allowed-sources entry = '192.0.2.0/33' has a prefix length that is not 0 to 32")
                .hasMessageContaining("iridium.mo-allowed-sources entry = '192.0.2.1/24' has bits set past its prefix length 24")
                .hasMessageNotContaining("'192.0.2.10'");
        assertThatThrownBy(() -> IridiumConfig.from(ProviderConfig.of(Map.of("iridium.directip-host", "gateway.example",
                "iridium.mo-allowed-sources", " , ,")))).isInstanceOf(ConfigurationException.class)
                .as("a list of nothing would refuse every sender, the gateway's too")
                .hasMessageContaining("iridium.mo-allowed-sources = '").hasMessageContaining("' names no address");
    }

    @Test
    void theFactoryIsFoundAndConfiguredOnlyByIridiumKeys() {
        CallingProviderFactory factory = ServiceLoader.load(CallingProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(f -> f.id().equals("iridium")).findFirst().orElseThrow();

        assertThat(factory.isConfigured(ProviderConfig.of(Map.of("twilio.account-sid", "x")))).isFalse();
        assertThat(factory.isConfigured(ProviderConfig.of(Map.of("iridium.mo-port", "10801")))).isTrue();
        try (TestProviderContext context = TestProviderContext.create();
             var provider = factory.create(ProviderConfig.of(Map.of("iridium.directip-host", "127.0.0.1")), context)) {
            assertThat(provider.id()).isEqualTo("iridium");
            assertThat(provider.coverage().global()).isTrue();
        }
    }

    /** Iridium's IMEIs end in a spare 0, not a Luhn check digit, so 15 digits is the whole check. */
    @Test
    void realIridiumImeisAreAccepted() {
        for (String imei : new String[] {"300234010753370", "300234063904190", "300234065895840"}) {
            assertThat(new SatelliteTerminal(imei).imei()).isEqualTo(imei);
        }
        assertThatThrownBy(() -> new SatelliteTerminal("30023401075337")).hasMessageContaining("15 digits");
    }
}
