package io.globalcalling.provider.twilio.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The two fields of Twilio's Call resource that placing a call reads from the create's 201 answer. Bound
 * apart from {@link CallResource} so that each placed call skips the other fields' values instead of
 * building a string for each.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreatedCall(@JsonProperty("sid") String sid, @JsonProperty("status") String status) {
}
