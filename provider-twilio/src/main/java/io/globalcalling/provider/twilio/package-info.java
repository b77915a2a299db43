/**
 * Twilio Programmable Voice as a calling provider: {@code internet_voip} and {@code ai_automated} calls over
 * Twilio's REST API (OkHttp + Jackson), live prices from Twilio's Pricing API, and status, recording and
 * transcription callbacks verified with {@code X-Twilio-Signature}. Found through {@link java.util.ServiceLoader}
 * as factory {@code twilio}; configured with {@link io.globalcalling.provider.twilio.TwilioConfig}.
 */
@NullMarked
package io.globalcalling.provider.twilio;

import org.jspecify.annotations.NullMarked;
