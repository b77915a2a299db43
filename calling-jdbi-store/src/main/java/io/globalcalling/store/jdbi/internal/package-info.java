/**
 * Internals of the JDBI store: SQL dialects, JSON columns, time arguments, migrations. Unsupported:
 * anything here may change without notice.
 */
package io.globalcalling.store.jdbi.internal;
