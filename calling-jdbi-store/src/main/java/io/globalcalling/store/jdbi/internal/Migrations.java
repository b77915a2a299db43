package io.globalcalling.store.jdbi.internal;

import io.globalcalling.spi.store.StoreException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;

/**
 * Brings the schema up to date with Flyway, in its own history table {@code calling_schema_history}
 * so that it lives beside the host's own migrations. A database already at a version this library
 * does not know is refused rather than written to.
 */
public final class Migrations {

    public static final String HISTORY_TABLE = "calling_schema_history";

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    /** Migrates and returns the schema version now in force. */
    public static String migrate(DataSource dataSource, Dialect dialect) {
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .table(HISTORY_TABLE)
                .locations(dialect.migrationLocation())
                // The host's tables may already be there: start our history at 0 so V1 still runs.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
        try {
            refuseNewerSchema(flyway);
            MigrateResult result = flyway.migrate();
            String version = flyway.info().current() == null ? "none" : flyway.info().current().getVersion().getVersion();
            if (result.migrationsExecuted > 0) {
                log.info("calling schema migrated to version {} ({} migrations)", version, result.migrationsExecuted);
            }
            return version;
        } catch (FlywayException e) {
            throw new StoreException("the calling schema could not be migrated: " + e.getMessage(), e);
        }
    }

    private static void refuseNewerSchema(Flyway flyway) {
        String known = "0";
        for (MigrationInfo info : flyway.info().all()) {
            if (info.getVersion() != null && info.getState().isResolved()) known = info.getVersion().getVersion();
        }
        for (MigrationInfo info : flyway.info().applied()) {
            MigrationState state = info.getState();
            if (state == MigrationState.FUTURE_SUCCESS || state == MigrationState.FUTURE_FAILED) {
                throw new StoreException("the calling schema is at version " + info.getVersion()
                        + ", newer than this library knows (" + known + "): upgrade the library before using"
                        + " this database");
            }
        }
    }
}
