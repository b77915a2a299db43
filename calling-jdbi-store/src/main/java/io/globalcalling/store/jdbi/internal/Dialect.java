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
     * The clause that makes an INSERT skip a row whose {@code columns} collide with a unique index, on
     * PostgreSQL; H2 has none outside its PostgreSQL mode, so there the caller treats the unique
     * violation as the skip.
     */
    public String onConflictDoNothing(String columns) {
        return this == POSTGRESQL ? " ON CONFLICT (" + columns + ") DO NOTHING" : "";
    }

    /** Whether the exception (or a cause) is a unique-key violation, SQLSTATE 23505 in both databases. */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) return true;
        }
        return false;
    }
}
