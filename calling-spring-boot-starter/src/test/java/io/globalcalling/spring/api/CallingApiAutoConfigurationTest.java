package io.globalcalling.spring.api;

import io.globalcalling.spring.CallingAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** When the REST API is mounted, how its keys are read, and what the application's own beans replace (issue 17). */
class CallingApiAutoConfigurationTest {

    private static final String HASH = HashedApiKeys.sha256Hex("a-key-for-acme");

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CallingAutoConfiguration.class, CallingApiAutoConfiguration.class));

    @Test
    void theApiIsOffUnlessEnabled() {
        runner.withPropertyValues("calling.api.keys.acme=" + HASH).run(context -> assertThat(context)
                .doesNotHaveBean(CallingApiController.class).doesNotHaveBean(ApiKeys.class)
                .doesNotHaveBean("callingApiKeyFilter"));
    }

    @Test
    void enabledItMountsTheControllersBehindTheKeyFilter() {
        runner.withPropertyValues("calling.api.enabled=true", "calling.api.keys.acme=" + HASH).run(context -> {
            assertThat(context).hasSingleBean(CallingApiController.class).hasSingleBean(CampaignApiController.class)
                    .hasSingleBean(CallEventsController.class).hasSingleBean(OpenApiController.class)
                    .hasSingleBean(ApiProblems.class).hasBean("callingApiKeyFilter");
            assertThat(context.getBean(ApiKeys.class).customerOf("a-key-for-acme")).hasValue("acme");
        });
    }

    @Test
    void aCustomerIdWithACharacterAPropertyNameDropsStopsStartUpNamingItsBracketForm() {
        // unbracketed, Spring Boot binds calling.api.keys.ops@initech as customer 'opsinitech': the key's calls
        // would be another customer's, outside the limits and the calls the host keeps for ops@initech
        runner.withPropertyValues("calling.api.enabled=true", "calling.api.keys.ops@initech=" + HASH).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("calling.api.keys.ops@initech")
                    .hasMessageContaining("calling.api.keys[ops@initech]");
        });
        runner.withPropertyValues("calling.api.enabled=true", "calling.api.keys[ops@initech]=" + HASH,
                "calling.api.keys.acme_corp.eu=" + HashedApiKeys.sha256Hex("eu")).run(context -> {
            assertThat(context.getBean(ApiKeys.class).customerOf("a-key-for-acme")).hasValue("ops@initech");
            assertThat(context.getBean(ApiKeys.class).customerOf("eu")).hasValue("acme_corp.eu");
        });
    }

    @Test
    void theApplicationsOwnKeysReplaceTheConfiguredOnes() {
        runner.withPropertyValues("calling.api.enabled=true").withUserConfiguration(OwnKeys.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ApiKeys.class);
            assertThat(context.getBean(ApiKeys.class).customerOf("from-the-database")).hasValue("initech");
        });
    }

    @Test
    void aKeyConfiguredInsteadOfItsHashStopsStartUpWithoutRepeatingIt() {
        runner.withPropertyValues("calling.api.enabled=true", "calling.api.keys.acme=plain-text-secret-key")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("calling.api.keys.acme").hasMessageContaining("SHA-256")
                            .hasMessageNotContaining("plain-text-secret-key");
                });
    }

    @Test
    void enabledWithoutAnyKeyStopsStartUp() {
        runner.withPropertyValues("calling.api.enabled=true").run(context -> assertThat(context.getStartupFailure())
                .rootCause().hasMessageContaining("calling.api.keys is empty"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnKeys {
        @Bean
        ApiKeys apiKeys() {
            return key -> key.equals("from-the-database") ? Optional.of("initech") : Optional.empty();
        }
    }
}
