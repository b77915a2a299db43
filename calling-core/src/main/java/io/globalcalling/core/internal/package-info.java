/**
 * Internal machinery of the core. Not supported for use outside the SDK: it may change in any
 * release without notice.
 */
@NullMarked
package io.globalcalling.core.internal;

import org.jspecify.annotations.NullMarked;
