package io.globalcalling.provider.twilio.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Pricing API v2 {@code GET /v2/Voice/Numbers/{DestinationNumber}}; we read only the destination's country. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VoiceNumber(@JsonProperty("destination_number") String destinationNumber,
                          @JsonProperty("iso_country") String isoCountry) {
}
