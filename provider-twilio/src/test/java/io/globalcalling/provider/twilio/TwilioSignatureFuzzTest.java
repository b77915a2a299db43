package io.globalcalling.provider.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.globalcalling.Secret;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes {@link TwilioSignatureValidator}: a signature made with the token over the URL and parameters is
 * accepted; the same signature never validates a tampered body (a value or name lengthened, a parameter added)
 * or a tampered URL path; a signature from another token is never accepted, and arbitrary header text only when
 * it is the signature of a form Twilio may sign (Jazzer learns compared bytes, so it does find those); nothing
 * throws.
 */
class TwilioSignatureFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void acceptsOnlyTheSignedRequest(FuzzedDataProvider data) {
        String token = "tok-" + data.consumeString(24);
        String url = "https://hooks.example.com" + (data.consumeBoolean() ? ":8443" : "") + "/cb?"
                + data.consumeString(40);
        Map<String, List<String>> params = new LinkedHashMap<>();
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            params.computeIfAbsent(data.consumeString(12), k -> new ArrayList<>()).add(data.consumeString(30));
        }
        String garbage = data.consumeRemainingAsString();
        TwilioSignatureValidator validator = new TwilioSignatureValidator(Secret.of(token));
        String signature = validator.signatureOf(url, params);

        assertThat(validator.validate(url, params, signature)).as("the signed request").isTrue();
        assertThat(validator.validate(url, params, " " + signature + "\n")).as("header whitespace").isTrue();
        // any header is accepted exactly when it is the signature of a form Twilio may sign: the URL with or
        // without its default port, the values as received or sorted
        assertThat(validator.validate(url, params, garbage)).as("arbitrary header %s", garbage)
                .isEqualTo(signedForms(validator, url, params).contains(garbage.strip()));
        assertThat(new TwilioSignatureValidator(Secret.of(token + "x")).validate(url, params, signature))
                .as("another token").isFalse();
        assertThat(validator.validate(url.replace("/cb?", "/cc?"), params, signature)).as("another path").isFalse();

        Map<String, List<String>> added = copy(params);
        added.computeIfAbsent("Extra", k -> new ArrayList<>()).add("1");
        assertThat(validator.validate(url, added, signature)).as("a parameter added").isFalse();
        if (!params.isEmpty()) {
            Map<String, List<String>> longer = copy(params);
            String name = longer.keySet().iterator().next();
            List<String> values = longer.get(name);
            values.set(0, values.get(0) + "0");
            assertThat(validator.validate(url, longer, signature)).as("a value lengthened").isFalse();
        }
        assertThat(validator.toString()).doesNotContain(token);
    }

    private static Set<String> signedForms(TwilioSignatureValidator validator, String url,
                                           Map<String, List<String>> params) {
        Map<String, List<String>> sorted = copy(params);
        sorted.values().forEach(Collections::sort);
        Set<String> forms = new HashSet<>();
        for (String variant : TwilioSignatureValidator.urlVariants(url)) {
            forms.add(validator.signatureOf(variant, params));
            forms.add(validator.signatureOf(variant, sorted));
        }
        return forms;
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> m) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }
}
