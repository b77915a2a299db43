package io.globalcalling.spring;

import io.globalcalling.ConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start-up that failed on the SDK's configuration into Spring Boot's failure report: the keys at fault and
 * what was wrong with each (never a secret's value), and where to set them.
 */
class CallingFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationException cause) {
        return new FailureAnalysis("The calling SDK's configuration is not valid: " + cause.getMessage(),
                "Correct the properties named above in the application's configuration (application.properties or"
                        + " YAML), or in the environment in upper case with underscores (e.g. TWILIO_ACCOUNT_SID).",
                cause);
    }
}
