package io.globalcalling.store.jdbi.internal;

import io.globalcalling.spi.store.StoreException;

import java.sql.SQLException;
import java.util.Locale;

/** The two databases the store speaks, and the few places where their SQL differs. */
public enum Dialect {
    H2("h2"),
    POSTGRESQL("postgresql");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** Picks the dialect from a JDBC product name, e.g. {@code PostgreSQL} or {@code H2}. */
    public static Dialect fromProductName(String productName) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) return POSTGRESQL;
        if (name.equals("h2")) return H2;
        throw new StoreException("database '" + productName + "' is not supported: use H2 or PostgreSQL");
    }

    /** The classpath folder of this dialect's Flyway migrations. */
    public String migrationLocation() {
        return "classpath:io/globalcalling/store/jdbi/migration/" + folder;
    }

    /** A named parameter holding JSON text, cast where the column has a JSON type. */
    public String json(String parameter) {
        return this == POSTGRESQL ? "CAST(:" + parameter + " AS JSONB)" : ":" + parameter;
    }

    /**
     * An INSERT of one row that inserts nothing when a row with the same unique key is there: ON CONFLICT on
     * PostgreSQL; on H2, which has none outside its PostgreSQL mode, a NOT EXISTS on {@code sameKey}. Either way a
     * repeated row counts 0 and does not fail the batch it is in. On H2 two transactions racing one new row still
     * meet the unique index: the caller counts that violation as the repeat.
     *
     * @param columns the columns, comma-separated
     * @param values  the row's values in the columns' order, comma-separated
     * @param sameKey the condition on {@code table} that finds a row with the same key, in the row's parameters
     */
    public String insertUnlessPresent(String table, String columns, String values, String sameKey) {
        return this == POSTGRESQL ? "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON CONFLICT DO NOTHING"
                : insertUnlessPresent(table, columns, values, "(VALUES (1)) one", sameKey);
    }

    /**
     * {@link #insertUnlessPresent(String, String, String, String)} with the row's values selected from {@code from}, a
     * FROM clause that yields one row (and may join what the values read).
     */
    public String insertUnlessPresent(String table, String columns, String values, String from, String sameKey) {
        String insert = "INSERT INTO " + table + " (" + columns + ") SELECT " + values + " FROM " + from;
        return this == POSTGRESQL ? insert + " ON CONFLICT DO NOTHING"
                : insert + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE " + sameKey + ")";
    }

    /**
     * The clause of a read that locks its rows until the transaction ends, so that it waits for a transaction changing
     * them and then reads them as committed, and one that changes them waits for it: FOR SHARE on PostgreSQL, so that
     * such reads do not wait for each other; H2 has FOR UPDATE only.
     */
    public String lockingRead() {
        return this == POSTGRESQL ? " FOR SHARE" : " FOR UPDATE";
    }

    /**
     * An UPDATE that also yields {@code columns} of the rows it changed, as they are after it, in one round trip:
     * {@code RETURNING} on PostgreSQL, a query of the update's {@code FINAL TABLE} on H2. Run it as a query.
     *
     * @param update  the UPDATE statement
     * @param columns the columns to yield, comma-separated
     */
    public String updateReturning(String update, String columns) {
        return this == POSTGRESQL ? update + " RETURNING " + columns
                : "SELECT " + columns + " FROM FINAL TABLE (" + update + ")";
    }

    /** Whether the exception (or a cause) is a unique-key violation, SQLSTATE 23505 in both databases. */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) return true;
        }
        return false;
    }
}
