package io.globalcalling.spring.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code calling.api.*} settings. */
@ConfigurationProperties(prefix = "calling.api")
public class CallingApiProperties {

    /** Whether the REST API is mounted under /api/calling. */
    private boolean enabled;

    /**
     * The API keys, by customer id: calling.api.keys.&lt;customerId&gt;=&lt;SHA-256 of the key, 64 hex digits&gt;.
     * Only the hash is configured; a request presents the key itself as "Authorization: Bearer &lt;key&gt;". A customer
     * id holding other characters than letters, digits, '-', '_' and '.' (an '@', say) goes in brackets:
     * calling.api.keys[ops@initech].
     */
    private Map<String, String> keys = new LinkedHashMap<>();

    /**
     * The largest request body the API reads (its JSON; a CSV upload has spring.servlet.multipart.* limits): a
     * larger one is refused 413 before anything is recorded. Within it, a script is at most 16384 characters, a
     * payload 64 KiB, metadata 50 labels of at most 500 characters.
     */
    private DataSize maxBodySize = DataSize.ofBytes(BodyLimitFilter.DEFAULT_MAX_BYTES);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public DataSize getMaxBodySize() {
        return maxBodySize;
    }

    public void setMaxBodySize(DataSize maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    public Map<String, String> getKeys() {
        return keys;
    }

    public void setKeys(Map<String, String> keys) {
        this.keys = keys;
    }
}
