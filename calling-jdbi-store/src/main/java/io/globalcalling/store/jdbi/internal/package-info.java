/**
 * Internals of the JDBI store: SQL dialects, JSON columns, time arguments, migrations. Unsupported:
 * anything here may change without notice.
 */
@NullMarked
package io.globalcalling.store.jdbi.internal;

import org.jspecify.annotations.NullMarked;
