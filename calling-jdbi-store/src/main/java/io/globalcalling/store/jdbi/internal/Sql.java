package io.globalcalling.store.jdbi.internal;

import io.globalcalling.Money;
import io.globalcalling.spi.store.StoreException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binding and reading the column types JDBI has no one right answer for. Instants travel as
 * {@code OffsetDateTime} in UTC, so no JVM time zone can shift them.
 */
public final class Sql {

    private Sql() {
    }

    /** Runs {@code work} on a handle; a database failure becomes a StoreException saying what could not be done. */
    public static <T> T withHandle(Jdbi jdbi, String what, HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.withHandle(work);
        } catch (JdbiException e) {
            throw failure(what, e);
        }
    }

    /** Like {@link #withHandle}, in one transaction. */
    public static <T> T inTransaction(Jdbi jdbi, String what, HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.inTransaction(work);
        } catch (JdbiException e) {
            throw failure(what, e);
        }
    }

    /** How many times, in all, {@link #inTransactionRerunIfAborted} runs a transaction the database keeps aborting. */
    private static final int ABORTED_RUNS = 5;

    /**
     * Like {@link #inTransaction}, run again when the database rolled it back to break a deadlock or as a
     * serialization failure (SQLState 40001; PostgreSQL's deadlock is 40P01): it then changed nothing, and the SQL
     * standard's answer is to run it again. For a transaction that locks many calls' rows, which the store's own
     * writers (a group commit) may hold and lock in another order; {@code work} must change nothing outside the
     * database. Each run waits a little longer first, so the transaction that won takes the rows it waits for.
     */
    public static <T> T inTransactionRerunIfAborted(Jdbi jdbi, String what, HandleCallback<T, RuntimeException> work) {
        for (int run = 1; ; run++) {
            try {
                return jdbi.inTransaction(work);
            } catch (JdbiException e) {
                if (run == ABORTED_RUNS || !abortedToRunAgain(e)) throw failure(what, e);
                try {
                    Thread.sleep(25L << run);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw failure(what, e);
                }
            }
        }
    }

    private static boolean abortedToRunAgain(Throwable e) {
        SQLException sql = sqlException(e);
        return sql != null && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()));
    }

    /**
     * A database failure as the host sees it, logged or shown: {@code could not <what>: <JDBI's exception>, SQLState
     * <state>}, then the table, constraint and column where the database names them. No driver's message is passed
     * on, in the message or down the chain: H2's unique-key and value-too-long messages quote the row's values, and so
     * does PostgreSQL's detail ({@code Key (col)=(value)}, {@code Failing row contains (...)}) unless the host's
     * DataSource turns it off; JDBI's message repeats the driver's. The cause, in their place, is an
     * {@link SQLException} with the SQL state, the vendor code, the statement (its parameters' names, not their
     * values) and JDBI's stack trace. A failure that is not the database's keeps its cause.
     */
    public static StoreException failure(String what, Throwable e) {
        return new StoreException("could not " + what + ": " + describe(e), withoutValues(e));
    }

    /**
     * A database failure for a message: its kind and SQL state, then the table, constraint and column where known. Not
     * its message, which may be logged by the host: JDBI's and the driver's can quote the statement's bound values
     * (phone numbers, transcripts).
     */
    public static String describe(Throwable e) {
        SQLException sql = sqlException(e);
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName()).append(", SQLState ")
                .append(sql == null || sql.getSQLState() == null ? "none" : sql.getSQLState());
        String table = sql == null ? null : serverField(sql, "getTable");
        if (table == null) table = statementTable(e);
        if (table != null) text.append(", table ").append(table);
        if (sql != null) {
            String constraint = serverField(sql, "getConstraint");
            if (constraint == null) constraint = h2Name(sql, H2_CONSTRAINT);
            if (constraint != null) text.append(", constraint ").append(constraint);
            String column = serverField(sql, "getColumn");
            if (column == null) column = h2Name(sql, H2_COLUMN);
            if (column != null) text.append(", column ").append(column);
        }
        return text.toString();
    }

    /** The first SQL exception down the chain that has a SQL state, or else the first one. */
    private static @Nullable SQLException sqlException(Throwable e) {
        SQLException first = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                if (sql.getSQLState() != null) return sql;
                if (first == null) first = sql;
            }
        }
        return first;
    }

    private static Throwable withoutValues(Throwable e) {
        SQLException sql = sqlException(e);
        if (sql == null && !(e instanceof JdbiException)) return e;
        String statement = e instanceof StatementException s ? statement(s) : "";
        SQLException shown = new SQLException(e.getClass().getName() + " from "
                + (sql == null ? "no driver exception" : sql.getClass().getName()) + ": " + describe(e) + statement,
                sql == null ? null : sql.getSQLState(), sql == null ? 0 : sql.getErrorCode());
        shown.setStackTrace(e.getStackTrace());
        return shown;
    }

    /** The statement as JDBI renders it, with its parameters' names: " [statement:"..."]", or "" when there is none. */
    private static String statement(StatementException e) {
        StatementContext ctx = e.getStatementContext();
        String sql = ctx == null ? null : ctx.getRenderedSql();
        if (sql == null) return "";
        int limit = ctx.getConfig(StatementExceptions.class).getLengthLimit();
        return " [statement:\"" + (sql.length() > limit ? sql.substring(0, limit) + "[...]" : sql) + "\"]";
    }

    /** The table the failed statement writes (INSERT INTO, UPDATE, DELETE FROM, MERGE INTO), when it is one. */
    private static @Nullable String statementTable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StatementException s && s.getStatementContext() != null
                    && s.getStatementContext().getRenderedSql() != null) {
                Matcher m = WRITTEN_TABLE.matcher(s.getStatementContext().getRenderedSql());
                return m.find() ? m.group(1) : null;
            }
        }
        return null;
    }

    private static final Pattern WRITTEN_TABLE = Pattern.compile(
            "^\\s*(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|MERGE\\s+INTO)\\s+(\\w+)", Pattern.CASE_INSENSITIVE);

    /**
     * A field PostgreSQL's server reported apart from its message ({@code ServerErrorMessage}: the table, constraint
     * or column, never a value), of the exception or of one chained to it as a batch's are. Read by name: the driver
     * is a runtime dependency only, absent when a host uses H2.
     */
    private static @Nullable String serverField(SQLException e, String getter) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            try {
                Object server = s.getClass().getMethod("getServerErrorMessage").invoke(s);
                Object field = server == null ? null : server.getClass().getMethod(getter).invoke(server);
                if (field instanceof String name) return name;
            } catch (ReflectiveOperationException | SecurityException notPostgres) {
                // not PostgreSQL's: H2's messages are read below
            }
        }
        return null;
    }

    /** H2's messages name the constraint (or unique index) and the column at their start, before any value. */
    private static final Pattern H2_CONSTRAINT = Pattern.compile(
            "^(?:Unique index or primary key violation: \"(?:\\w+\\.)?(\\w+) ON |[A-Za-z ]+ constraint violation: \"(?:\\w+\\.)?(\\w+):)");
    private static final Pattern H2_COLUMN = Pattern.compile(
            "^(?:Value too long for column|NULL not allowed for column) \"(?:\\w+\\.)?(\\w+)");

    private static @Nullable String h2Name(SQLException e, Pattern pattern) {
        if (!e.getClass().getName().startsWith("org.h2.")) return null;
        Matcher m = pattern.matcher(String.valueOf(e.getMessage()));
        if (!m.find()) return null;
        String name = m.group(1) != null ? m.group(1) : m.groupCount() > 1 ? m.group(2) : null;
        return name == null ? null : name.toLowerCase(Locale.ROOT);
    }

    /**
     * Makes JDBI's messages for a failed statement name the statement but not its bound values. By default they list
     * them (phone numbers, transcripts, customer ids, idempotency keys), and a failure logged with its stack trace
     * prints every message down its chain. None of JDBI's own renderings keeps the statement without the arguments.
     */
    public static Jdbi withoutBoundValuesInErrors(Jdbi jdbi) {
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(Sql::statementOnly);
        return jdbi;
    }

    private static String statementOnly(StatementException e) {
        StatementContext ctx = e.getStatementContext();
        String sql = ctx.getRenderedSql();
        if (sql == null) return e.getShortMessage();
        int limit = ctx.getConfig(StatementExceptions.class).getLengthLimit();
        if (sql.length() > limit) sql = sql.substring(0, limit) + "[...]";
        return e.getShortMessage() + " [statement:\"" + sql + "\"]";
    }

    /**
     * Binds an instant cut to microseconds, which is what H2 and PostgreSQL keep: left to them, nanoseconds are
     * rounded, so 09:59:59.9999996 became 10:00 and a call was counted in the next hour; cut, an instant only ever
     * loses its nanoseconds, as the in-memory store's comparisons and hours see it.
     */
    public static Argument instant(Instant value) {
        return (position, statement, ctx) -> {
            if (value == null) {
                statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                statement.setObject(position, value.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC),
                        Types.TIMESTAMP_WITH_TIMEZONE);
            }
        };
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static Money money(ResultSet rs, String amountColumn, String currencyColumn) throws SQLException {
        BigDecimal amount = rs.getBigDecimal(amountColumn);
        String currency = rs.getString(currencyColumn);
        return amount == null || currency == null ? null : Money.of(amount, Currency.getInstance(currency.strip()));
    }

    public static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
