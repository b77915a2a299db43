/**
 * The {@code webhook} provider: a call to a system is a signed HTTPS request to the host's receiver, refused for
 * private networks unless allowed.
 */
@NullMarked
package io.globalcalling.core.system;

import org.jspecify.annotations.NullMarked;
