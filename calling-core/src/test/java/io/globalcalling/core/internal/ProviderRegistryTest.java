package io.globalcalling.core.internal;

import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ConfigurationException;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderRegistryTest {

    private final TestProviderContext context = TestProviderContext.create();
    private final List<ProviderRegistry> registries = new ArrayList<>();

    @AfterEach
    void close() {
        registries.forEach(ProviderRegistry::close);
        context.close();
    }

    /** A factory whose configuration key is {@code <id>.key}. */
    static class KeyedFactory implements CallingProviderFactory {
        private final String id;
        private final int spiVersion;

        KeyedFactory(String id) {
            this(id, SPI_VERSION);
        }

        KeyedFactory(String id, int spiVersion) {
            this.id = id;
            this.spiVersion = spiVersion;
        }

        @Override public String id() { return id; }
        @Override public int spiVersion() { return spiVersion; }
        @Override public boolean isConfigured(ProviderConfig config) { return config.get(id + ".key").isPresent(); }
        @Override public CallingProvider create(ProviderConfig config, ProviderContext ctx) {
            return FakeCallProvider.builder().id(id).context(ctx).build();
        }
    }

    static class OtherAcmeFactory extends KeyedFactory {
        OtherAcmeFactory() {
            super("acme");
        }
    }

    private ProviderRegistry create(Map<String, String> config, List<CallingProvider> explicit,
                                    List<CallingProviderFactory> factories) {
        ProviderRegistry r = ProviderRegistry.create(ProviderConfig.of(config), explicit, factories,
                getClass().getClassLoader(), id -> context);
        registries.add(r);
        return r;
    }

    @Test
    void aFactoryIsActiveOnlyWhenItsConfigurationIsPresent() {
        ProviderRegistry r = create(Map.of("acme.key", "k"), List.of(),
                List.of(new KeyedFactory("acme"), new KeyedFactory("other")));
        assertThat(r.providers()).extracting(CallingProvider::id).containsExactly("acme");
        assertThat(r.find("other")).isEmpty();
    }

    @Test
    void twoFactoriesWithOneIdAreRefusedUnlessOneIsPinned() {
        List<CallingProviderFactory> both = List.of(new KeyedFactory("acme"), new OtherAcmeFactory());
        assertThatThrownBy(() -> create(Map.of("acme.key", "k"), List.of(), both))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("several factories provide 'acme'")
                .hasMessageContaining("calling.providers.acme.factory");

        ProviderRegistry r = create(Map.of("acme.key", "k",
                "calling.providers.acme.factory", OtherAcmeFactory.class.getName()), List.of(), both);
        assertThat(r.find("acme")).isPresent();

        assertThatThrownBy(() -> create(Map.of("acme.key", "k", "calling.providers.acme.factory", "no.such.Factory"),
                List.of(), both)).hasMessageContaining("'no.such.Factory' names none of the factories");
    }

    @Test
    void aFactoryBuiltForAnotherSpiVersionIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> create(Map.of("old.key", "k"), List.of(), List.of(new KeyedFactory("old", 0))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("SPI version 0")
                .hasMessageContaining("built for this SDK version");
    }

    @Test
    void anExplicitProviderWinsOverADiscoveredOneAndRegisteringItTwiceIsHarmless() {
        FakeCallProvider mine = FakeCallProvider.builder().id("acme").build();
        ProviderRegistry r = create(Map.of("acme.key", "k"), List.of(mine, mine), List.of(new KeyedFactory("acme")));
        assertThat(r.find("acme")).containsSame(mine);
        assertThat(r.providers()).hasSize(1);

        FakeCallProvider impostor = FakeCallProvider.builder().id("acme").build();
        assertThatThrownBy(() -> create(Map.of(), List.of(mine, impostor), List.of()))
                .hasMessageContaining("two providers registered with id 'acme'");
    }

    @Test
    void aDisabledProviderStaysInactive() {
        ProviderRegistry r = create(Map.of("acme.key", "k", "calling.providers.disabled", "acme, other"), List.of(),
                List.of(new KeyedFactory("acme")));
        assertThat(r.providers()).isEmpty();
    }

    @Test
    void aBrokenPluginJarIsReportedAndTheOthersStillLoad(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        // A service file naming a class that does not exist: ServiceLoader fails on that entry only.
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(CallingProviderFactory.class.getName()), "com.example.MissingFactory\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            ProviderRegistry r = ProviderRegistry.create(ProviderConfig.empty(), List.of(), null, loader, id -> context);
            registries.add(r);
            assertThat(r.providers()).extracting(CallingProvider::id).contains("sandbox");
        }
    }

    @Test
    void closeClosesEveryProvider() {
        FakeCallProvider mine = FakeCallProvider.builder().id("mine").build();
        ProviderRegistry r = create(Map.of(), List.of(mine), List.of());
        r.close();
        assertThat(mine.isClosed()).isTrue();
    }
}
