package io.globalcalling.store.jdbi;

import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file path becomes part of H2's JDBC URL: text in it must never turn into database settings. */
class H2FilePathTest {

    @TempDir
    Path folder;

    @Test
    void aSemicolonInThePathIsRefusedBeforeAnythingIsCreated() throws IOException {
        assertThatThrownBy(() -> JdbiCallingDatabase.h2File(folder.resolve("sub/calls;TRACE_LEVEL_FILE=3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("calls;TRACE_LEVEL_FILE=3").hasMessageContaining("';'")
                .hasMessageContaining("database settings");
        try (Stream<Path> created = Files.list(folder)) {
            assertThat(created).as("no folder, database or trace file").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"calls?x=1", "calls#frag", "calls\nINIT=RUNSCRIPT"})
    void otherUrlSyntaxAndControlCharactersAreRefused(String name) {
        assertThatThrownBy(() -> JdbiCallingDatabase.h2File(folder.resolve(name)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain");
    }

    @Test
    void anOrdinaryPathStillOpens() {
        try (JdbiCallingDatabase db = JdbiCallingDatabase.h2File(folder.resolve("data-2024/calls_v1.mv.db"))) {
            assertThat(db.callStore().recent(1)).isEmpty();
        }
    }

    @Test
    void everyCommitIsWrittenToTheFileBeforeItReturnsOnAHostsH2DataSourceToo() {
        // H2's default WRITE_DELAY writes commits up to 500 ms later: a killed process lost calls whose create returned
        JdbcConnectionPool hosts = JdbcConnectionPool.create("jdbc:h2:file:" + folder.resolve("host"), "sa", "");
        try (JdbiCallingDatabase db = JdbiCallingDatabase.open(hosts, StoreSettings.defaults())) {
            List<String> writeDelay = Jdbi.create(hosts).withHandle(h -> h.createQuery("SELECT SETTING_VALUE FROM"
                    + " INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'").mapTo(String.class).list());
            assertThat(writeDelay).isNotEmpty().containsOnly("0");
        } finally {
            hosts.dispose();
        }
    }
}
