package io.globalcalling.store.jdbi;

import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit survives {@code kill -9} of the writing process: every call whose {@code create}
 * had returned (and was printed) before the kill is in the database, each once.
 */
class GroupCommitCrashTest {

    @Test
    void everyAcknowledgedWriteSurvivesAKill() throws Exception {
        JdbcConnectionPool pool = Postgres.newDatabase();
        try (JdbiCallingDatabase db = JdbiCallingDatabase.postgres(pool)) {
            Process child = ChildJvm.of(GroupCommitCrashChild.class, Postgres.jdbcUrl(pool))
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
            Set<String> stored = new HashSet<>(db.jdbi().withHandle(h -> h.createQuery("SELECT call_id FROM calling_call")
                    .mapTo(String.class).list()));
            assertThat(stored).containsAll(acknowledged);
        } finally {
            pool.dispose();
        }
    }

    /** A whole line, ended by ';', names a call whose create returned; a line the kill cut is not one. */
    private static void acknowledge(List<String> acknowledged, String line) {
        if (line.endsWith(";")) acknowledged.add(line.substring(0, line.length() - 1));
    }
}
