package io.globalcalling.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports {@code calling.store.type=jdbi} without a DataSource as the property at fault. */
class StoreUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<StoreUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StoreUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Configure a DataSource (spring.datasource.url), or set calling.store.type to auto or memory.", cause);
    }
}
