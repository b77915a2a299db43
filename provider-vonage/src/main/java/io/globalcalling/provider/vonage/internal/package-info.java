/**
 * Internals of the Vonage provider: HTTP plumbing, JWT minting, wire DTOs, NCCO writing, shipped data (rates,
 * calling codes, TTS languages) and the price cache. Not supported for use outside this module; it may change
 * in any release without notice.
 */
@NullMarked
package io.globalcalling.provider.vonage.internal;

import org.jspecify.annotations.NullMarked;
