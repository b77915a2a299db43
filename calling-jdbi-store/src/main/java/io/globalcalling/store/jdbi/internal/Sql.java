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

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Currency;

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

    private static StoreException failure(String what, JdbiException e) {
        return new StoreException("could not " + what + ": " + describe(e), e);
    }

    /**
     * A database failure for a message: its kind and SQL state. Not its message, which may be logged by the host:
     * JDBI's lists the statement's bound values and the driver's can quote them (phone numbers, transcripts).
     */
    public static String describe(Throwable e) {
        String state = "none";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                state = sql.getSQLState();
                break;
            }
        }
        return e.getClass().getSimpleName() + ", SQLState " + state;
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
