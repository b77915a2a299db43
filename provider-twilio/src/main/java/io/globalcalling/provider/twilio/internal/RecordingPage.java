package io.globalcalling.provider.twilio.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One page of Twilio's Recordings list: {@code recordings} and the relative {@code next_page_uri}, null on the last
 * page. Of each recording only what deleting it needs: its sid, and the call it belongs to.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecordingPage(@JsonProperty("recordings") List<Recording> recordings,
                            @JsonProperty("next_page_uri") String nextPageUri) implements ListPage<RecordingPage.Recording> {

    public RecordingPage {
        recordings = recordings == null ? List.of() : List.copyOf(recordings);
    }

    @Override
    public List<Recording> items() {
        return recordings;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Recording(@JsonProperty("sid") String sid, @JsonProperty("call_sid") String callSid) {
    }
}
