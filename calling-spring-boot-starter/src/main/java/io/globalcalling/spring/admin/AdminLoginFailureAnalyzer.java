package io.globalcalling.spring.admin;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a dashboard enabled without a usable password hash as the property at fault, and how to make one. */
class AdminLoginFailureAnalyzer extends AbstractFailureAnalyzer<AdminLoginException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AdminLoginException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set calling.admin.password-hash to an encoded hash with its encoder's id, e.g. the output of"
                        + " PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password), which looks"
                        + " like {bcrypt}$2a$10$...; or set calling.admin.enabled=false.", cause);
    }
}
