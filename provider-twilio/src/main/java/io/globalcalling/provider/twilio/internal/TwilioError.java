package io.globalcalling.provider.twilio.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Twilio's error body: {@code {"code":21211,"message":"...","more_info":"https://...","status":400}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TwilioError(@JsonProperty("code") Integer code,
                          @JsonProperty("message") String message,
                          @JsonProperty("more_info") String moreInfo,
                          @JsonProperty("status") Integer status) {
}
