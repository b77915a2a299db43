package io.globalcalling.core.campaign;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Purpose;
import io.globalcalling.core.internal.ScriptTemplate;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link Campaigns#create} needs: a name, the customer it calls for, a category (or none, to let
 * routing choose per target), a script template whose {@code {{placeholders}}} each target fills, a
 * start time and a policy. Build with {@link #named(String)}.
 */
public final class NewCampaign {

    /** The longest idempotency key a store keeps. */
    public static final int MAX_KEY_LENGTH = 256;
    /** The longest name: the JDBI store keeps it in 512 characters. */
    public static final int MAX_NAME_LENGTH = 512;

    private final String name;
    private final String customerId;
    private final @Nullable CallCategory category;
    private final @Nullable String script;
    private final @Nullable Purpose purpose;
    private final @Nullable String from;
    private final @Nullable Instant scheduledAt;
    private final CampaignPolicy policy;
    private final @Nullable String idempotencyKey;
    private final @Nullable String requestFingerprint;

    private NewCampaign(Builder b) {
        this.name = b.name;
        this.customerId = b.customerId;
        this.category = b.category;
        this.script = b.script;
        this.purpose = b.purpose;
        this.from = b.from;
        this.scheduledAt = b.scheduledAt;
        this.policy = b.policy;
        this.idempotencyKey = b.idempotencyKey;
        this.requestFingerprint = b.requestFingerprint;
    }

    /** @throws IllegalArgumentException for a blank name, or one longer than {@value #MAX_NAME_LENGTH} characters */
    public static Builder named(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public String customerId() {
        return customerId;
    }

    public @Nullable CallCategory category() {
        return category;
    }

    public @Nullable String script() {
        return script;
    }

    public @Nullable Purpose purpose() {
        return purpose;
    }

    public @Nullable String from() {
        return from;
    }

    public @Nullable Instant scheduledAt() {
        return scheduledAt;
    }

    public CampaignPolicy policy() {
        return policy;
    }

    public @Nullable String idempotencyKey() {
        return idempotencyKey;
    }

    /** What identifies the rest of the creator's request (its targets), compared on a replay; or null. */
    public @Nullable String requestFingerprint() {
        return requestFingerprint;
    }

    /** Builds a {@link NewCampaign}. */
    public static final class Builder {
        private final String name;
        private String customerId = "default";
        private @Nullable CallCategory category;
        private @Nullable String script;
        private @Nullable Purpose purpose;
        private @Nullable String from;
        private @Nullable Instant scheduledAt;
        private CampaignPolicy policy = CampaignPolicy.defaults();
        private @Nullable String idempotencyKey;
        private @Nullable String requestFingerprint;

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) throw new IllegalArgumentException("campaign name '" + name + "' must not be blank");
            if (name.length() > MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("campaign name of " + name.length() + " characters is longer than "
                        + MAX_NAME_LENGTH);
            }
            this.name = name;
        }

        public Builder customerId(String customerId) {
            // as a call's: a campaign for an id no call can carry would fail every call it makes
            this.customerId = CallRequest.checkCustomerId("customerId", customerId);
            return this;
        }

        /** Every call's category; leave unset to let routing choose per target. */
        public Builder category(@Nullable CallCategory category) {
            this.category = category;
            return this;
        }

        /** The script template, e.g. {@code Hello {{name}}, your order {{order}} is ready}. */
        public Builder script(@Nullable String script) {
            // blank as call() judges it (control characters say nothing either), or each call would be refused for it
            if (script != null && ScriptTemplate.blank(script)) {
                throw new IllegalArgumentException("script '" + script + "' must not be blank: it is what the calls speak");
            }
            this.script = script;
            return this;
        }

        public Builder purpose(@Nullable Purpose purpose) {
            this.purpose = purpose;
            return this;
        }

        /** The caller id, an E.164 number. */
        public Builder from(@Nullable String from) {
            this.from = from;
            return this;
        }

        /** When it starts by itself; without one it starts when {@link Campaigns#start} is called. */
        public Builder scheduledAt(@Nullable Instant at) {
            this.scheduledAt = at;
            return this;
        }

        public Builder policy(CampaignPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * A key, unique per customer, that makes a retried create return the campaign first created under it
         * instead of recording a second one.
         *
         * @throws IllegalArgumentException for a blank key or one longer than {@value #MAX_KEY_LENGTH} characters
         */
        public Builder idempotencyKey(@Nullable String key) {
            if (key != null && (key.isBlank() || key.length() > MAX_KEY_LENGTH)) {
                throw new IllegalArgumentException("idempotencyKey '" + key + "' must be 1 to " + MAX_KEY_LENGTH
                        + " characters, not blank");
            }
            this.idempotencyKey = key;
            return this;
        }

        /**
         * What identifies the part of the creator's request that these settings do not hold, such as a digest of
         * its targets: kept with the campaign, so that a create under the same idempotency key whose fingerprint
         * differs is refused instead of being answered with the first campaign.
         *
         * @throws IllegalArgumentException for a blank fingerprint or one with a line break
         */
        public Builder requestFingerprint(@Nullable String fingerprint) {
            if (fingerprint != null && (fingerprint.isBlank() || fingerprint.contains("\n") || fingerprint.contains("\r"))) {
                throw new IllegalArgumentException("requestFingerprint '" + fingerprint
                        + "' must not be blank or hold a line break");
            }
            this.requestFingerprint = fingerprint;
            return this;
        }

        public NewCampaign build() {
            return new NewCampaign(this);
        }
    }
}
