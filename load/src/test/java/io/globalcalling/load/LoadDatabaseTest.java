package io.globalcalling.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The run's PostgreSQL commits durably unless the run asks for the fast, unsafe mode by name. */
class LoadDatabaseTest {

    @Test
    void postgresqlCommitsDurablyByDefaultAndOnlyTheFlagTurnsThatOff(@TempDir Path dir) throws Exception {
        assertThat(LoadSettings.from(Map.of("doc", "none")).fastUnsafeDb()).isFalse();
        assertThat(synchronousCommit(false, dir)).isEqualTo("on");
        assertThat(synchronousCommit(true, dir)).isEqualTo("off");
    }

    @Test
    void groupCommitIsOnForPostgresqlUnlessTurnedOffAndTheModeIsNamed() {
        LoadSettings postgres = LoadSettings.from(Map.of("doc", "none"));
        assertThat(postgres.groupCommit()).isTrue();
        assertThat(postgres.dbMode()).isEqualTo("PostgreSQL (embedded, durable commits, group commit)");
        assertThat(LoadSettings.from(Map.of("doc", "none", "group-commit", "false", "fast-unsafe-db", "true")).dbMode())
                .isEqualTo("PostgreSQL (embedded, synchronous_commit OFF: fast, unsafe, a commit per write)");
        assertThat(LoadSettings.from(Map.of("doc", "none", "db", "h2")).groupCommit()).isFalse();
        assertThat(postgres.groupCommitWriters()).isEqualTo(1);
        assertThat(LoadSettings.from(Map.of("doc", "none", "group-commit-writers", "2")).dbMode())
                .isEqualTo("PostgreSQL (embedded, durable commits, group commit on 2 writers)");
        assertThatThrownBy(() -> LoadSettings.from(Map.of("doc", "none", "group-commit", "false",
                "group-commit-writers", "2"))).hasMessage("group-commit-writers 2 needs group commit on");
        assertThatThrownBy(() -> LoadSettings.from(Map.of("doc", "none", "group-commit-writers", "0")))
                .hasMessage("group-commit-writers: groupCommitWriters 0 must be between 1 and 64");
        assertThatThrownBy(() -> LoadSettings.from(Map.of("doc", "none", "group-commit-writers", "65")))
                .hasMessage("group-commit-writers: groupCommitWriters 65 must be between 1 and 64");
        assertThat(LoadSettings.from(Map.of("doc", "none", "group-commit-writers", "64")).groupCommitWriters())
                .isEqualTo(64);
        assertThatThrownBy(() -> LoadSettings.from(Map.of("doc", "none", "db", "h2", "fast-unsafe-db", "true")))
                .hasMessageContaining("fast-unsafe-db");
    }

    private static String synchronousCommit(boolean fastUnsafe, Path dir) throws Exception {
        try (LoadRun.Database db = LoadRun.Database.start("postgres", fastUnsafe, dir);
             Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("SHOW synchronous_commit")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
