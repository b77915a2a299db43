package io.globalcalling.provider.vonage;

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
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Faults below Vonage's own errors: an answer that is not HTTP, or not the JSON it should be, each the provider's
 * failure with the outcome the core acts on, naming the number called neither in it nor in its causes (what came
 * back is quoted by OkHttp and Jackson, and a gateway in the way may quote the request).
 */
class VonageTransportFaultTest {

    static final String DIGITS = VonageFixtures.TO.substring(1);

    @RegisterExtension
    static WireMockExtension vonage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final TestProviderContext context = VonageFixtures.context();

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
    void aPlacementAnsweredWithJsonOfTheWrongShapeQuotingTheNumberNamesItNowhere() {
        // "to" as the bare number where Vonage sends an object: Jackson quotes the value it could not map
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"uuid\":\"" + VonageFixtures.CALL_UUID
                        + "\",\"status\":\"started\",\"to\":\"" + DIGITS + "\"}")));
        VonageProvider provider = VonageFixtures.provider(VonageFixtures.baseConfig(vonage.baseUrl()), context);

        Throwable e = catchThrowable(() -> provider.place(VonageFixtures.voipCall()));

        assertThat(e).isInstanceOf(ProviderException.class).hasMessageContaining("not its JSON");
        assertThat(((ProviderException) e).reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(trace(e)).doesNotContain(DIGITS).doesNotContain(DIGITS.substring(2));
        vonage.verify(1, postRequestedFor(urlPathEqualTo("/v1/calls")));
    }

    @Test
    void anAnswerThatIsNotHttpQuotingTheNumberNamesItNowhere() throws Exception {
        try (LoopbackServer garbling = LoopbackServer.answeringEachWith("Dialled " + VonageFixtures.TO + "\r\n\r\n")) {
            VonageProvider provider = VonageFixtures.provider(VonageFixtures.baseConfig(garbling.baseUrl()), context);

            Throwable placed = catchThrowable(() -> provider.place(VonageFixtures.voipCall()));
            Throwable read = catchThrowable(() -> provider.fetch(VonageFixtures.CALL_UUID));

            assertThat(placed).isInstanceOf(ProviderException.class).hasMessageContaining("no answer from Vonage");
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
            VonageProvider provider = VonageFixtures.provider(VonageFixtures.baseConfig(endless.baseUrl()), context);

            Throwable placed = catchThrowable(() -> provider.place(VonageFixtures.voipCall()));
            Throwable read = catchThrowable(() -> provider.fetch(VonageFixtures.CALL_UUID));

            for (Throwable e : List.of(placed, read)) {
                assertThat(e).isInstanceOf(ProviderException.class).hasMessageContaining("runs past 16 MiB");
            }
            assertThat(((ProviderException) placed).reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
            assertThat(((ProviderException) read).reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        }
    }
}
