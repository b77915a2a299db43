package io.globalcalling.core.internal;

import io.globalcalling.core.sandbox.SandboxProviderFactory;
import io.globalcalling.core.system.WebhookProviderFactory;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.ConfigurationException;
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
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
        ProviderRegistry r = create(Map.of("acme.key", "k", "other.key", "k", "calling.providers.disabled", "acme, other"),
                List.of(), List.of(new KeyedFactory("acme"), new KeyedFactory("other")));
        assertThat(r.providers()).isEmpty();
    }

    @Test
    void aProviderRegisteredByHandAndListedAsDisabledStaysInactive() {
        // e.g. a Spring host's provider bean, turned off in one environment by the property
        FakeCallProvider mine = FakeCallProvider.builder().id("acme").build();
        ProviderRegistry r = create(Map.of("acme.key", "k", "calling.providers.disabled", "acme"), List.of(mine),
                List.of(new KeyedFactory("acme")));

        assertThat(r.providers()).isEmpty();
        assertThat(r.find("acme")).isEmpty();
    }

    @Test
    void aDisabledIdThatNamesNoProviderFailsStartUpNamingTheKeyTheIdAndTheKnownIds() {
        // a misspelt id would otherwise leave the provider it meant active, placing calls the host turned off
        List<CallingProviderFactory> factories = List.of(new KeyedFactory("acme"), new KeyedFactory("other"));
        FakeCallProvider mine = FakeCallProvider.builder().id("mine").build();

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> create(
                Map.of("acme.key", "k", "calling.providers.disabled", "acmee, other"), List.of(mine), factories));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().asString().contains("calling.providers.disabled", "'acmee'")
                .contains("acme, mine, other");
    }

    @Test
    void aPaceUnderAnIdThatNamesNoProviderFailsStartUpNamingTheKeyTheIdAndTheKnownIds() {
        // a misspelt id left the provider it meant unpaced: its account's raised pace silently not in force
        List<CallingProviderFactory> factories = List.of(new KeyedFactory("acme"), new KeyedFactory("other"));
        FakeCallProvider mine = FakeCallProvider.builder().id("mine").build();

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> create(
                Map.of("acme.key", "k", "calling.providers.acmee.pace.calls-per-second", "1000"), List.of(mine),
                factories));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().asString()
                .contains("calling.providers.acmee.pace.calls-per-second", "'acmee'", "acme, mine, other");
    }

    @Test
    void aFactoryPinUnderAnIdThatNamesNoProviderFailsStartUp() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> create(
                Map.of("acme.key", "k", "calling.providers.acm.factory", OtherAcmeFactory.class.getName()), List.of(),
                List.of(new KeyedFactory("acme"), new OtherAcmeFactory())));

        assertThat(e).isNotNull();
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("calling.providers.acm.factory", "'acm'"));
    }

    @Test
    void aSettingOfAKnownProviderThatNothingReadsFailsStartUpNamingTheSettingsThereAre() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> create(
                Map.of("acme.key", "k", "calling.providers.acme.pace.calls-per-sec", "1000"), List.of(),
                List.of(new KeyedFactory("acme"))));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().asString()
                .contains("calling.providers.acme.pace.calls-per-sec", "'acme'", "pace.calls-per-second", "pace.burst",
                        "factory");
    }

    @Test
    void providerKeysInEnvironmentFormAreCheckedToo() {
        List<CallingProviderFactory> factories = List.of(new KeyedFactory("acme"), new KeyedFactory("aws-connect"));

        // an id with a '-' reads as '_' in a variable's name: still the provider's
        create(Map.of("acme.key", "k", "CALLING_PROVIDERS_AWS_CONNECT_PACE_BURST", "5",
                "CALLING_PROVIDERS_AWS_CONNECT_PACE_CALLS_PER_SECOND", "5", "CALLING_PROVIDERS_DISABLED", "aws-connect"),
                List.of(), factories);
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> create(
                Map.of("acme.key", "k", "CALLING_PROVIDERS_ACMEE_PACE_CALLS_PER_SECOND", "1000"), List.of(), factories));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().asString()
                .contains("CALLING_PROVIDERS_ACMEE_PACE_CALLS_PER_SECOND", "acme, aws-connect");
    }

    @Test
    void theSettingsOfKnownProvidersAndTheDisabledListPass() {
        ProviderRegistry r = create(Map.of("acme.key", "k", "calling.providers.acme.pace.calls-per-second", "9",
                        "calling.providers.acme.pace.burst", "9", "calling.providers.other.factory",
                        KeyedFactory.class.getName(), "calling.providers.disabled", "other"), List.of(),
                List.of(new KeyedFactory("acme"), new KeyedFactory("other")));

        assertThat(r.find("acme")).isPresent();
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

    /** Needs {@code <id>.sid} and {@code <id>.token}; either alone is a partial configuration. */
    static class TwoKeyFactory implements CallingProviderFactory {
        private final String id;

        TwoKeyFactory(String id) {
            this.id = id;
        }

        @Override public String id() { return id; }
        @Override public boolean isConfigured(ProviderConfig config) {
            return config.get(id + ".sid").isPresent() || config.get(id + ".token").isPresent();
        }
        @Override public CallingProvider create(ProviderConfig config, ProviderContext ctx) {
            List<String> missing = new ArrayList<>();
            for (String key : List.of(id + ".sid", id + ".token")) {
                if (config.get(key).isEmpty()) missing.add(key + " is missing");
            }
            if (!missing.isEmpty()) throw new ConfigurationException(id, missing);
            return FakeCallProvider.builder().id(id).context(ctx).build();
        }
    }

    /** Remembers the providers it created, to check that a failed start-up closes them. */
    static class RecordingFactory extends KeyedFactory {
        final List<FakeCallProvider> created = new ArrayList<>();

        RecordingFactory(String id) {
            super(id);
        }

        @Override public CallingProvider create(ProviderConfig config, ProviderContext ctx) {
            FakeCallProvider p = (FakeCallProvider) super.create(config, ctx);
            created.add(p);
            return p;
        }
    }

    private static List<String> ids(ProviderRegistry r) {
        return r.providers().stream().map(CallingProvider::id).toList();
    }

    @Test
    void theSandboxIsActiveWhenNoRealProviderIsAndSaysItIsSimulated() {
        ProviderRegistry r = create(Map.of(), List.of(), List.of(new SandboxProviderFactory(), new KeyedFactory("acme")));

        assertThat(ids(r)).containsExactly("sandbox");
        assertThat(r.summary()).isEqualTo("sandbox (simulated: no real call is placed)");
    }

    @Test
    void issue9_theSandboxStepsAsideWhenARealProviderIsConfigured() {
        ProviderRegistry r = create(Map.of("acme.key", "k"), List.of(),
                List.of(new SandboxProviderFactory(), new KeyedFactory("acme")));

        assertThat(ids(r)).containsExactly("acme");
        assertThat(r.summary()).isEqualTo("acme");
    }

    @Test
    void issue9_aRealProviderRegisteredByHandAlsoSwitchesTheSandboxOff() {
        FakeCallProvider mine = FakeCallProvider.builder().id("mine").build();
        ProviderRegistry r = create(Map.of(), List.of(mine), List.of(new SandboxProviderFactory()));

        assertThat(ids(r)).containsExactly("mine");
    }

    @Test
    void issue9_sandboxEnabledTrueKeepsItBesideRealProvidersAndTheLogMarksIt() {
        ProviderRegistry r = create(Map.of("acme.key", "k", "sandbox.enabled", "TRUE"), List.of(),
                List.of(new SandboxProviderFactory(), new KeyedFactory("acme")));

        assertThat(ids(r)).containsExactly("sandbox", "acme");
        assertThat(r.summary()).isEqualTo("sandbox (simulated: no real call is placed), acme");
    }

    @Test
    void sandboxEnabledFalseKeepsItOffEvenWithNothingElse() {
        ProviderRegistry r = create(Map.of("sandbox.enabled", "false"), List.of(), List.of(new SandboxProviderFactory()));

        assertThat(r.providers()).isEmpty();
        assertThat(r.summary()).isEqualTo("none");
    }

    @Test
    void issue9_sandboxEnabledThatIsNeitherTrueNorFalseFailsStartUp() {
        assertThatThrownBy(() -> create(Map.of("SANDBOX_ENABLED", "yes"), List.of(), List.of(new SandboxProviderFactory())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sandbox.enabled = 'yes' is not true or false");
    }

    @Test
    void issue11_aSimulatedProvidersSwitchThatIsNeitherTrueNorFalseFailsStartUpInsteadOfMeaningOff() {
        // a simulated plug-in that does not read its own switch: the registry's reading of it must be strict
        CallingProviderFactory lenientSandbox = new CallingProviderFactory() {
            @Override public String id() { return "sandbox"; }
            @Override public boolean isConfigured(ProviderConfig config) { return true; }
            @Override public CallingProvider create(ProviderConfig config, ProviderContext ctx) {
                return new SandboxProviderFactory().create(config, ctx);
            }
        };

        assertThatThrownBy(() -> create(Map.of("acme.key", "k", "sandbox.enabled", "yes"), List.of(),
                List.of(lenientSandbox, new KeyedFactory("acme"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sandbox.enabled = 'yes' is not true or false");
    }

    @Test
    void issue9_partialConfigurationFailsStartUpNamingEveryMissingKeyOfEveryProvider() {
        RecordingFactory started = new RecordingFactory("early");
        Map<String, String> config = Map.of("early.key", "k", "acme.sid", "AC1", "webhook.max-attempts", "3");

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> create(config, List.of(),
                List.of(started, new TwoKeyFactory("acme"), new WebhookProviderFactory())));

        assertThat(e).isNotNull();
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0)).startsWith("provider 'acme' is configured in part")
                .contains("calling.providers.disabled").endsWith("acme.token is missing");
        assertThat(e.problems().get(1)).startsWith("provider 'webhook' is configured in part")
                .endsWith("webhook.signing-secret is missing or blank");
        assertThat(started.created).singleElement().satisfies(p -> assertThat(p.isClosed()).isTrue());
    }

    @Test
    void aCompleteConfigurationIsActiveAndNoConfigurationIsAbsent() {
        List<CallingProviderFactory> factories = List.of(new TwoKeyFactory("acme"), new WebhookProviderFactory());

        assertThat(ids(create(Map.of(), List.of(), factories))).isEmpty();
        assertThat(ids(create(Map.of("acme.sid", "AC1", "acme.token", "t", "webhook.signing-secret", "s3cr3t-value"),
                List.of(), factories))).containsExactly("acme", "webhook");
    }

    @Test
    void aPartlyConfiguredProviderListedAsDisabledIsLeftOut() {
        ProviderRegistry r = create(Map.of("acme.sid", "AC1", "calling.providers.disabled", "acme"), List.of(),
                List.of(new TwoKeyFactory("acme")));

        assertThat(r.providers()).isEmpty();
    }

    @Test
    void closeClosesEveryProvider() {
        FakeCallProvider mine = FakeCallProvider.builder().id("mine").build();
        ProviderRegistry r = create(Map.of(), List.of(mine), List.of());
        r.close();
    }
}
