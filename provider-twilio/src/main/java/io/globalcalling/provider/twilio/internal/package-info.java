/**
 * Internals of the Twilio provider: HTTP plumbing, wire DTOs, TwiML writing and the price cache.
 * Not supported for use outside this module; it may change in any release without notice.
 */
@NullMarked
package io.globalcalling.provider.twilio.internal;

import org.jspecify.annotations.NullMarked;
