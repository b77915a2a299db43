package io.globalcalling.provider.vonage.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code GET /v1/calls}: a HAL page, {@code {"count", "page_size", "record_index", "_embedded": {"calls": [...]}}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallPage(@JsonProperty("count") Integer count,
                       @JsonProperty("page_size") Integer pageSize,
                       @JsonProperty("record_index") Integer recordIndex,
                       @JsonProperty("_embedded") Embedded embedded) {

    public List<CallResource> calls() {
        return embedded == null || embedded.calls() == null ? List.of() : embedded.calls();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Embedded(@JsonProperty("calls") List<CallResource> calls) {
    }
}
