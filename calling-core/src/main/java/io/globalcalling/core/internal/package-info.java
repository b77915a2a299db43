/**
 * Internal machinery of the core. Not supported for use outside the SDK: it may change in any
 * release without notice.
 */
package io.globalcalling.core.internal;
