package io.globalcalling.provider.twilio;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.testkit.LoopbackServer;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.twilio.Fixtures.CALLS_PATH;
import static io.globalcalling.provider.twilio.Fixtures.CALL_SID;
import static io.globalcalling.provider.twilio.Fixtures.TO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Faults below Twilio's own errors: an answer that is not HTTP, or not the JSON it should be, each the provider's
 * failure with the outcome the core acts on, naming the number called neither in it nor in its causes (what came
 * back is quoted by OkHttp and Jackson, and a gateway in the way may quote the request).
 */
class TwilioTransportFaultTest {

    static final String DIGITS = TO.substring(1);

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final TestProviderContext context = TwilioTests.context();

    @AfterEach
    void close() {
        context.close();
    }

    /** The failure's message, toString and full stack trace with causes. */
    static String trace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return e.getMessage() + "\n" + e + "\n" + out;
    }

    @Test
    void aPlacementAnsweredWithABodyThatIsNotTwiliosJsonQuotingTheNumberNamesItNowhere() {
        // a bare number where Twilio sends its call object: Jackson quotes the value it could not map
        twilio.stubFor(post(urlEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(DIGITS)));

        Throwable e = catchThrowable(() -> Fixtures.provider(twilio.baseUrl(), context).place(Fixtures.voipCall()));

        assertThat(e).isInstanceOf(ProviderException.class).hasMessageContaining("not its JSON");
        assertThat(((ProviderException) e).reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(trace(e)).doesNotContain(DIGITS).doesNotContain(DIGITS.substring(2));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS_PATH)));
    }

    @Test
    void anAnswerThatIsNotHttpQuotingTheNumberNamesItNowhere() throws Exception {
        try (LoopbackServer garbling = LoopbackServer.answeringEachWith("Dialled " + TO + "\r\n\r\n")) {
            TwilioProvider provider = Fixtures.provider(garbling.baseUrl(), context);

            Throwable placed = catchThrowable(() -> provider.place(Fixtures.voipCall()));
            Throwable read = catchThrowable(() -> provider.fetch(CALL_SID));

            assertThat(placed).isInstanceOf(ProviderException.class).hasMessageContaining("no answer from Twilio");
            assertThat(((ProviderException) placed).reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
            assertThat(read).isInstanceOf(ProviderException.class);
            assertThat(((ProviderException) read).reason()).isEqualTo(ErrorReason.UNAVAILABLE);
            for (Throwable e : List.of(placed, read)) {
                assertThat(trace(e)).doesNotContain(DIGITS).doesNotContain(DIGITS.substring(2));
            }
        }
    }

    /** An answer without end (a proxy gone wrong) is read no further than the limit, not until the heap is full. */
    @Test
    @Timeout(60)
    void anAnswerWithoutEndIsReadNoFurtherThanTheLimit() throws Exception {
        try (LoopbackServer endless = LoopbackServer.answeringEachWithoutEnd()) {
            TwilioProvider provider = Fixtures.provider(endless.baseUrl(), context);

            Throwable placed = catchThrowable(() -> provider.place(Fixtures.voipCall()));
            Throwable read = catchThrowable(() -> provider.fetch(CALL_SID));

            for (Throwable e : List.of(placed, read)) {
                assertThat(e).isInstanceOf(ProviderException.class).hasMessageContaining("runs past 16 MiB");
            }
            assertThat(((ProviderException) placed).reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
            assertThat(((ProviderException) read).reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        }
    }
}
