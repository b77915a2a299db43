package io.globalcalling.spi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.GeoPoint;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.Secret;
import io.globalcalling.SipUri;
import io.globalcalling.Skill;
import io.globalcalling.WebhookRequest;
import io.globalcalling.WebhookUrl;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ValueTypesTest {

    @Test
    void phoneNumberAcceptsE164AndTheSeparatorsPeopleWrite() {
        assertThat(PhoneNumber.of("+91 98765-43210").value()).isEqualTo("+919876543210");
        assertThat(PhoneNumber.of("+1 (415) 555.2671").digits()).isEqualTo("14155552671");
    }

    @Test
    void numbersAreMaskedAloneAndInText() {
        assertThat(PhoneNumber.mask("+14155550123")).isEqualTo("+141******23");
        assertThat(PhoneNumber.mask("+12345")).isEqualTo("****");
        assertThat(PhoneNumber.maskNumbersIn("The 'To' number +14155551212 is not valid; call 447700900000 later"))
                .isEqualTo("The 'To' number +141******12 is not valid; call 4477******00 later");
        // an id with a run of digits in it, and a short number such as an error code, stay as they are
        assertThat(PhoneNumber.maskNumbersIn("Call CA1234567890abcdef not found (code 21211)"))
                .isEqualTo("Call CA1234567890abcdef not found (code 21211)");
    }

    @Test
    void phoneNumberRefusesWhatIsNotE164AndNamesTheValue() {
        for (String bad : List.of("919876543210", "+0123456", "+1234567890123456", "+", "+12ab", "")) {
            assertThatThrownBy(() -> PhoneNumber.of(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("phone number '" + bad + "'");
        }
    }

    @Test
    void endpointParsesEveryKind() {
        assertThat(Endpoint.parse("+447700900123")).isInstanceOf(PhoneNumber.class);
        assertThat(Endpoint.parse("sip:alice@example.com")).isInstanceOf(SipUri.class);
        assertThat(Endpoint.parse("https://alerts.example.com/hook")).isInstanceOf(WebhookUrl.class);
        assertThat(Endpoint.parse("imei:300234010753370")).isEqualTo(new SatelliteTerminal("300234010753370"));
        assertThat(Endpoint.parse("imei:300234010753370").value()).isEqualTo("imei:300234010753370");
        assertThatThrownBy(() -> Endpoint.parse("mailto:x@y.z")).hasMessageContaining("'mailto:x@y.z'");
        assertThatThrownBy(() -> Endpoint.parse("imei:123")).hasMessageContaining("imei '123'");
        assertThatThrownBy(() -> Endpoint.parse("ftp://x")).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * java.net.URI takes a label of any length and an IPv6 zone, but no HTTP client can reach such a host: the call
     * was recorded and then failed at its provider. It is bad input, refused naming the URL (without its user info).
     */
    @Test
    void aWebhookUrlWhoseHostNoHttpClientCanReachIsRefused() {
        String longLabel = "https://u:pw@" + "a".repeat(64) + ".example/hook";
        assertThatThrownBy(() -> WebhookUrl.of(longLabel)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'https://" + "a".repeat(64) + ".example/hook'").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> WebhookUrl.of("https://[fe80::1%25eth0]/hook"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[fe80::1%25eth0]");
        assertThat(WebhookUrl.of("https://" + "a".repeat(63) + ".example/hook").uri().getHost()).hasSize(71);
        assertThat(WebhookUrl.of("https://[2001:db8::1]/hook").uri().getHost()).isEqualTo("[2001:db8::1]");
    }

    @Test
    void moneyIsExactAndRefusesToMixCurrencies() {
        Money a = Money.inr("0.10");
        Money sum = Money.zero(Money.INR);
        for (int i = 0; i < 10; i++) sum = sum.plus(a);
        assertThat(sum).isEqualTo(Money.inr("1"));
        assertThat(Money.inr("1.50")).isEqualTo(Money.inr("1.5"));
        assertThat(Money.inr("2.005").rounded()).isEqualTo(Money.inr("2.01"));
        assertThatThrownBy(() -> Money.inr("1").plus(Money.of("1", "USD")))
                .hasMessageContaining("1 INR").hasMessageContaining("1 USD");
        assertThatThrownBy(() -> Money.of("1", "XYZW")).hasMessageContaining("currency 'XYZW'");
        assertThatThrownBy(() -> Money.of("one", "INR")).hasMessageContaining("amount 'one'");
    }

    @Test
    void moneyRefusesAnAmountOfMoreThanTwentyWholeDigitsAtOnceInsteadOfWritingItOut() {
        assertThat(Money.inr("99999999999999999999.99")).isEqualTo(Money.inr("99999999999999999999.99"));
        assertThat(Money.of("1e19", "INR").amount()).isEqualByComparingTo("10000000000000000000");
        // 1e99999999 written out is a hundred million digits: minutes of work from an 11-character input
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThatThrownBy(() -> Money.of("1e99999999", "INR")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("amount 1E+99999999 has more than 20 digits before the decimal point");
            assertThatThrownBy(() -> Money.inr("100000000000000000000")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("more than 20 digits");
            assertThatThrownBy(() -> Money.inr("1").times(new java.math.BigDecimal("1e99999999")))
                    .isInstanceOf(IllegalArgumentException.class);
        });
    }

    @Test
    void geoPointRefusesOutOfRangeCoordinates() {
        assertThatThrownBy(() -> GeoPoint.of(91, 0)).hasMessageContaining("latitude 91.0");
        assertThatThrownBy(() -> GeoPoint.of(0, -180.5)).hasMessageContaining("longitude -180.5");
        assertThatThrownBy(() -> GeoPoint.of(Double.NaN, 0)).hasMessageContaining("latitude NaN");
    }

    @Test
    void unknownWireNamesAreRefusedByName() {
        assertThat(CallCategory.fromWireName("Internet_VoIP")).isEqualTo(CallCategory.INTERNET_VOIP);
        assertThatThrownBy(() -> CallCategory.fromWireName("fax")).hasMessageContaining("category 'fax'");
        assertThatThrownBy(() -> Purpose.fromWireName("spam")).hasMessageContaining("purpose 'spam'");
    }

    @Test
    void skillsAreOpenNamesWithTheSeedsAsConstants() {
        assertThat(Skill.of("vip")).isSameAs(Skill.VIP);
        assertThat(Skill.of("claims-tier_2")).isEqualTo(Skill.of("claims-tier_2"))
                .hasToString("claims-tier_2").isNotEqualTo(Skill.GENERAL);
        assertThat(Skill.of("spanish").wireName()).isEqualTo("spanish");
        assertThat(Skill.seeded()).extracting(Skill::wireName)
                .containsExactly("general", "sales", "technical", "billing", "vip");
        assertThat(Skill.of("a" + "b".repeat(63)).wireName()).hasSize(64);
    }

    @Test
    void skillNamesOutsideThePatternAreRefusedNamingValueAndRule() {
        for (String bad : new String[] {"VIP", "", " vip", "9lives", "sales team", "a" + "b".repeat(64), "vip;drop"}) {
            assertThatThrownBy(() -> Skill.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("skill '" + bad + "'").hasMessageContaining(Skill.PATTERN);
        }
        assertThatThrownBy(() -> Skill.of(null)).isInstanceOf(NullPointerException.class).hasMessage("skill");
    }

    @Test
    void statusesOnlyMoveForward() {
        assertThat(CallStatus.INITIATED.canMoveTo(CallStatus.RINGING)).isTrue();
        assertThat(CallStatus.RINGING.canMoveTo(CallStatus.QUEUED)).isFalse();
        assertThat(CallStatus.ANSWERED.canMoveTo(CallStatus.COMPLETED)).isTrue();
        assertThat(CallStatus.COMPLETED.canMoveTo(CallStatus.FAILED)).isFalse();
        assertThat(CallStatus.BUSY.isTerminal()).isTrue();
        assertThat(CallStatus.fromWireName("no-answer")).isEqualTo(CallStatus.NO_ANSWER);
    }

    @Test
    void anAnsweredCallMayWaitForAnAgentThenTalkToOneButNeverGoBack() {
        assertThat(CallStatus.ANSWERED.canMoveTo(CallStatus.WAITING_FOR_AGENT)).isTrue();
        assertThat(CallStatus.WAITING_FOR_AGENT.canMoveTo(CallStatus.WITH_AGENT)).isTrue();
        assertThat(CallStatus.RINGING.canMoveTo(CallStatus.WITH_AGENT)).isTrue();
        assertThat(CallStatus.WITH_AGENT.canMoveTo(CallStatus.COMPLETED)).isTrue();
        assertThat(CallStatus.WITH_AGENT.canMoveTo(CallStatus.WAITING_FOR_AGENT)).isFalse();
        assertThat(CallStatus.WAITING_FOR_AGENT.canMoveTo(CallStatus.ANSWERED)).isFalse();
        assertThat(CallStatus.WAITING_FOR_AGENT.canMoveTo(CallStatus.QUEUED)).isFalse();
        assertThat(CallStatus.COMPLETED.canMoveTo(CallStatus.WITH_AGENT)).isFalse();
        assertThat(CallStatus.WITH_AGENT.isTerminal()).isFalse();
        assertThat(CallStatus.WAITING_FOR_AGENT.wireName()).isEqualTo("waiting_for_agent");
        assertThat(CallStatus.fromWireName("with_agent")).isEqualTo(CallStatus.WITH_AGENT);
        assertThat(CallStatus.values()).filteredOn(CallStatus::isAnswered)
                .containsExactly(CallStatus.ANSWERED, CallStatus.WAITING_FOR_AGENT, CallStatus.WITH_AGENT);
    }

    @Test
    void ratePricesByIncrementMinimumAndConnectionFee() {
        Rate perMinute = Rate.perMinute(CallCategory.INTERNET_VOIP, "91", Money.inr("1"));
        assertThat(perMinute.priceFor(Duration.ofSeconds(61))).isEqualTo(Money.inr("2"));
        assertThat(perMinute.priceFor(Duration.ZERO)).isEqualTo(Money.inr("0"));
        Rate perSecond = Rate.builder(CallCategory.INTERNET_VOIP, "1").perMinute(Money.inr("0.60")).perCall(Money.inr("0.05"))
                .incrementSeconds(1).minimumSeconds(30).build();
        assertThat(perSecond.priceFor(Duration.ofSeconds(10))).isEqualTo(Money.inr("0.35"));
        assertThat(perSecond.priceFor(Duration.ofSeconds(90))).isEqualTo(Money.inr("0.95"));
        assertThat(Rate.perCall(CallCategory.SYSTEM_API, "", Money.inr("0.01")).priceFor(Duration.ofMinutes(3)))
                .isEqualTo(Money.inr("0.01"));
        assertThatThrownBy(() -> Rate.perMinute(CallCategory.SATELLITE, "88a", Money.inr("1")))
                .hasMessageContaining("prefix '88a'");
        assertThatThrownBy(() -> Rate.perMinute(CallCategory.SATELLITE, "", Money.inr("-1")))
                .hasMessageContaining("perMinute -1 INR");
    }

    @Test
    void callRequestValidatesItsFields() {
        CallRequest r = CallRequest.to("+919876543210").script("Hi {{name}}").variable("name", "Asha").build();
        assertThat(r.priority()).isEqualTo(Priority.NORMAL);
        assertThat(r.customerId()).isEqualTo(CallRequest.DEFAULT_CUSTOMER);
        assertThat(r.toBuilder().build()).isEqualTo(r);
        assertThatThrownBy(() -> CallRequest.to("+919876543210").maxCostPerMinute(Money.inr("-2")).build())
                .hasMessageContaining("maxCostPerMinute -2 INR");
        assertThatThrownBy(() -> CallRequest.to("+919876543210").language("english please").build())
                .hasMessageContaining("language 'english please'");
        assertThatThrownBy(() -> CallRequest.to("+919876543210").customerId("a b").build())
                .hasMessageContaining("customerId 'a b'");
        // the stores keep a customer id in 128 characters: a longer one is refused here, not by the database
        assertThat(CallRequest.to("+919876543210").customerId("c".repeat(128)).build().customerId()).hasSize(128);
        assertThatThrownBy(() -> CallRequest.to("+919876543210").customerId("c".repeat(129)).build())
                .hasMessageContaining("must be 1-128 characters");
        assertThat(CallRequest.to("+919876543210").idempotencyKey("k".repeat(200)).build().idempotencyKey()).hasSize(200);
        assertThatThrownBy(() -> CallRequest.to("+919876543210").idempotencyKey("k".repeat(201)).build())
                .hasMessageContaining("must be 1-200 characters");
        assertThatThrownBy(() -> CallRequest.to("+919876543210").maxDuration(Duration.ZERO).build())
                .hasMessageContaining("maxDuration PT0S");
        assertThat(CallRequest.to("+919876543210").purpose(Purpose.EMERGENCY).build().isEmergency()).isTrue();
        // an answer URL is http or https with a host, and a refused one is named without its credentials
        assertThatThrownBy(() -> CallRequest.to("+919876543210").answerUrl("httpx://app.example.com/twiml").build())
                .hasMessageContaining("answerUrl 'httpx://app.example.com/twiml' must be an absolute http(s) URL");
        assertThatThrownBy(() -> CallRequest.to("+919876543210").answerUrl("ftp://bob:s3cret@app.example.com/").build())
                .hasMessageContaining("'ftp://app.example.com/'").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> CallRequest.to("+919876543210").answerUrl("https://bob:s3cret@app.example.com/a b"))
                .hasMessageContaining("not a valid URI").hasMessageNotContaining("s3cret");
        assertThat(CallRequest.to("+919876543210").answerUrl("HTTPS://app.example.com/twiml").build().answerUrl())
                .hasToString("HTTPS://app.example.com/twiml");
    }

    @Test
    void configFindsKeysUnderTheirEnvironmentNames() {
        ProviderConfig config = ProviderConfig.of(Map.of("TWILIO_ACCOUNT_SID", "AC123", "twilio.timeout", " 30 ",
                "blank", "  "));
        assertThat(config.get("twilio.account-sid")).contains("AC123");
        assertThat(config.getDuration("twilio.timeout")).contains(Duration.ofSeconds(30));
        assertThat(config.get("blank")).isEmpty();
        assertThatThrownBy(() -> ProviderConfig.of(Map.of("n", "x")).getInt("n")).hasMessageContaining("n = 'x'");
        ProviderConfig layered = ProviderConfig.of(Map.of("a", "1")).orElse(ProviderConfig.of(Map.of("a", "2", "b", "3")));
        assertThat(layered.get("a")).contains("1");
        assertThat(layered.get("b")).contains("3");
    }

    @Test
    void endpointsPrintMaskedAndKeepTheirValueForTheWire() {
        PhoneNumber number = PhoneNumber.of("+14155550123");
        SipUri sip = new SipUri("sip:+919876543210@pbx.example.com");
        SatelliteTerminal terminal = new SatelliteTerminal("300234010753370");

        assertThat(number.toString()).isEqualTo("+141******23");
        assertThat(sip.toString()).isEqualTo("sip:+919*******10@pbx.example.com");
        assertThat(terminal.toString()).isEqualTo("imei:3002*********70");
        assertThat("to " + number + ", " + sip + ", " + terminal).doesNotContain("4155550123", "9876543210",
                "300234010753370");
        assertThat(number.value()).isEqualTo("+14155550123");
        assertThat(sip.value()).isEqualTo("sip:+919876543210@pbx.example.com");
        assertThat(terminal.value()).isEqualTo("imei:300234010753370");
    }

    @Test
    void secretsNeverShowTheirValue() {
        Secret s = Secret.of("canary-token-123");
        assertThat(s.toString()).doesNotContain("canary");
        assertThat(s.reveal()).isEqualTo("canary-token-123");
        assertThat(s).isEqualTo(Secret.of("canary-token-123")).isNotEqualTo(Secret.of("other"));
    }

    @Test
    void webhookRequestKeepsRepeatedFormParametersAndHidesHeaderValues() {
        WebhookRequest r = WebhookRequest.post("https://h.example/cb?callId=c1",
                Map.of("X-Twilio-Signature", "sig-value"), "A=1&B=%2B91&A=2&Empty=");
        assertThat(r.formParameters()).containsEntry("A", List.of("1", "2")).containsEntry("B", List.of("+91"))
                .containsEntry("Empty", List.of(""));
        assertThat(r.queryParameters()).containsEntry("callId", List.of("c1"));
        assertThat(r.header("x-twilio-signature")).contains("sig-value");
        assertThat(r.toString()).doesNotContain("sig-value");
        assertThat(r.url()).isEqualTo(URI.create("https://h.example/cb?callId=c1"));
    }

    @Test
    void providerExceptionCarriesTheProvidersDetails() {
        ProviderException e = ProviderException.builder("twilio", ErrorReason.RATE_LIMITED, "slow down")
                .httpStatus(429).providerErrorCode("20429").retryAfter(Duration.ofSeconds(2)).build();
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).isEqualTo("[twilio] slow down");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(ProviderException.of("x", ErrorReason.OUTCOME_UNKNOWN, "m").retryable()).isFalse();
    }
}
