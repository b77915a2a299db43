package io.globalcalling.spring.admin;

import io.globalcalling.spring.CallingAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With the dashboard's own login in place, Spring Boot's default user (and the generated password it logs) is not
 * made; a host's own users, as a bean or as {@code spring.security.user.*}, stay as they are.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminNoDefaultUserTest {

    private static final String GENERATED = "Using generated security password";

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CallingAutoConfiguration.class, CallingAdminAutoConfiguration.class,
                    SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
                    UserDetailsServiceAutoConfiguration.class, WebMvcAutoConfiguration.class))
            .withPropertyValues("calling.admin.enabled=true",
                    "calling.admin.password-hash=" + AdminDashboardIntegrationTest.PASSWORD_HASH);

    @Test
    void theDashboardLeavesNoDefaultUserAndLogsNoGeneratedPassword(CapturedOutput output) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(InMemoryUserDetailsManager.class);
            UserDetailsService users = context.getBean(UserDetailsService.class);
            assertThatThrownBy(() -> users.loadUserByUsername("user")).isInstanceOf(UsernameNotFoundException.class);
            assertThatThrownBy(() -> users.loadUserByUsername("admin")).as("the dashboard's admin logs in only there")
                    .isInstanceOf(UsernameNotFoundException.class);
        });
        assertThat(output).doesNotContain(GENERATED);
    }

    @Test
    void withoutTheDashboardBootsDefaultsAreLeftAlone(CapturedOutput output) {
        runner.withPropertyValues("calling.admin.enabled=false").run(context ->
                assertThat(context).hasSingleBean(InMemoryUserDetailsManager.class));
        assertThat(output).as("Boot's own behaviour, untouched").contains(GENERATED);
    }

    @Test
    void aHostsOwnUsersBeanIsTheOnlyOne(CapturedOutput output) {
        runner.withUserConfiguration(HostUsers.class).run(context -> {
            assertThat(context).hasSingleBean(UserDetailsService.class);
            assertThat(context.getBean(UserDetailsService.class).loadUserByUsername("ops").getUsername()).isEqualTo("ops");
        });
        assertThat(output).doesNotContain(GENERATED);
    }

    @Test
    void aHostsUserFromPropertiesIsKept() {
        runner.withPropertyValues("spring.security.user.name=ops", "spring.security.user.password={noop}ops-secret")
                .run(context -> {
                    assertThat(context).hasSingleBean(UserDetailsService.class);
                    assertThat(context.getBean(UserDetailsService.class).loadUserByUsername("ops").getUsername())
                            .isEqualTo("ops");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class HostUsers {

        @Bean
        UserDetailsService hostUsers() {
            return new InMemoryUserDetailsManager(User.withUsername("ops").password("{noop}ops-secret").roles("OPS").build());
        }
    }
}
