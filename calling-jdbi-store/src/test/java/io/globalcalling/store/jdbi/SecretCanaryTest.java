package io.globalcalling.store.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import io.globalcalling.Secret;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Opens the store with a canary database password, at debug level (HikariCP and the store log their settings
 * there): against a real PostgreSQL (which the pool reaches) and a closed port (a failed connection), then greps
 * every log line, exception (with causes and stack) and toString() for the canary.
 */
class SecretCanaryTest {

    private static final String CANARY = "CANARYdbpass41b7e2c9";

    @Test
    void theDatabasePasswordNeverReachesALogAnExceptionOrAToString() throws Exception {
        List<String> seen = new ArrayList<>();
        String reachable = Postgres.server().getJdbcUrl("postgres", "postgres");
        String closed = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/calls?connectTimeout=2";
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            try (JdbiCallingDatabase db = JdbiCallingDatabase.postgres(reachable, "postgres", Secret.of(CANARY))) {
                seen.add(db.toString());
                seen.add(db.callStore().toString());
                seen.add(db.limitLedger().toString());
            }
            for (String url : List.of(closed, "jdbc:postgresql://127.0.0.1:1/x?password=" + CANARY, "jdbc:mysql://db/x")) {
                try (JdbiCallingDatabase db = JdbiCallingDatabase.postgres(url, "app", Secret.of(CANARY))) {
                    seen.add(db.toString());
                } catch (RuntimeException e) {
                    seen.add(everything(e));
                }
            }
        } finally {
            System.setErr(originalErr);
        }
        String logText = logs.toString(StandardCharsets.UTF_8);
        assertThat(logText).as("HikariCP logged its settings at debug").contains("DEBUG").contains("password");
        assertThat(logText).as("logs").doesNotContain(CANARY);
        assertThat(seen).hasSize(6).allSatisfy(text -> assertThat(text).doesNotContain(CANARY));
    }

    private static String everything(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        for (Throwable t = e; t != null; t = t.getCause()) out.append(' ').append(String.valueOf(t.getMessage()));
        return e + " " + out;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
