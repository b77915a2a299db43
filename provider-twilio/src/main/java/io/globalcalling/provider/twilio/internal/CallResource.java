package io.globalcalling.provider.twilio.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Twilio's Call resource, as {@code /2010-04-01/Accounts/{AccountSid}/Calls} returns it (the fields we read). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallResource(
        @JsonProperty("sid") String sid,
        @JsonProperty("status") String status,
        @JsonProperty("to") String to,
        @JsonProperty("from") String from,
        @JsonProperty("direction") String direction,
        @JsonProperty("duration") String duration,
        @JsonProperty("price") String price,
        @JsonProperty("price_unit") String priceUnit,
        @JsonProperty("start_time") String startTime,
        @JsonProperty("end_time") String endTime,
        @JsonProperty("date_created") String dateCreated,
        @JsonProperty("date_updated") String dateUpdated,
        @JsonProperty("answered_by") String answeredBy,
        @JsonProperty("queue_time") String queueTime) {
}
