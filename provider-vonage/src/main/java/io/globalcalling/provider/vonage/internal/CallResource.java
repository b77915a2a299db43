package io.globalcalling.provider.vonage.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A call as {@code POST /v1/calls} (uuid, status, direction, conversation_uuid) and {@code GET /v1/calls/{uuid}}
 * return it. Durations, rates and prices arrive as decimal strings.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallResource(
        @JsonProperty("uuid") String uuid,
        @JsonProperty("conversation_uuid") String conversationUuid,
        @JsonProperty("status") String status,
        @JsonProperty("direction") String direction,
        @JsonProperty("to") Party to,
        @JsonProperty("from") Party from,
        @JsonProperty("duration") String duration,
        @JsonProperty("rate") String rate,
        @JsonProperty("price") String price,
        @JsonProperty("start_time") String startTime,
        @JsonProperty("end_time") String endTime,
        @JsonProperty("network") String network) {

    /** An endpoint of the call: {@code {"type": "phone", "number": "447700900000"}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Party(@JsonProperty("type") String type, @JsonProperty("number") String number,
                        @JsonProperty("uri") String uri) {
    }
}
