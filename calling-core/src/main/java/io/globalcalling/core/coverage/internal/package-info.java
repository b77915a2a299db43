/**
 * Internals of the coverage package: the country grid reader. Not a supported API; it may change
 * at any time without notice.
 */
@NullMarked
package io.globalcalling.core.coverage.internal;

import org.jspecify.annotations.NullMarked;
