package io.globalcalling.store.jdbi;

import io.globalcalling.Secret;
import io.globalcalling.spi.Urls;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.store.jdbi.internal.Dialect;
import io.globalcalling.store.jdbi.internal.Migrations;
import io.globalcalling.store.jdbi.internal.Sql;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * The calling SDK's tables in one database, H2 or PostgreSQL, with the {@link JdbiCallStore} and
 * {@link JdbiLimitLedger} over them. Opening one checks that the database answers and brings its
 * schema up to date (Flyway, history in {@code calling_schema_history}, every table prefixed
 * {@code calling_}); a database that cannot be reached, or whose schema is newer than this library,
 * is refused here with a {@link StoreException}, before anything is written.
 *
 * <pre>{@code
 * JdbiCallingDatabase db = JdbiCallingDatabase.h2File(Path.of("data/calls"));   // embedded default
 * JdbiCallingDatabase db = JdbiCallingDatabase.postgres(hikariDataSource);       // several nodes, one database
 * CallStore store = db.callStore();
 * LimitLedger ledger = db.limitLedger();
 * }</pre>
 *
 * <p>A failed statement's {@link StoreException} names the operation, the table, the constraint or column and the
 * SQL state, never a bound value (phone numbers, transcripts), and neither does anything down its chain: the drivers'
 * exceptions, whose messages quote values (H2's unique-key and value-too-long ones, PostgreSQL's server detail
 * {@code Failing row contains (...)}, {@code Key (col)=(value) already exists}), are replaced by an
 * {@link java.sql.SQLException} with their SQL state and vendor code, whatever DataSource the host passes. The pool
 * {@link #postgres(String, String, Secret)} opens also sets PostgreSQL's driver property
 * {@code logServerErrorDetail=false}, for what the driver itself may log.
 */
public final class JdbiCallingDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdbiCallingDatabase.class);

    /** H2 waits this long for a row lock (its default, 1 s, is too short for busy counters). */
    private static final int H2_LOCK_TIMEOUT_MILLIS = 10_000;
    private static final int H2_MAX_CONNECTIONS = 32;
    /** Connections of the pool {@link #postgres(String, String, Secret)} opens; a host wanting another size passes its own DataSource. */
    private static final int POSTGRES_MAX_CONNECTIONS = 16;

    private final Dialect dialect;
    private final String schemaVersion;
    private final JdbiCallStore callStore;
    private final JdbiLimitLedger limitLedger;
    private final AutoCloseable owned;
    private final Jdbi jdbi;
    private final StoreSettings settings;

    private JdbiCallingDatabase(DataSource dataSource, Dialect expected, StoreSettings settings, AutoCloseable owned) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(settings, "settings");
        checkWritersLeaveConnections(dataSource, settings);
        this.owned = owned;
        this.settings = settings;
        this.dialect = detect(dataSource);
        if (expected != null && expected != dialect) {
            throw new StoreException("expected a " + expected + " database but found " + dialect);
        }
        this.schemaVersion = Migrations.migrate(dataSource, dialect);
        if (dialect == Dialect.H2) writeEachCommit(dataSource);
        this.jdbi = Sql.withoutBoundValuesInErrors(Jdbi.create(dataSource));
        this.limitLedger = new JdbiLimitLedger(jdbi, dialect, settings);
        // Last: with group commit on, it starts a thread that close() stops.
        this.callStore = new JdbiCallStore(jdbi, dialect, settings);
        log.info("calling database ready: {} schema version {}", dialect, schemaVersion);
    }

    /**
     * Group commit's writers each take a connection for every group: as many writers as the pool has connections can
     * hold them all, and every other use of the database (reads, the limit ledger's holds) then waits for the pool's
     * timeout and fails. Checked for the pools whose size can be read (HikariCP, H2's), before anything is written.
     *
     * @throws IllegalArgumentException naming both numbers when the writers leave the pool no connection
     */
    private static void checkWritersLeaveConnections(DataSource dataSource, StoreSettings settings) {
        if (!settings.groupCommit()) return;
        int connections = maxConnections(dataSource);
        if (connections > 0 && settings.groupCommitWriters() >= connections) {
            throw new IllegalArgumentException("groupCommitWriters " + settings.groupCommitWriters() + " must be fewer"
                    + " than the " + connections + " connections of the DataSource's pool, or the writers can hold every"
                    + " one and leave reads and the limit ledger none: use fewer writers or a larger pool");
        }
    }

    /** The most connections the pool opens, or 0 when the DataSource is of a kind whose size is not known here. */
    private static int maxConnections(DataSource dataSource) {
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                return dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize();
            }
            if (dataSource.isWrapperFor(JdbcConnectionPool.class)) {
                return dataSource.unwrap(JdbcConnectionPool.class).getMaxConnections();
            }
        } catch (SQLException e) {
            log.debug("the DataSource's pool size cannot be read: {}", e.toString());
        }
        return 0;
    }

    /**
     * H2 writes commits to its file in the background, up to 500 ms after them (its WRITE_DELAY), so a killed
     * process lost calls whose writes had returned. With 0, each commit is in the file (not yet synced to the disk)
     * before it returns. Set here rather than in a URL so that an H2 DataSource of the host's is covered too; the
     * setting is the database's own and needs admin rights, which an embedded database's owner has.
     */
    private static void writeEachCommit(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET WRITE_DELAY 0");
        } catch (SQLException e) {
            log.warn("could not set the H2 database's WRITE_DELAY to 0 ({}): a killed process may lose the writes of"
                    + " its last 500 ms; add ;WRITE_DELAY=0 to the database's URL", e.getMessage());
        }
    }

    private static JdbiCallingDatabase opening(DataSource dataSource, Dialect expected, StoreSettings settings,
                                               AutoCloseable owned) {
        try {
            return new JdbiCallingDatabase(dataSource, expected, settings, owned);
        } catch (RuntimeException e) {
            closeQuietly(owned);
            throw e;
        }
    }

    /** An embedded H2 database in the file {@code file} (H2 adds {@code .mv.db}), with default settings. */
    public static JdbiCallingDatabase h2File(Path file) {
        return h2File(file, StoreSettings.defaults());
    }

    /**
     * An embedded H2 database in the file {@code file}; its folder is created when missing. The path
     * is made absolute (H2 refuses bare relative names) and a trailing {@code .mv.db} is dropped, so
     * {@code data/calls} and {@code data/calls.mv.db} name the same database. The connections come
     * from H2's own pool, closed by {@link #close()}.
     *
     * @throws IllegalArgumentException when the path holds URL syntax ({@code ;}, {@code ?}, {@code #}) or a
     *                                  control character: H2 would read text after a {@code ;} as its own settings
     */
    public static JdbiCallingDatabase h2File(Path file, StoreSettings settings) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(settings, "settings");
        Path absolute = file.toAbsolutePath().normalize();
        String name = absolute.toString();
        checkH2FileName(file, name);
        if (name.endsWith(".mv.db")) name = name.substring(0, name.length() - ".mv.db".length());
        try {
            if (absolute.getParent() != null) Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new StoreException("cannot create the folder of H2 database " + absolute + ": " + e.getMessage(), e);
        }
        JdbcConnectionPool pool = JdbcConnectionPool.create(h2Url(name), "sa", "");
        pool.setMaxConnections(H2_MAX_CONNECTIONS);
        return opening(pool, Dialect.H2, settings, pool::dispose);
    }

    /** The path becomes part of a JDBC URL, so it may hold nothing that URL would read as more than a name. */
    private static void checkH2FileName(Path file, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ';' || c == '?' || c == '#' || Character.isISOControl(c)) {
                String shown = Character.isISOControl(c) ? String.format("U+%04X", (int) c) : "'" + c + "'";
                throw new IllegalArgumentException("file '" + file + "' must not contain " + shown
                        + ": the H2 URL would read what follows as database settings; "
                        + "use a path without ';', '?', '#' or control characters");
            }
        }
    }

    /** The JDBC URL for an H2 file database at the absolute base name {@code name}. */
    static String h2Url(String name) {
        return "jdbc:h2:file:" + name + ";LOCK_TIMEOUT=" + H2_LOCK_TIMEOUT_MILLIS;
    }

    /** PostgreSQL through the host's (pooled) DataSource, which the host keeps and closes. */
    public static JdbiCallingDatabase postgres(DataSource dataSource) {
        return postgres(dataSource, StoreSettings.defaults());
    }

    public static JdbiCallingDatabase postgres(DataSource dataSource, StoreSettings settings) {
        return opening(dataSource, Dialect.POSTGRESQL, settings, null);
    }

    /**
     * PostgreSQL at {@code jdbcUrl} ({@code jdbc:postgresql://host:port/db}), through a HikariCP pool of
     * 16 connections that {@link #close()} closes. A host with its own pool passes it to
     * {@link #postgres(DataSource)} instead.
     */
    public static JdbiCallingDatabase postgres(String jdbcUrl, String user, Secret password) {
        return postgres(jdbcUrl, user, password, StoreSettings.defaults());
    }

    public static JdbiCallingDatabase postgres(String jdbcUrl, String user, Secret password, StoreSettings settings) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        // The URL is not echoed: it may carry credentials.
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:");
        }
        // A password inside the URL would show wherever the URL is logged (Flyway logs it at start-up).
        // So would one as user info (jdbc:postgresql://user:password@host/db), which the driver reads too.
        if (jdbcUrl.toLowerCase(java.util.Locale.ROOT).contains("password=")
                || !Urls.withoutUserInfo(jdbcUrl).equals(jdbcUrl)) {
            throw new IllegalArgumentException("jdbcUrl must not carry the password (as password= or user:password@):"
                    + " pass the user and the password Secret");
        }
        // A pool, not a connection per operation: PostgreSQL forks a process for every new connection.
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("calling");
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(user);
        pool.setPassword(password.reveal());
        pool.setMaximumPoolSize(POSTGRES_MAX_CONNECTIONS);
        // Left at the driver's default (true), its messages carry the server's detail, which quotes values ("Failing
        // row contains (...)", "Key (col)=(value) already exists"); off, the error itself and its SQL state remain.
        pool.addDataSourceProperty("logServerErrorDetail", "false");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(pool);
        } catch (RuntimeException e) {
            throw new StoreException("cannot reach the calling database: " + e.getMessage(), e);
        }
        return opening(dataSource, Dialect.POSTGRESQL, settings, dataSource);
    }

    /** Whichever supported database {@code dataSource} points at, H2 or PostgreSQL, found from its metadata. */
    public static JdbiCallingDatabase open(DataSource dataSource, StoreSettings settings) {
        return opening(dataSource, null, settings, null);
    }

    private static Dialect detect(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return Dialect.fromProductName(c.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new StoreException("cannot reach the calling database: " + e.getMessage(), e);
        }
    }

    public JdbiCallStore callStore() {
        return callStore;
    }

    public JdbiLimitLedger limitLedger() {
        return limitLedger;
    }

    /**
     * The retention job: removes calls, events and the ledger's closed holds, past windows and periods
     * older than {@link StoreSettings#retention()}. Run it on a schedule, e.g. daily, on one node.
     */
    public RetentionResult purgeExpired() {
        return new RetentionResult(callStore.purgeExpired(), limitLedger.purgeExpired());
    }

    /** For tests in this package. */
    Jdbi jdbi() {
        return jdbi;
    }

    /** The settings the database was opened with. */
    public StoreSettings settings() {
        return settings;
    }

    /** The schema version in force, e.g. {@code 1}. */
    public String schemaVersion() {
        return schemaVersion;
    }

    /** {@code H2} or {@code POSTGRESQL}. */
    public String databaseKind() {
        return dialect.name();
    }

    /**
     * Commits the writes group commit holds, then closes the connections this object opened itself
     * (the H2 pool); a host's DataSource is left open.
     */
    @Override
    public void close() {
        callStore.stopGroupCommit();
        closeQuietly(owned);
    }

    private static void closeQuietly(AutoCloseable owned) {
        if (owned == null) return;
        try {
            owned.close();
        } catch (Exception e) {
            log.warn("closing the calling database failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "JdbiCallingDatabase[" + dialect + ", schema " + schemaVersion + "]";
    }
}
