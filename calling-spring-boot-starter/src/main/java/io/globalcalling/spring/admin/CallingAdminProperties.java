package io.globalcalling.spring.admin;

import io.globalcalling.spring.api.BodyLimitFilter;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** The {@code calling.admin.*} settings. Its {@code toString()} never shows the password hash. */
@ConfigurationProperties(prefix = "calling.admin")
public class CallingAdminProperties {

    /** Whether the admin dashboard is served at /admin/calling (behind its own login). */
    private boolean enabled;

    /** The admin's user name. */
    private String username = "admin";

    /**
     * The admin's password, as a Spring Security encoded hash with its encoder's id, e.g. {bcrypt}$2a$10$...
     * Required when the dashboard is enabled; the library never generates a password.
     */
    private @Nullable String passwordHash;

    /** The largest JSON body the dashboard's endpoints read; a larger one is refused 413 before anything is recorded. */
    private DataSize maxBodySize = DataSize.ofBytes(BodyLimitFilter.DEFAULT_MAX_BYTES);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public @Nullable String getPasswordHash() {
        return passwordHash;
    }

    public void setPasswordHash(@Nullable String passwordHash) {
        this.passwordHash = passwordHash;
    }

    public DataSize getMaxBodySize() {
        return maxBodySize;
    }

    public void setMaxBodySize(DataSize maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    @Override
    public String toString() {
        return "CallingAdminProperties[enabled=" + enabled + ", username=" + username + ", passwordHash="
                + (passwordHash == null ? "none" : "(set)") + "]";
    }
}
