package io.globalcalling.store.jdbi;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DataSource that counts what reaches the database through it: each statement executed (a JDBC batch counts once,
 * as it is one round trip), by the statement it ran, and each transaction committed, an autocommitted statement
 * counting as a transaction of its own, as PostgreSQL's {@code xact_commit} counts it. A transaction that ran no
 * statement is not counted (the drivers send nothing for it).
 */
final class RoundTripCounter implements DataSource {

    private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");
    private static final Pattern SPACE = Pattern.compile("\\s+");
    private static final String BATCH = "batch: ";
    private static final Pattern FINAL_TABLE = Pattern.compile("SELECT .*? FROM FINAL TABLE \\((.*)\\)");
    private static final Pattern TABLE = Pattern.compile("calling_[a-z_]+");
    private static final Pattern COMPARED = Pattern.compile("([a-z_]+) = \\?");

    private final DataSource delegate;
    private final Map<String, Integer> statements = new TreeMap<>();
    private int transactions;
    private int rollbacks;

    RoundTripCounter(DataSource delegate) {
        this.delegate = delegate;
    }

    /** Forgets what was counted so far. */
    synchronized void reset() {
        statements.clear();
        transactions = 0;
        rollbacks = 0;
    }

    /** Statements executed since the last reset, by {@link #label}. */
    synchronized Map<String, Integer> statements() {
        return new TreeMap<>(statements);
    }

    /** Transactions committed since the last reset, autocommitted statements included. */
    synchronized int transactions() {
        return transactions;
    }

    synchronized int rollbacks() {
        return rollbacks;
    }

    private synchronized void executed(String sql, boolean autoCommit) {
        statements.merge(label(sql), 1, Integer::sum);
        if (autoCommit) transactions++;
    }

    private synchronized void ended(boolean committed) {
        if (committed) transactions++;
        else rollbacks++;
    }

    /**
     * The statement as counted: its verb, the first table it names and, for a query, update or delete, the columns its
     * {@code WHERE} compares with a parameter; a batch says so. The same on H2 and PostgreSQL, whose SQL differs in
     * places: an insert-unless-present {@code MERGE} counts as an insert, a query of an update's {@code FINAL TABLE}
     * as the update (PostgreSQL's {@code UPDATE ... RETURNING}).
     */
    static String label(String sql) {
        String flat = SPACE.matcher(sql.strip()).replaceAll(" ");
        boolean batch = flat.startsWith(BATCH);
        if (batch) flat = flat.substring(BATCH.length());
        Matcher delta = FINAL_TABLE.matcher(flat);
        if (delta.matches()) flat = delta.group(1);
        String verb = flat.substring(0, flat.indexOf(' ')).toUpperCase(Locale.ROOT);
        if (verb.equals("MERGE")) verb = "INSERT";
        Matcher table = TABLE.matcher(flat);
        StringBuilder label = new StringBuilder(verb).append(' ').append(table.find() ? table.group() : "?");
        int where = flat.indexOf(" WHERE ");
        if (!verb.equals("INSERT") && where >= 0) {
            Matcher compared = COMPARED.matcher(flat.substring(where));
            List<String> columns = new ArrayList<>();
            while (compared.find()) if (!columns.contains(compared.group(1))) columns.add(compared.group(1));
            label.append(" by ").append(String.join(", ", columns));
        }
        return batch ? label.append(" (batch)").toString() : label.toString();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return counting(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return counting(delegate.getConnection(username, password));
    }

    private Connection counting(Connection connection) {
        return proxy(Connection.class, new ConnectionHandler(connection));
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(RoundTripCounter.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Tracks the connection's transaction: whether it autocommits, and whether its open transaction ran anything. */
    private final class ConnectionHandler implements InvocationHandler {
        private final Connection connection;
        private boolean ranSinceCommit;

        ConnectionHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "commit" -> {
                    Object result = RoundTripCounter.invoke(connection, method, args);
                    if (ranSinceCommit) ended(true);
                    ranSinceCommit = false;
                    return result;
                }
                case "rollback" -> {
                    Object result = RoundTripCounter.invoke(connection, method, args);
                    if (ranSinceCommit && (args == null || args.length == 0)) ended(false);
                    if (args == null || args.length == 0) ranSinceCommit = false;
                    return result;
                }
                case "setAutoCommit" -> {
                    // switching autocommit on commits the transaction open
                    boolean wasOff = !connection.getAutoCommit();
                    Object result = RoundTripCounter.invoke(connection, method, args);
                    if (wasOff && (Boolean) args[0] && ranSinceCommit) ended(true);
                    if ((Boolean) args[0]) ranSinceCommit = false;
                    return result;
                }
                case "close" -> {
                    return RoundTripCounter.invoke(connection, method, args);
                }
                default -> {
                    Object result = RoundTripCounter.invoke(connection, method, args);
                    if (result instanceof Statement s) {
                        String sql = args != null && args.length > 0 && args[0] instanceof String q ? q : null;
                        Class<? extends Statement> type = method.getReturnType().asSubclass(Statement.class);
                        return proxy(type, new StatementHandler(this, s, sql));
                    }
                    return result;
                }
            }
        }

        void executed(String sql) throws SQLException {
            boolean autoCommit = connection.getAutoCommit();
            RoundTripCounter.this.executed(sql, autoCommit);
            if (!autoCommit) ranSinceCommit = true;
        }
    }

    /** Counts each execution of a statement, with the SQL it was prepared with or is given. */
    private static final class StatementHandler implements InvocationHandler {
        private final ConnectionHandler connection;
        private final Statement statement;
        private final String prepared;
        private String batched;

        StatementHandler(ConnectionHandler connection, Statement statement, String prepared) {
            this.connection = connection;
            this.statement = statement;
            this.prepared = prepared;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("addBatch") && args != null && args.length == 1 && args[0] instanceof String sql) {
                batched = sql;
            }
            if (name.equals("getConnection")) return RoundTripCounter.invoke(statement, method, args);
            Object result = RoundTripCounter.invoke(statement, method, args);
            if (EXECUTE.contains(name)) {
                String sql = args != null && args.length > 0 && args[0] instanceof String q ? q
                        : prepared != null ? prepared : batched;
                connection.executed(name.contains("Batch") ? BATCH + sql : sql);
            }
            return result;
        }
    }

    // ---- DataSource plumbing: the pool's size is read through unwrap ----

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }
}
