package io.globalcalling.spring.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import io.globalcalling.spring.CallingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dashboard never starts without a usable password hash, and says which property to set; the hash stays out.
 * One real start-up shows Boot's failure report; the other checks run the auto-configuration alone.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminLoginStartupTest {

    private static final AutoConfigurations DASHBOARD = AutoConfigurations.of(CallingAutoConfiguration.class,
            CallingAdminAutoConfiguration.class, SecurityAutoConfiguration.class,
            ServletWebSecurityAutoConfiguration.class, WebMvcAutoConfiguration.class);

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(DASHBOARD).withPropertyValues("calling.admin.enabled=true");

    /** Just what the dashboard needs, on an embedded server, so its failed start-up is quick (the test
     * resources exclude Spring Security for the other tests; the start-up clears that). */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({CallingAutoConfiguration.class, CallingAdminAutoConfiguration.class,
            SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class, WebMvcAutoConfiguration.class,
            DispatcherServletAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class})
    static class App {
    }

    @Test
    void enabledWithoutAHashFailsToStartWithTheAnalyzersReport(CapturedOutput output) {
        assertThatThrownBy(() -> {
            try (ConfigurableApplicationContext ignored = new SpringApplication(App.class)
                    .run("--server.port=0", "--spring.autoconfigure.exclude=", "--calling.admin.enabled=true")) {
                throw new AssertionError("started");
            }
        }).hasRootCauseInstanceOf(AdminLoginException.class)
                .rootCause().hasMessageContaining("calling.admin.password-hash is not set");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("calling.admin.password-hash is not set")
                .contains("Set calling.admin.password-hash to an encoded hash");
    }

    @Test
    void aPlainPasswordInPlaceOfTheHashIsRefusedAndNeverPrinted(CapturedOutput output) {
        runner.withPropertyValues("calling.admin.password-hash=hunter2-plain").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(AdminLoginException.class)
                    .rootCause().hasMessageContaining("not an encoded hash");
            assertThat(messages(context.getStartupFailure())).doesNotContain("hunter2-plain");
        });
        assertThat(output).doesNotContain("hunter2-plain");
    }

    @Test
    void aPlainPasswordUnderTheNoopIdIsRefusedAndNeverPrinted(CapturedOutput output) {
        runner.withPropertyValues("calling.admin.password-hash={noop}hunter2-plain").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(AdminLoginException.class)
                    .rootCause().hasMessageContaining("'noop'");
            assertThat(messages(context.getStartupFailure())).doesNotContain("hunter2-plain");
        });
        assertThat(output).doesNotContain("hunter2-plain");
    }

    @Test
    void anUnknownEncoderIdIsNamed(CapturedOutput output) {
        runner.withPropertyValues("calling.admin.password-hash={md9}c2VjcmV0LWhhc2g").run(context -> {
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(AdminLoginException.class)
                    .rootCause().hasMessageContaining("'md9'");
            assertThat(messages(context.getStartupFailure())).doesNotContain("c2VjcmV0LWhhc2g");
        });
        assertThat(output).doesNotContain("c2VjcmV0LWhhc2g");
    }

    @Test
    void aBlankUserNameIsRefused() {
        runner.withPropertyValues("calling.admin.username= ",
                "calling.admin.password-hash=" + AdminDashboardIntegrationTest.PASSWORD_HASH).run(context ->
                assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(AdminLoginException.class)
                        .rootCause().hasMessageContaining("calling.admin.username is blank"));
    }

    @Test
    void aUsableHashStartsTheDashboard() {
        runner.withPropertyValues("calling.admin.password-hash=" + AdminDashboardIntegrationTest.PASSWORD_HASH)
                .run(context -> assertThat(context).hasNotFailed().hasBean("callingAdminSecurityFilterChain"));
    }

    /** Every message in a failure's chain of causes. */
    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) all.append(t).append('\n');
        return all.toString();
    }

    @Test
    void theAnalyzerIsRegistered() throws Exception {
        List<String> analyzers = new ArrayList<>();
        for (URL file : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
            String names = PropertiesLoaderUtils.loadProperties(new UrlResource(file))
                    .getProperty(FailureAnalyzer.class.getName());
            if (names != null) analyzers.addAll(List.of(names.split("\\s*,\\s*")));
        }
        assertThat(analyzers).contains(AdminLoginFailureAnalyzer.class.getName());
    }

    @Test
    void thePropertiesNeverShowTheHash() {
        CallingAdminProperties properties = new CallingAdminProperties();
        properties.setPasswordHash(AdminDashboardIntegrationTest.PASSWORD_HASH);
        assertThat(properties.toString()).doesNotContain("$2a$").contains("(set)");
    }
}
