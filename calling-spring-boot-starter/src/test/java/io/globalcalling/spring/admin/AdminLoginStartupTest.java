package io.globalcalling.spring.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
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

/** The dashboard never starts without a usable password hash, and says which property to set; the hash stays out. */
@ExtendWith(OutputCaptureExtension.class)
class AdminLoginStartupTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    private static void start(String... properties) {
        String[] args = new String[properties.length + 3];
        args[0] = "--server.port=0";
        args[1] = "--spring.autoconfigure.exclude=";
        args[2] = "--calling.admin.enabled=true";
        System.arraycopy(properties, 0, args, 3, properties.length);
        try (ConfigurableApplicationContext ignored = new SpringApplication(App.class).run(args)) {
            throw new AssertionError("started");
        }
    }

    @Test
    void enabledWithoutAHashFailsToStartWithTheAnalyzersReport(CapturedOutput output) {
        assertThatThrownBy(AdminLoginStartupTest::start).hasRootCauseInstanceOf(AdminLoginException.class)
                .rootCause().hasMessageContaining("calling.admin.password-hash is not set");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("calling.admin.password-hash is not set")
                .contains("Set calling.admin.password-hash to an encoded hash");
    }

    @Test
    void aPlainPasswordInPlaceOfTheHashIsRefusedAndNeverPrinted(CapturedOutput output) {
        assertThatThrownBy(() -> start("--calling.admin.password-hash=hunter2-plain"))
                .hasRootCauseInstanceOf(AdminLoginException.class)
                .rootCause().hasMessageContaining("not an encoded hash");
        assertThat(output).contains("not an encoded hash").doesNotContain("hunter2-plain");
    }

    @Test
    void anUnknownEncoderIdIsNamed(CapturedOutput output) {
        assertThatThrownBy(() -> start("--calling.admin.password-hash={md9}c2VjcmV0LWhhc2g"))
                .hasRootCauseInstanceOf(AdminLoginException.class)
                .rootCause().hasMessageContaining("'md9'");
        assertThat(output).doesNotContain("c2VjcmV0LWhhc2g");
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
