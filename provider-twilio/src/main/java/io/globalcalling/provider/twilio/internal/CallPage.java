package io.globalcalling.provider.twilio.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** One page of Twilio's Calls list: {@code calls} and the relative {@code next_page_uri}, null on the last page. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallPage(@JsonProperty("calls") List<CallResource> calls,
                       @JsonProperty("next_page_uri") String nextPageUri) implements ListPage<CallResource> {

    public CallPage {
        calls = calls == null ? List.of() : List.copyOf(calls);
    }

    @Override
    public List<CallResource> items() {
        return calls;
    }
}
