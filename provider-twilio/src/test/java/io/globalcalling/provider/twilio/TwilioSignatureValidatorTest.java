package io.globalcalling.provider.twilio;

import io.globalcalling.Secret;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Twilio's published vectors (twilio-java RequestValidatorTest) and the cases they leave out. */
class TwilioSignatureValidatorTest {

    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final String BODY = "{\"property\": \"value\", \"boolean\": true}";
    private static final String BODY_HASH = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    private final TwilioSignatureValidator validator = new TwilioSignatureValidator(Secret.of("12345"));

    private static Map<String, List<String>> params() {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("From", List.of("+14158675309"));
        p.put("CallSid", List.of("CA1234567890ABCDE"));
        p.put("To", List.of("+18005551212"));
        p.put("Caller", List.of("+14158675309"));
        p.put("Digits", List.of("1234"));
        return p;
    }

    /** An independent HMAC-SHA1 so the tests do not check the validator against itself. */
    static String hmac(String token, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void acceptsTwiliosPublishedSignature() {
        assertThat(validator.validate(URL, params(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
        assertThat(validator.signatureOf(URL, params())).isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    }

    @Test
    void acceptsSignatureMadeWithTheDefaultHttpsPortAndWithout() {
        assertThat(validator.validate(URL, params(), "kvajT1Ptam85bY51eRf/AJRuM3w=")).isTrue();
        assertThat(validator.validate("https://mycompany.com:443/myapp.php?foo=1&bar=2", params(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
        assertThat(validator.validate("https://mycompany.com:443/myapp.php?foo=1&bar=2", params(), "kvajT1Ptam85bY51eRf/AJRuM3w=")).isTrue();
    }

    @Test
    void acceptsSignatureMadeWithTheDefaultHttpPort() {
        assertThat(validator.validate("http://mycompany.com/myapp.php?foo=1&bar=2", params(), "0ZXoZLH/DfblKGATFgpif+LLRf4=")).isTrue();
        assertThat(validator.validate("http://mycompany.com:80/myapp.php?foo=1&bar=2", params(), "0ZXoZLH/DfblKGATFgpif+LLRf4=")).isTrue();
    }

    @Test
    void acceptsSignatureOverANonDefaultPort() {
        assertThat(validator.validate("http://mycompany.com:1234/myapp.php?foo=1&bar=2", params(), "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")).isTrue();
        assertThat(validator.validate("http://mycompany.com/myapp.php?foo=1&bar=2", params(), "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")).isFalse();
    }

    @Test
    void acceptsJsonBodyByItsSha256() {
        String url = URL + "&bodySHA256=" + BODY_HASH;
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        assertThat(validator.validateBody(url, body, "a9nBmqA0ju/hNViExpshrM61xv4=")).isTrue();
        assertThat(validator.validateBody("https://mycompany.com/myapp.php?bodySHA256=" + BODY_HASH, body,
                "y77kIzt2vzLz71DgmJGsen2scGs=")).isTrue();
    }

    @Test
    void refusesJsonBodyThatWasChangedOrCarriesNoHash() {
        byte[] changed = BODY.replace("value", "other").getBytes(StandardCharsets.UTF_8);
        assertThat(validator.validateBody(URL + "&bodySHA256=" + BODY_HASH, changed, "a9nBmqA0ju/hNViExpshrM61xv4=")).isFalse();
        assertThat(validator.validateBody(URL, BODY.getBytes(StandardCharsets.UTF_8), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
    }

    @Test
    void refusesTamperedParameterWrongTokenAndMissingSignature() {
        Map<String, List<String>> tampered = params();
        tampered.put("To", List.of("+19005551212"));
        assertThat(validator.validate(URL, tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
        assertThat(new TwilioSignatureValidator(Secret.of("54321")).validate(URL, params(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
        assertThat(validator.validate(URL, params(), "")).isFalse();
        assertThat(validator.validate(URL, params(), null)).isFalse();
        assertThat(validator.validate(URL + "&baz=3", params(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
    }

    @Test
    void signsOtherNonDefaultPortsAsGiven() throws Exception {
        String url = "https://hooks.example.com:8443/twilio/status?callId=c-1";
        String sig = hmac("12345", url + "CallSidCA1" + "CallStatusringing");
        Map<String, List<String>> p = Map.of("CallStatus", List.of("ringing"), "CallSid", List.of("CA1"));
        assertThat(validator.validate(url, p, sig)).isTrue();
        assertThat(validator.validate("https://hooks.example.com/twilio/status?callId=c-1", p, sig)).isFalse();
        String http = "http://10.0.0.5:8080/twilio/status";
        assertThat(validator.validate(http, p, hmac("12345", http + "CallSidCA1CallStatusringing"))).isTrue();
    }

    @Test
    void signsQueryStringExactlyAsSentWithoutDecoding() throws Exception {
        String url = "https://hooks.example.com/twilio?callId=a%2Bb%20c&x=%E2%9C%93";
        Map<String, List<String>> p = Map.of("From", List.of("+14155551212"));
        String sig = hmac("12345", url + "From+14155551212");
        assertThat(validator.validate(url, p, sig)).isTrue();
        assertThat(validator.validate("https://hooks.example.com/twilio?callId=a+b c&x=\u2713", p, sig)).isFalse();
    }

    @Test
    void repeatedParametersAreSignedInOrderReceivedOrSorted() throws Exception {
        String url = "https://hooks.example.com/twilio";
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("StatusCallbackEvent", List.of("ringing", "answered"));
        p.put("CallSid", List.of("CA1"));
        String inOrder = hmac("12345", url + "CallSidCA1" + "StatusCallbackEventringing" + "StatusCallbackEventanswered");
        String sorted = hmac("12345", url + "CallSidCA1" + "StatusCallbackEventanswered" + "StatusCallbackEventringing");
        String firstOnly = hmac("12345", url + "CallSidCA1" + "StatusCallbackEventringing");
        assertThat(validator.validate(url, p, inOrder)).isTrue();
        assertThat(validator.validate(url, p, sorted)).isTrue();
        assertThat(validator.validate(url, p, firstOnly)).isFalse();
    }

    @Test
    void sortsParameterNamesCaseSensitively() throws Exception {
        String url = "https://hooks.example.com/twilio";
        Map<String, List<String>> p = Map.of("b", List.of("1"), "A", List.of("2"), "a", List.of("3"));
        assertThat(validator.validate(url, p, hmac("12345", url + "A2a3b1"))).isTrue();
        assertThat(validator.validate(url, p, hmac("12345", url + "a3A2b1"))).isFalse();
    }

    @Test
    void urlVariantsLeaveIpv6AddressesIntact() {
        assertThat(TwilioSignatureValidator.urlVariants("https://[2001:db8::1]/x"))
                .containsExactly("https://[2001:db8::1]/x", "https://[2001:db8::1]:443/x");
        assertThat(TwilioSignatureValidator.urlVariants("https://[2001:db8::1]:8443/x"))
                .containsExactly("https://[2001:db8::1]:8443/x", "https://[2001:db8::1]/x");
    }

    @Test
    void aUrlCarryingCredentialsIsAlsoTriedWithTheDefaultPort() throws Exception {
        String url = "https://user:pa55@hooks.example.com/twilio?callId=1";
        String withPort = "https://user:pa55@hooks.example.com:443/twilio?callId=1";
        Map<String, List<String>> p = Map.of("CallSid", List.of("CA1"));

        assertThat(validator.validate(url, p, hmac("12345", withPort + "CallSidCA1"))).isTrue();
        assertThat(validator.validate(withPort, p, hmac("12345", url + "CallSidCA1"))).isTrue();
        assertThat(TwilioSignatureValidator.urlVariants("http://u:p@h.example/x")).containsExactly(
                "http://u:p@h.example/x", "http://u:p@h.example:80/x");
        assertThat(TwilioSignatureValidator.urlVariants("http://u:p@h.example:8080/x")).containsExactly(
                "http://u:p@h.example:8080/x", "http://u:p@h.example/x");
    }

    @Test
    void repeatedValuesAreAcceptedAsReceivedOrSortedButNeverDeduplicated() throws Exception {
        String url = "https://hooks.example.com/twilio";
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("StatusCallbackEvent", List.of("ringing", "answered", "ringing"));
        p.put("CallSid", List.of("CA1"));

        String deduplicated = hmac("12345", url + "CallSidCA1" + "StatusCallbackEventanswered" + "StatusCallbackEventringing");
        String sorted = hmac("12345", url + "CallSidCA1" + "StatusCallbackEventanswered"
                + "StatusCallbackEventringing" + "StatusCallbackEventringing");
        String dropped = hmac("12345", url + "CallSidCA1" + "StatusCallbackEventanswered");

        // de-duplicating would let a repeated value absorb a change elsewhere (TwilioSignatureFuzzTest's finding)
        assertThat(validator.validate(url, p, deduplicated)).isFalse();
        assertThat(validator.validate(url, p, sorted)).isTrue();
        assertThat(validator.validate(url, p, dropped)).isFalse();
    }

    @Test
    void toStringRevealsNoKey() {
        assertThat(validator.toString()).doesNotContain("12345");
    }
}
