package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.Endpoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.Secret;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.testkit.FakeCallProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What a statement's failure carries: providers log it with its stack trace, so every message down
 * the exception chain is in the log. None may hold a bound value (a phone number, a message's text), which JDBI's
 * message lists by default and PostgreSQL's error detail quotes ("Failing row contains (...)").
 */
class StoreFailureLogTest {

    private static final String NUMBER = "+447700900123";
    private static final String TEXT = "my card number is 4111 1111 1111 1111";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path folder;

    @Test
    void aMessageThatCannotBeStoredIsLoggedWithoutItsNumberOrTextOnH2() throws IOException {
        try (JdbiCallingDatabase db = JdbiCallingDatabase.h2File(folder.resolve("calls"))) {
            assertLoggedWithoutBoundValues(db);
        }
    }

    @Test
    void aMessageThatCannotBeStoredIsLoggedWithoutItsNumberOrTextOnPostgres() throws IOException {
        try (JdbiCallingDatabase db = JdbiCallingDatabase.postgres(newPostgresDatabase(), "postgres",
                Secret.of("unused-by-the-test-server"))) {
            assertLoggedWithoutBoundValues(db);
        }
    }

    private void assertLoggedWithoutBoundValues(JdbiCallingDatabase db) throws IOException {
        // a host's own rule on the table makes the insert fail
        db.jdbi().useHandle(h -> h.execute("ALTER TABLE calling_inbound_message ADD CONSTRAINT host_rule"
                + " CHECK (kind <> 'reply')"));
        FakeCallProvider[] terminal = new FakeCallProvider[1];
        InboundFactory.create = ctx -> terminal[0] = FakeCallProvider.builder().id("terminal").context(ctx)
                .categories(CallCategory.SATELLITE).build();

        Throwable[] thrown = new Throwable[1];
        String log;
        try (GlobalCallingManager m = GlobalCallingManager.builder().config(ProviderConfig.empty())
                .classLoader(discovering()).store(db.callStore()).build()) {
            // the failure goes back to the provider, which has the message delivered again
            log = stderrOf(() -> thrown[0] = catchThrowable(() -> terminal[0].receive(InboundMessage.builder("terminal",
                    Endpoint.parse(NUMBER), InboundMessage.Kind.REPLY).receivedAt(Instant.parse("2026-03-01T09:00:00Z"))
                    .text(TEXT).providerMessageId("MOMSN-1").build())));
        }

        StringWriter chain = new StringWriter();
        thrown[0].printStackTrace(new PrintWriter(chain));
        assertThat(thrown[0]).isInstanceOf(StoreException.class);
        assertThat(chain.toString()).as("the failure's whole chain, as a provider logs it")
                .contains("UnableToExecuteStatementException").containsIgnoringCase("calling_inbound_message")
                .doesNotContain(NUMBER).doesNotContain("4111").doesNotContain("my card");
        assertThat(log).doesNotContain(NUMBER).doesNotContain("4111").doesNotContain("my card");
    }

    /** What the code logs (slf4j-simple writes to standard error) while {@code action} runs. */
    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = logs.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    /** The URL of a fresh database on the tests' PostgreSQL server. */
    private static String newPostgresDatabase() {
        String name = "calling_log_test_" + DATABASES.incrementAndGet();
        try (Connection c = Postgres.server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return Postgres.server().getJdbcUrl("postgres", name);
    }

    /** A class loader through which the manager discovers {@link InboundFactory}, so its provider gets the manager's context. */
    private ClassLoader discovering() throws IOException {
        Path services = Files.writeString(folder.resolve("services"), InboundFactory.class.getName() + "\n");
        String name = "META-INF/services/" + CallingProviderFactory.class.getName();
        return new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String resource) throws IOException {
                return resource.equals(name) ? Collections.enumeration(List.of(services.toUri().toURL()))
                        : super.getResources(resource);
            }
        };
    }

    /** Creates, through ServiceLoader, the provider the running test asks for. */
    public static final class InboundFactory implements CallingProviderFactory {
        static volatile Function<ProviderContext, CallingProvider> create;

        @Override
        public String id() {
            return "terminal";
        }

        @Override
        public boolean isConfigured(ProviderConfig config) {
            return true;
        }

        @Override
        public CallingProvider create(ProviderConfig config, ProviderContext context) {
            return create.apply(context);
        }
    }
}
