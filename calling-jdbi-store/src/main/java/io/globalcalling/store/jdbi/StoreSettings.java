package io.globalcalling.store.jdbi;

import io.globalcalling.Secret;
import io.globalcalling.spi.store.CallStore;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the JDBI store keeps and forgets data: how long call records and events are retained (90 days
 * by default), how many rows one purge or erasure transaction touches (1,000), the key that turns an
 * erased phone number into an HMAC-SHA256 pseudonym, whether writes share commits (group commit, off by
 * default) and on how many writer threads (one), and the clock. Immutable; build with
 * {@link #builder()} or take {@link #defaults()}.
 */
public final class StoreSettings {

    private final Duration retention;
    private final int chunkSize;
    private final Secret erasureKey;
    private final Clock clock;
    private final boolean groupCommit;
    private final int groupCommitWriters;

    private StoreSettings(Builder b) {
        this.retention = b.retention;
        this.chunkSize = b.chunkSize;
        this.erasureKey = b.erasureKey;
        this.clock = b.clock;
        this.groupCommit = b.groupCommit;
        this.groupCommitWriters = b.groupCommitWriters;
    }

    public static StoreSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How long records, events and finished campaigns are kept before {@link JdbiCallStore#purgeExpired()} removes them. */
    public Duration retention() {
        return retention;
    }

    /** Rows per purge or erasure transaction, so no lock is held for long. */
    public int chunkSize() {
        return chunkSize;
    }

    /** The HMAC key for erased numbers, if configured. */
    public Optional<Secret> erasureKey() {
        return Optional.ofNullable(erasureKey);
    }

    public Clock clock() {
        return clock;
    }

    /** Whether concurrent callers' call writes share one transaction and commit; see {@link Builder#groupCommit(boolean)}. */
    public boolean groupCommit() {
        return groupCommit;
    }

    /** How many writer threads run group commit's groups; see {@link Builder#groupCommitWriters(int)}. */
    public int groupCommitWriters() {
        return groupCommitWriters;
    }

    @Override
    public String toString() {
        return "StoreSettings[retention=" + retention + ", chunkSize=" + chunkSize + ", erasureKey="
                + (erasureKey == null ? "none" : erasureKey) + ", clock=" + clock + ", groupCommit=" + groupCommit
                + ", groupCommitWriters=" + groupCommitWriters + "]";
    }

    /** Builds {@link StoreSettings}; every setter checks its value at once. */
    public static final class Builder {
        private Duration retention = CallStore.DEFAULT_RETENTION;
        private int chunkSize = 1_000;
        private Secret erasureKey;
        private Clock clock = Clock.systemUTC();
        private boolean groupCommit;
        private int groupCommitWriters = 1;

        private Builder() {
        }

        public Builder retention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("retention " + retention + " must be positive");
            }
            this.retention = retention;
            return this;
        }

        public Builder chunkSize(int chunkSize) {
            if (chunkSize < 1 || chunkSize > 100_000) {
                throw new IllegalArgumentException("chunkSize " + chunkSize + " must be between 1 and 100000");
            }
            this.chunkSize = chunkSize;
            return this;
        }

        public Builder erasureKey(Secret erasureKey) {
            this.erasureKey = Objects.requireNonNull(erasureKey, "erasureKey");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Group commit: {@link JdbiCallStore#create}, {@link JdbiCallStore#update} and
         * {@link JdbiCallStore#appendEvent} calls made at the same time by many threads share one
         * transaction and one commit (up to 256 writes), run as JDBC batches by one writer thread.
         * Each caller still returns only once its own write is committed, with the same result and
         * exceptions as without it. It pays when many threads write at once and a commit is dear
         * (PostgreSQL with durable commits); a lone writer waits a thread hand-over longer per write.
         */
        public Builder groupCommit(boolean groupCommit) {
            this.groupCommit = groupCommit;
            return this;
        }

        /**
         * Writer threads for group commit (1 by default; used only with {@link #groupCommit(boolean)} on).
         * Each runs its own groups on its own connection, so one group's statements execute while
         * another's are staged or committed; all of a call's writes go to the same writer, in order. More
         * writers pay when the database has cores to spare for them, as on a machine of its own: with
         * PostgreSQL on the same 2 cores, 2 writers recorded calls 1.3 times as fast as 1 (3 or 4 no
         * faster), but the load host, which needs those cores for its HTTP work too, placed 4 % fewer
         * calls a second with 2 (docs/BENCHMARKS.md, docs/LOAD.md). Opening the database refuses as many writers
         * as its pool has connections (HikariCP's and H2's pools, whose size it can read).
         */
        public Builder groupCommitWriters(int writers) {
            if (writers < 1 || writers > 64) {
                throw new IllegalArgumentException("groupCommitWriters " + writers + " must be between 1 and 64");
            }
            this.groupCommitWriters = writers;
            return this;
        }

        public StoreSettings build() {
            return new StoreSettings(this);
        }
    }
}
