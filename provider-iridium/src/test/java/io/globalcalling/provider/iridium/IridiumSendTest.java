package io.globalcalling.provider.iridium;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Priority;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static io.globalcalling.provider.iridium.Bytes.ascii;
import static io.globalcalling.provider.iridium.Bytes.be;
import static io.globalcalling.provider.iridium.Bytes.concat;
import static io.globalcalling.provider.iridium.Bytes.hex;
import static io.globalcalling.provider.iridium.IridiumTests.IMEI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** MT messages against the loopback gateway: the exact bytes, every confirmation status, and faults. */
class IridiumSendTest {

    private static final int FIRST_MTMSN = 1234;

    private GatewaySimulator gateway;
    private TestProviderContext context;
    private IridiumProvider provider;

    @BeforeEach
    void start() {
        gateway = GatewaySimulator.start();
        context = TestProviderContext.create();
        provider = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port())), context, FIRST_MTMSN);
    }

    @AfterEach
    void stop() {
        provider.close();
        gateway.close();
        context.close();
    }

    private static OutboundCall call(CallRequest.Builder request) {
        return OutboundCall.builder("call-1", CallCategory.SATELLITE, request.build()).build();
    }

    private static CallRequest.Builder toTerminal() {
        return CallRequest.to("imei:" + IMEI).category(CallCategory.SATELLITE);
    }

    @Test
    void binaryPayloadIsSentAsGivenInTheExactLayout() {
        gateway.status(3).autoId(0x01020304L);

        PlacedCall placed = provider.place(call(toTerminal().payload(new byte[] {0x00, (byte) 0xff, 0x10})));

        byte[] expected = concat(
                hex("01"), be(3 + 21 + 3 + 3, 2),                    // revision 1, overall length 30
                hex("41 00 15"), be(FIRST_MTMSN, 4), ascii(IMEI), hex("00 20"), // header: id = MTMSN, flags: assign MTMSN
                hex("42 00 03 00 ff 10"));                            // payload as given
        assertThat(Bytes.toHex(gateway.lastReceived())).isEqualTo(Bytes.toHex(expected));
        assertThat(placed.status()).isEqualTo(CallStatus.QUEUED);
        assertThat(placed.providerCallId()).isEqualTo(IMEI + "-" + FIRST_MTMSN);
    }

    @Test
    void emergencySetsTheHighPriorityFlagAndPriorityOne() {
        provider.place(call(toTerminal().priority(Priority.EMERGENCY).payload(new byte[] {7})));

        byte[] expected = concat(hex("01 00 21"),  // 24 header + 4 payload + 5 priority = 33
                hex("41 00 15"), be(FIRST_MTMSN, 4), ascii(IMEI), hex("00 30"),
                hex("42 00 01 07"),
                hex("46 00 02 00 01"));
        assertThat(Bytes.toHex(gateway.lastReceived())).isEqualTo(Bytes.toHex(expected));
    }

    @Test
    void highPriorityIsPriorityTwoWithoutTheEmergencyFlag() {
        provider.place(call(toTerminal().priority(Priority.HIGH).payload(new byte[] {7})));

        byte[] expected = concat(hex("01 00 21"),  // 24 header + 4 payload + 5 priority = 33
                hex("41 00 15"), be(FIRST_MTMSN, 4), ascii(IMEI), hex("00 20"),
                hex("42 00 01 07"),
                hex("46 00 02 00 02"));
        assertThat(Bytes.toHex(gateway.lastReceived())).isEqualTo(Bytes.toHex(expected));
    }

    @Test
    void scriptIsSentAsUtf8Text() {
        String text = "Sturm: Kurs 270°, Hafen anlaufen";
        provider.place(OutboundCall.builder("call-1", CallCategory.SATELLITE, toTerminal().script(text).build())
                .spokenText(text).build());

        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] expected = concat(hex("01"), be(24 + 3 + utf8.length, 2),
                hex("41 00 15"), be(FIRST_MTMSN, 4), ascii(IMEI), hex("00 20"),
                hex("42"), be(utf8.length, 2), utf8);
        assertThat(Bytes.toHex(gateway.lastReceived())).isEqualTo(Bytes.toHex(expected));
    }

    @Test
    void textTheCharsetCannotEncodeIsRefusedBeforeSending() {
        provider.close();
        provider = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port(),
                "iridium.text-charset", "US-ASCII")), context, FIRST_MTMSN);

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.place(call(toTerminal().script("270°"))));

        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("script", "US-ASCII");
        assertThat(gateway.connections()).isZero();
    }

    @Test
    void successiveMessagesTakeSuccessiveMtmsnsWrappingAfter65535() {
        provider.close();
        provider = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port())), context, 65535);

        String first = provider.place(call(toTerminal().payload(new byte[] {1}))).providerCallId();
        String second = provider.place(call(toTerminal().payload(new byte[] {2}))).providerCallId();

        assertThat(first).isEqualTo(IMEI + "-65535");
        assertThat(second).isEqualTo(IMEI + "-1");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 50})
    void aQueuePositionIsAcceptance(int position) {
        gateway.status(position);
        assertThat(provider.place(call(toTerminal().payload(new byte[] {1}))).status()).isEqualTo(CallStatus.QUEUED);
    }

    @ParameterizedTest
    @CsvSource({
            "-1, INVALID_DESTINATION, invalid IMEI",
            "-2, INVALID_DESTINATION, unknown or unprovisioned IMEI",
            "-3, INVALID_REQUEST, payload too large",
            "-4, INVALID_REQUEST, payload expected but missing",
            "-5, RATE_LIMITED, MT queue is full",
            "-6, REJECTED, MT resources unavailable",
            "-7, INTERNAL, protocol violation",
            "-8, NOT_PERMITTED, ring alerts are disabled",
            "-9, REJECTED, not attached",
            "-10, AUTHENTICATION, MT filter",
            "-11, INTERNAL, MTMSN out of range",
            "-12, AUTHENTICATION, TLS certificate rejected",
            "-13, REJECTED, does not define",
            "51, OUTCOME_UNKNOWN, does not define"})
    void everyRefusalMapsToItsReasonKeepingIridiumsMeaning(int status, ErrorReason reason, String meaning) {
        gateway.status(status).autoId(0);

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.place(call(toTerminal().payload(new byte[] {1}))));

        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.providerId()).isEqualTo("iridium");
        assertThat(e.providerErrorCode()).contains(Integer.toString(status));
        assertThat(e.getMessage()).contains(meaning);
        assertThat(gateway.connections()).isEqualTo(1);
    }

    @Test
    void everyDefinedStatusIsMapped() {
        for (int code = -1; code >= -12; code--) assertThat(MtStatus.of(code)).as("status " + code).isPresent();
    }

    @Test
    void thePayloadLimitIsCheckedBeforeAnythingIsSent() {
        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.place(call(toTerminal().payload(new byte[1891]))));

        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("1891", "1890");
        assertThat(gateway.connections()).isZero();
    }

    @Test
    void aPayloadOfExactlyTheLimitIsSent() {
        provider.place(call(toTerminal().payload(new byte[1890])));
        assertThat(gateway.lastReceived()).hasSize(3 + 24 + 3 + 1890);
    }

    @Test
    void aRequestWithNothingToSendIsRefusedBeforeSending() {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(call(toTerminal())));
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
        assertThat(gateway.connections()).isZero();
    }

    @Test
    void anEmptyPayloadIsNothingToSendAndRefusedBeforeSending() {
        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.place(call(toTerminal().payload(new byte[0]))));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
        assertThat(gateway.connections()).isZero();
    }

    @Test
    void aPhoneNumberIsNotATerminal() {
        OutboundCall call = OutboundCall.builder("call-1", CallCategory.SATELLITE,
                CallRequest.to("+881631234567").script("hi").build()).build();
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(call));
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_DESTINATION);
        assertThat(gateway.connections()).isZero();
    }

    @Test
    void aRefusedConnectionIsUnavailableSinceNothingWasSent() {
        gateway.refuseConnections();

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.place(call(toTerminal().payload(new byte[] {1}))));

        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = GatewaySimulator.Behaviour.class, names = {"RESET_MID_MESSAGE", "SLOW", "TRUNCATED_ANSWER",
            "GARBAGE", "OTHER_MESSAGE"})
    void aFaultAfterConnectingIsAnUnknownOutcomeAndNeverResent(GatewaySimulator.Behaviour fault) {
        gateway.behave(fault);

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.place(call(toTerminal().payload(new byte[] {1}))));

        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("MTMSN " + FIRST_MTMSN);
        assertThat(gateway.connections()).as("connections: the message is sent once").isEqualTo(1);
    }
}
