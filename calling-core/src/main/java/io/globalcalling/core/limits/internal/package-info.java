/**
 * Internals of the limits package. Unsupported: may change or disappear in any release; do not use
 * from outside the SDK.
 */
@NullMarked
package io.globalcalling.core.limits.internal;

import org.jspecify.annotations.NullMarked;
