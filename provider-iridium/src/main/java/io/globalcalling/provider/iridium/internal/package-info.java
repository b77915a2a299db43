/**
 * Internals of the Iridium provider: the DirectIP codec, the MT client and the MO listener.
 * Not supported for use outside this module; it may change in any release without notice.
 */
@NullMarked
package io.globalcalling.provider.iridium.internal;

import org.jspecify.annotations.NullMarked;
