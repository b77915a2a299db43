package io.globalcalling.store.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Group commit's writers each take a connection of the pool for every group: as many writers as the pool has
 * connections can hold all of them, and every read and every ledger hold then waits for the pool's timeout and
 * fails. Such settings are refused when the database is opened, before anything is written.
 */
class GroupCommitWritersAndPoolTest {

    @TempDir
    Path folder;

    private static StoreSettings writers(int writers) {
        return StoreSettings.builder().groupCommit(true).groupCommitWriters(writers).build();
    }

    @Test
    void writersAsManyAsTheEmbeddedPoolsConnectionsAreRefusedNamingBoth() {
        assertThatThrownBy(() -> JdbiCallingDatabase.h2File(folder.resolve("calls"), writers(32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("groupCommitWriters 32").hasMessageContaining("32 connections");
        try (JdbiCallingDatabase db = JdbiCallingDatabase.h2File(folder.resolve("calls"), writers(31))) {
            assertThat(db.settings().groupCommitWriters()).isEqualTo(31);
        }
    }

    @Test
    void writersAsManyAsTheHostsHikariPoolsConnectionsAreRefusedBeforeAnythingIsWritten() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:writers-hikari;DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setMaximumPoolSize(4);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            assertThatThrownBy(() -> JdbiCallingDatabase.open(pool, writers(4)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("groupCommitWriters 4").hasMessageContaining("4 connections");
            int tables = Jdbi.create(pool).withHandle(h -> h.createQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE LOWER(TABLE_NAME) LIKE 'calling_%'").mapTo(Integer.class).one());
            assertThat(tables).as("calling tables created").isZero();

            try (JdbiCallingDatabase db = JdbiCallingDatabase.open(pool, writers(3))) {
                assertThat(db.settings().groupCommitWriters()).isEqualTo(3);
            }
        }
    }

    @Test
    void writersAsManyAsTheHostsH2PoolsConnectionsAreRefused() {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:writers-h2pool;DB_CLOSE_DELAY=-1", "sa", "");
        pool.setMaxConnections(2);
        try {
            assertThatThrownBy(() -> JdbiCallingDatabase.open(pool, writers(2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 connections");
        } finally {
            pool.dispose();
        }
    }

    @Test
    void writersAreNotCountedWhenGroupCommitIsOff() {
        StoreSettings off = StoreSettings.builder().groupCommit(false).groupCommitWriters(64).build();
        try (JdbiCallingDatabase db = JdbiCallingDatabase.h2File(folder.resolve("calls"), off)) {
            assertThat(db.callStore().groupCommitter()).isNull();
        }
    }
}
