package io.globalcalling.spring;

import io.globalcalling.spi.store.CallStore;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code calling.*} settings, declared here so that they are checked when the application starts and
 * completed by IDEs. The manager itself reads these keys, and the providers' own ({@code twilio.*},
 * {@code vonage.*}, …), from the Spring {@code Environment} (see {@link SpringProviderConfig}); the starter adds
 * {@code calling.webhooks.path}, {@code calling.webhooks.enabled}, {@code calling.reconcile-interval},
 * {@code calling.await-poll-interval}, {@code calling.follow-poll-interval}, {@code calling.store.type} and the JDBI store's {@code calling.store.group-commit},
 * {@code calling.store.group-commit-writers}, {@code calling.store.retention} and {@code calling.store.purge-interval}.
 */
@ConfigurationProperties(prefix = "calling")
public class CallingProperties {

    /**
     * The public http(s) URL under which providers reach the webhook route, without the provider's id, e.g.
     * https://calls.example.com/calling/webhooks. Providers are given it as their callback URL, and a callback's
     * signature is checked against this scheme and host (behind a proxy, the public ones).
     */
    private @Nullable String webhookBaseUrl;

    private final Webhooks webhooks = new Webhooks();
    private final Store store = new Store();

    /**
     * How often calls whose placement outcome is unknown are asked of their providers (the manager's reconcile());
     * 0 turns it off, for a host that runs it itself. A bare number is seconds, as in every calling.* duration.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration reconcileInterval = Duration.ofMinutes(1);

    /**
     * How long after it started a call's end must have been reported: past it, reconciliation asks the call's
     * provider what became of it, in case its final callback was lost. Read by the manager itself, so a bare number
     * is seconds; 6 hours when unset.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private @Nullable Duration callTimeout;

    /**
     * How often, while someone waits for calls to end (calls().await, calls().whenEnded), the manager reads those
     * calls from the store to see ends another node sharing it settled
     * (GlobalCallingManager.Builder.awaitPollInterval); nothing is read while no one waits. A bare number is seconds;
     * 1 second when unset.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private @Nullable Duration awaitPollInterval;

    /**
     * How often, while someone follows calls' status changes (calls().follow: the REST API's and the dashboard's
     * event streams), the manager reads the calls followed from the store to see the moves another node sharing it
     * applied (GlobalCallingManager.Builder.followPollInterval); nothing is read while no one follows. A bare number
     * is seconds; 1 second when unset.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private @Nullable Duration followPollInterval;

    private final Providers providers = new Providers();
    private final Policy policy = new Policy();
    private final Http http = new Http();

    public @Nullable String getWebhookBaseUrl() {
        return webhookBaseUrl;
    }

    public void setWebhookBaseUrl(@Nullable String webhookBaseUrl) {
        this.webhookBaseUrl = webhookBaseUrl;
    }

    public Webhooks getWebhooks() {
        return webhooks;
    }

    public Duration getReconcileInterval() {
        return reconcileInterval;
    }

    public void setReconcileInterval(Duration reconcileInterval) {
        if (reconcileInterval.isNegative()) {
            throw new IllegalArgumentException("reconcile interval " + reconcileInterval + " must not be negative");
        }
        this.reconcileInterval = reconcileInterval;
    }

    public @Nullable Duration getCallTimeout() {
        return callTimeout;
    }

    public void setCallTimeout(@Nullable Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    public @Nullable Duration getAwaitPollInterval() {
        return awaitPollInterval;
    }

    public void setAwaitPollInterval(@Nullable Duration awaitPollInterval) {
        this.awaitPollInterval = positive("await poll interval", awaitPollInterval);
    }

    public @Nullable Duration getFollowPollInterval() {
        return followPollInterval;
    }

    public void setFollowPollInterval(@Nullable Duration followPollInterval) {
        this.followPollInterval = positive("follow poll interval", followPollInterval);
    }

    /** Checked here, not only by the manager's builder, so that start-up names the property. */
    private static @Nullable Duration positive(String name, @Nullable Duration interval) {
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException(name + " " + interval + " must be positive");
        }
        return interval;
    }

    public Store getStore() {
        return store;
    }

    public Providers getProviders() {
        return providers;
    }

    public Policy getPolicy() {
        return policy;
    }

    public Http getHttp() {
        return http;
    }

    /** The webhook route. */
    public static class Webhooks {

        /** The placeholder the route's path must hold: the provider's id. */
        public static final String PROVIDER_VARIABLE = "{provider}";

        /** Whether the webhook route is mounted. */
        private boolean enabled = true;

        /** The route every provider posts its callbacks to; must start with '/' and hold {provider}. */
        private String path = "/calling/webhooks/{provider}";

        /** The largest callback body accepted, in bytes; larger ones are answered 413 unread. Default 65536. */
        private @Nullable Integer maxBodyBytes;

        /**
         * Whether X-Forwarded-Proto and X-Forwarded-Host name the URL a provider called; set only behind a proxy
         * that always sets them. Default false.
         */
        private @Nullable Boolean trustForwardedHeaders;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        /** @throws IllegalArgumentException naming the value when it is not a path holding {provider} */
        public void setPath(String path) {
            if (path == null || !path.startsWith("/") || !path.contains(PROVIDER_VARIABLE)) {
                throw new IllegalArgumentException("calling.webhooks.path '" + path
                        + "' must start with '/' and hold " + PROVIDER_VARIABLE + ", e.g. /calling/webhooks/"
                        + PROVIDER_VARIABLE);
            }
            this.path = path;
        }

        public @Nullable Integer getMaxBodyBytes() {
            return maxBodyBytes;
        }

        public void setMaxBodyBytes(@Nullable Integer maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
        }

        public @Nullable Boolean getTrustForwardedHeaders() {
            return trustForwardedHeaders;
        }

        public void setTrustForwardedHeaders(@Nullable Boolean trustForwardedHeaders) {
            this.trustForwardedHeaders = trustForwardedHeaders;
        }
    }

    /** Where calls and limit counters are kept. */
    public static class Store {

        /**
         * auto: in the application's DataSource when there is one, else in memory; jdbi: in the DataSource, and
         * start-up fails without one; memory: in memory even when there is a DataSource.
         */
        private StoreType type = StoreType.AUTO;

        /**
         * Whether concurrent threads' call writes share one transaction and commit in the JDBI store, each caller
         * still returning once its write is durable (StoreSettings.groupCommit). Off by default: it pays with
         * many concurrent writers on a database whose commit is dear.
         */
        private boolean groupCommit;

        /**
         * Group commit's writer threads (StoreSettings.groupCommitWriters), 1 to 64 and fewer than the DataSource's
         * pool has connections; more for a database with cores of its own.
         */
        private int groupCommitWriters = 1;

        /**
         * How long the JDBI store keeps a call, its events and inbound messages, and a finished campaign with its
         * targets (StoreSettings.retention); a call that can still change what is billed, and a campaign with an
         * attempt under way, are kept however old. The in-memory store keeps them for its own default, the same
         * 90 days. A bare number is seconds, as in every calling.* duration.
         */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration retention = CallStore.DEFAULT_RETENTION;

        /**
         * How often the JDBI store's retention runs (JdbiCallingDatabase.purgeExpired), and with it what erasures
         * left to do (JdbiCallStore.continueErasures: calls deferred until settled, deletions at the providers); 0
         * turns both off, for a host that runs them itself. A bare number is seconds, as in every calling.* duration.
         */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration purgeInterval = Duration.ofHours(1);

        /**
         * The key erasure hashes an erased number with (StoreSettings.erasureKey): without one, JdbiCallStore.erase
         * refuses to run. Keep it secret and keep it: the same key finds the same number's audit rows again. The REST
         * API keys each campaign's digest of its create's targets with it too, so the digest tells no erased number.
         */
        private @Nullable String erasureKey;

        public StoreType getType() {
            return type;
        }

        public void setType(StoreType type) {
            this.type = type;
        }

        public boolean isGroupCommit() {
            return groupCommit;
        }

        public void setGroupCommit(boolean groupCommit) {
            this.groupCommit = groupCommit;
        }

        public int getGroupCommitWriters() {
            return groupCommitWriters;
        }

        public void setGroupCommitWriters(int groupCommitWriters) {
            // checked here, not only by the store's settings, so start-up names the property
            if (groupCommitWriters < 1 || groupCommitWriters > 64) {
                throw new IllegalArgumentException("group commit writers " + groupCommitWriters
                        + " must be between 1 and 64");
            }
            this.groupCommitWriters = groupCommitWriters;
        }

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("retention " + retention + " must be positive");
            }
            this.retention = retention;
        }

        public @Nullable String getErasureKey() {
            return erasureKey;
        }

        public void setErasureKey(@Nullable String erasureKey) {
            // e.g. ${CALLING_ERASURE_KEY:} with the variable unset: refused here, so start-up names the property
            if (erasureKey != null && erasureKey.isBlank()) {
                throw new IllegalArgumentException("erasure key must not be blank; leave it unset for none");
            }
            this.erasureKey = erasureKey;
        }

        public Duration getPurgeInterval() {
            return purgeInterval;
        }

        public void setPurgeInterval(Duration purgeInterval) {
            if (purgeInterval.isNegative()) {
                throw new IllegalArgumentException("purge interval " + purgeInterval + " must not be negative");
            }
            this.purgeInterval = purgeInterval;
        }
    }

    /** Where calls and limit counters are kept. */
    public enum StoreType {
        /** The application's DataSource when there is one, else memory. */
        AUTO,
        /** The application's DataSource; start-up fails without one. */
        JDBI,
        /** Memory, whatever DataSource there is (one node; lost on restart). */
        MEMORY;

        /** The value as written in a property. */
        public String propertyValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Which providers are used. */
    public static class Providers {

        /**
         * Ids of providers not to use even when configured; an id that names no provider fails start-up. A provider's factory is pinned with
         * calling.providers.&lt;id&gt;.factory=&lt;class name&gt;, and its account's pace (when the provider raised it
         * above what the provider declares) set with calling.providers.&lt;id&gt;.pace.calls-per-second and
         * calling.providers.&lt;id&gt;.pace.burst; any other calling.providers.&lt;id&gt;.* key, or one under an id
         * that names no provider, fails start-up too.
         */
        private List<String> disabled = new ArrayList<>();

        public List<String> getDisabled() {
            return disabled;
        }

        public void setDisabled(List<String> disabled) {
            this.disabled = disabled;
        }
    }

    /** Which numbers may be dialled (toll fraud). */
    public static class Policy {

        /** ISO 3166-1 alpha-2 codes of the countries that may be called; 'none' for no restriction. */
        private List<String> allowedCountries = new ArrayList<>();

        /** E.164 prefixes (digits, no '+') that are never called; 'none' for no restriction. */
        private List<String> deniedPrefixes = new ArrayList<>();

        /** Number types that are never called (e.g. premium-rate); 'none' for no restriction. */
        private List<String> deniedNumberTypes = new ArrayList<>();

        public List<String> getAllowedCountries() {
            return allowedCountries;
        }

        public void setAllowedCountries(List<String> allowedCountries) {
            this.allowedCountries = allowedCountries;
        }

        public List<String> getDeniedPrefixes() {
            return deniedPrefixes;
        }

        public void setDeniedPrefixes(List<String> deniedPrefixes) {
            this.deniedPrefixes = deniedPrefixes;
        }

        public List<String> getDeniedNumberTypes() {
            return deniedNumberTypes;
        }

        public void setDeniedNumberTypes(List<String> deniedNumberTypes) {
            this.deniedNumberTypes = deniedNumberTypes;
        }
    }

    /** The HTTP client the providers share. */
    public static class Http {

        /** Idle connections kept for reuse. Default 64. */
        private @Nullable Integer maxIdleConnections;

        /** How long an idle connection is kept; a bare number is seconds, as the manager reads it. Default 5 minutes. */
        @DurationUnit(ChronoUnit.SECONDS)
        private @Nullable Duration keepAlive;

        /**
         * The longest any one provider request may take, however slowly it is answered; a bare number is seconds.
         * Default 30 seconds.
         */
        @DurationUnit(ChronoUnit.SECONDS)
        private @Nullable Duration callTimeout;

        public @Nullable Integer getMaxIdleConnections() {
            return maxIdleConnections;
        }

        public void setMaxIdleConnections(@Nullable Integer maxIdleConnections) {
            this.maxIdleConnections = maxIdleConnections;
        }

        public @Nullable Duration getKeepAlive() {
            return keepAlive;
        }

        public void setKeepAlive(@Nullable Duration keepAlive) {
            this.keepAlive = keepAlive;
        }

        public @Nullable Duration getCallTimeout() {
            return callTimeout;
        }

        public void setCallTimeout(@Nullable Duration callTimeout) {
            this.callTimeout = callTimeout;
        }
    }
}
