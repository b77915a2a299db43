package io.globalcalling.store.jdbi;

import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit survives {@code kill -9} of the writing process: every call whose {@code create}
 * had returned (and was printed) before the kill is in the database, each once. On H2 the plain
 * store is held to it too.
 */
class GroupCommitCrashTest {

    @TempDir
    Path folder;

    @Test
    void everyAcknowledgedWriteSurvivesAKill() throws Exception {
        JdbcConnectionPool pool = Postgres.newDatabase();
        try (JdbiCallingDatabase db = JdbiCallingDatabase.postgres(pool)) {
            List<String> acknowledged = acknowledgedBeforeAKill(Postgres.jdbcUrl(pool));
            assertThat(stored(db)).containsAll(acknowledged);
        } finally {
            pool.dispose();
        }
    }

    /**
     * The same on the embedded H2 file database, with group commit and without: H2 writes its commits to the
     * file in the background (every 500 ms by default), so a kill lost the calls created in the last moments.
     */
    @ParameterizedTest(name = "group commit {0}")
    @ValueSource(booleans = {true, false})
    void everyAcknowledgedWriteSurvivesAKillOnH2(boolean groupCommit) throws Exception {
        Path file = folder.resolve("calls");
        List<String> acknowledged = acknowledgedBeforeAKill("h2", file.toString(), String.valueOf(groupCommit));
        try (JdbiCallingDatabase db = JdbiCallingDatabase.h2File(file)) {
            assertThat(stored(db)).containsAll(acknowledged);
        }
    }

    /** Runs the child until it acknowledged 500 calls, then kills it; the calls it acknowledged. */
    private static List<String> acknowledgedBeforeAKill(String... args) throws Exception {
        Process child = ChildJvm.of(GroupCommitCrashChild.class, args)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && acknowledged.size() < 500; line = out.readLine()) {
                acknowledge(acknowledged, line);
            }
            // SIGKILL while the writers are mid-group (it closes the pipe: what the child printed after is not read).
            child.destroyForcibly();
            child.waitFor();
        } finally {
            child.destroyForcibly();
        }
        assertThat(acknowledged).as("the child wrote before it was killed").hasSizeGreaterThanOrEqualTo(500);
        return acknowledged;
    }

    private static Set<String> stored(JdbiCallingDatabase db) {
        return new HashSet<>(db.jdbi().withHandle(h -> h.createQuery("SELECT call_id FROM calling_call")
                .mapTo(String.class).list()));
    }

    /** A whole line, ended by ';', names a call whose create returned; a line the kill cut is not one. */
    private static void acknowledge(List<String> acknowledged, String line) {
        if (line.endsWith(";")) acknowledged.add(line.substring(0, line.length() - 1));
    }
}
