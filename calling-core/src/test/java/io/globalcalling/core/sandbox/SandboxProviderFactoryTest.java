package io.globalcalling.core.sandbox;

import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ConfigurationException;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Skill;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SandboxProviderFactoryTest {

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(CallingProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(f -> assertThat(f).isInstanceOf(SandboxProviderFactory.class));
    }

    @Test
    void isConfiguredUnlessDisabled() {
        SandboxProviderFactory factory = new SandboxProviderFactory();
        assertThat(factory.isConfigured(ProviderConfig.empty())).isTrue();
        assertThat(factory.isConfigured(ProviderConfig.of(Map.of("sandbox.enabled", "true")))).isTrue();
        assertThat(factory.isConfigured(ProviderConfig.of(Map.of("sandbox.enabled", "false")))).isFalse();
        assertThat(factory.isConfigured(ProviderConfig.of(Map.of("SANDBOX_ENABLED", "False")))).isFalse();
    }

    @Test
    void issue9_anEnabledSwitchThatIsNeitherTrueNorFalseIsAConfigurationError() {
        SandboxProviderFactory factory = new SandboxProviderFactory();
        for (String value : new String[] {"1", "yes", "ture", "off"}) {
            ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                    () -> factory.isConfigured(ProviderConfig.of(Map.of("sandbox.enabled", value))));
            assertThat(e).as(value).isNotNull();
            assertThat(e.problems()).containsExactly("sandbox.enabled = '" + value + "' is not true or false");
        }
    }

    @Test
    void readsEveryKey() {
        SandboxConfig config = SandboxConfig.from(ProviderConfig.of(Map.of("sandbox.seed", "99",
                "sandbox.time-scale", "0.5", "sandbox.agents.vip", "7")));

        assertThat(config.seed()).isEqualTo(99);
        assertThat(config.timeScale()).isEqualTo(0.5);
        assertThat(config.agentsBySkill()).containsEntry(Skill.VIP, 7).containsEntry(Skill.GENERAL, 2000);
        assertThat(SandboxConfig.defaults().totalAgents()).isEqualTo(5000);
    }

    @Test
    void reportsEveryMalformedKeyAtOnce() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> SandboxConfig.from(
                ProviderConfig.of(Map.of("sandbox.seed", "abc", "sandbox.time-scale", "0", "sandbox.agents.sales", "-1"))));

        assertThat(e.problems()).containsExactly("sandbox.seed = 'abc' is not an integer",
                "sandbox.time-scale = '0' must be above 0 and at most 1",
                "sandbox.agents.sales = '-1' must not be negative");
    }
}
