package io.globalcalling.provider.vonage.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Vonage's RFC 7807 error body: {@code type} (a URI naming the error), {@code title}, {@code detail},
 * {@code instance} (the request's id) and, for validation errors, {@code invalid_parameters}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VonageError(@JsonProperty("type") String type,
                          @JsonProperty("title") String title,
                          @JsonProperty("detail") String detail,
                          @JsonProperty("instance") String instance,
                          @JsonProperty("invalid_parameters") List<InvalidParameter> invalidParameters) {

    public VonageError {
        invalidParameters = invalidParameters == null ? List.of() : List.copyOf(invalidParameters);
    }

    /** One refused field: {@code {"name": "to[0].number", "reason": "..."}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InvalidParameter(@JsonProperty("name") String name, @JsonProperty("reason") String reason) {
    }
}
