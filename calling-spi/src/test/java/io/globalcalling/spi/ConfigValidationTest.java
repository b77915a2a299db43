package io.globalcalling.spi;

import io.globalcalling.ConfigurationException;
import io.globalcalling.Secret;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigValidationTest {

    private static ConfigValidation reader(String... keyValues) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        return ConfigValidation.of(ProviderConfig.of(m), "acme provider");
    }

    @Test
    void anAbsentKeyIsValidAndAbsentUntilRequiredOrDefaulted() {
        ConfigValidation v = reader("x.blank", "  ");

        assertThat(v.string("x.name").isValid()).isTrue();
        assertThat(v.string("x.name").isPresent()).isFalse();
        assertThat(v.string("x.blank").isPresent()).isFalse();
        assertThat(v.string("x.name").orElse("dflt").get()).isEqualTo("dflt");
        assertThat(v.string("x.name").required().problems()).extracting(Validated.Problem::message)
                .containsExactly("x.name is missing (or set X_NAME)");
        assertThat(v.string("x.name").required().problems().get(0).reason()).isEqualTo(Validated.InvalidReason.MISSING);
        assertThat(v.string("x.name").required("is missing or blank").problems().get(0).message())
                .isEqualTo("x.name is missing or blank");
    }

    @Test
    void booleansAreStrict() {
        ConfigValidation v = reader("a", "TRUE", "b", "false", "c", "yes", "d", "1", "e", "ture");

        assertThat(v.bool("a").get()).isTrue();
        assertThat(v.bool("b").get()).isFalse();
        for (String key : List.of("c", "d", "e")) {
            Validated<Boolean> r = v.bool(key).orElse(false);
            assertThat(r.isValid()).as(key).isFalse();
            assertThat(r.problems().get(0).reason()).isEqualTo(Validated.InvalidReason.MALFORMED);
        }
        assertThat(v.bool("c").problems().get(0).message()).isEqualTo("c = 'yes' is not true or false");
        assertThat(v.bool("absent").orElse(true).get()).isTrue();
    }

    @Test
    void integersAndLongsAreReadWithinTheirRange() {
        ConfigValidation v = reader("n", "42", "low", "4", "neg", "-1", "text", "4x", "big", "99999999999", "l", "99999999999");

        assertThat(v.integer("n", 1, 100).get()).isEqualTo(42);
        assertThat(v.integer("low", 5, 600).problems().get(0).message()).isEqualTo("low = '4' must be 5 to 600");
        assertThat(v.integer("neg", 0, Integer.MAX_VALUE).problems().get(0).message()).isEqualTo("neg = '-1' must not be negative");
        assertThat(v.integer("neg", 1, Integer.MAX_VALUE).problems().get(0).message()).isEqualTo("neg = '-1' must be at least 1");
        assertThat(v.integer("text", 0, 9).problems().get(0).message()).isEqualTo("text = '4x' is not an integer");
        assertThat(v.integer("big", 0, Integer.MAX_VALUE).isValid()).isFalse();
        assertThat(v.longValue("l", 0, Long.MAX_VALUE).get()).isEqualTo(99_999_999_999L);
        assertThat(v.decimal("n").get()).isEqualByComparingTo(new BigDecimal("42"));
        assertThat(v.decimal("text").problems().get(0).message()).isEqualTo("text = '4x' is not a number");
    }

    @Test
    void durationsAreIsoOrANumberWithAUnitAndPositive() {
        ConfigValidation v = reader("iso", "PT1M", "s", "30s", "ms", "250ms", "m", "5m", "h", "2H", "d", "1d",
                "plain", "45", "zero", "PT0S", "neg", "PT-1S", "bad", "soon");

        assertThat(v.duration("iso").get()).isEqualTo(Duration.ofMinutes(1));
        assertThat(v.duration("s").get()).isEqualTo(Duration.ofSeconds(30));
        assertThat(v.duration("ms").get()).isEqualTo(Duration.ofMillis(250));
        assertThat(v.duration("m").get()).isEqualTo(Duration.ofMinutes(5));
        assertThat(v.duration("h").get()).isEqualTo(Duration.ofHours(2));
        assertThat(v.duration("d").get()).isEqualTo(Duration.ofDays(1));
        assertThat(v.duration("plain").get()).isEqualTo(Duration.ofSeconds(45));
        assertThat(v.duration("zero").problems().get(0).message()).isEqualTo("zero = 'PT0S' must be positive");
        assertThat(v.duration("neg").isValid()).isFalse();
        assertThat(v.duration("bad").problems().get(0).message()).startsWith("bad = 'soon' is not a duration");
    }

    @Test
    void urlsAreAbsoluteHttpAndPrintedWithoutCredentials() {
        ConfigValidation v = reader("ok", "https://hooks.example.com/x", "ftp", "ftp://user:pw-123@files.example/x",
                "rel", "/callbacks", "bad", "https://user:pw-123@bad host/");

        assertThat(v.url("ok").get()).isEqualTo(URI.create("https://hooks.example.com/x"));
        assertThat(v.url("ftp").problems().get(0).message())
                .isEqualTo("ftp = 'ftp://files.example/x' is not an absolute http(s) URL");
        assertThat(v.url("rel").isValid()).isFalse();
        assertThat(v.url("bad").problems().get(0).message()).startsWith("bad = 'https://bad host/' is not a URL")
                .doesNotContain("pw-123");
    }

    enum Colour { DEEP_RED, BLUE }

    @Test
    void enumsAndListsReadNamesAndReportEachBadItem() {
        ConfigValidation v = reader("one", "deep-red", "many", "blue, DEEP_RED,,", "bad", "blue,green,pink", "csv", " a, b ,,c");

        assertThat(v.enumValue("one", Colour.class).get()).isEqualTo(Colour.DEEP_RED);
        assertThat(v.enumSet("many", Colour.class).get()).isEqualTo(Set.of(Colour.BLUE, Colour.DEEP_RED));
        assertThat(v.enumSet("bad", Colour.class).problems()).extracting(Validated.Problem::message).containsExactly(
                "bad item = 'green' is not one of [deep_red, blue]", "bad item = 'pink' is not one of [deep_red, blue]");
        assertThat(v.enumValue("bad", Colour.class).problems().get(0).message()).contains("bad = 'blue,green,pink'");
        assertThat(v.list("csv").get()).containsExactly("a", "b", "c");
        assertThat(v.enumSet("absent", Colour.class).isPresent()).isFalse();
    }

    @Test
    void aSecretIsNeverPrintedInAProblemOrAToString() {
        ConfigValidation v = reader("token", "s3cr3t-value");

        Validated<Secret> token = v.secret("token");
        assertThat(token.get().reveal()).isEqualTo("s3cr3t-value");
        assertThat(token.toString()).doesNotContain("s3cr3t-value");
        Validated<Secret> refused = token.check(s -> s.reveal().length() > 40, "is shorter than 40 characters");
        assertThat(refused.problems().get(0).message()).isEqualTo("token is shorter than 40 characters");
        v.take(refused);
        assertThatThrownBy(v::orThrow).isInstanceOf(ConfigurationException.class).hasMessageNotContaining("s3cr3t-value");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigValidation v = reader("acme.port", "http", "acme.sandbox", "maybe", "acme.timeout", "0s");

        assertThat(v.take(v.secret("acme.token").required())).isNull();
        assertThat(v.take(v.integer("acme.port", 1, 65535).orElse(443))).isNull();
        assertThat(v.take(v.bool("acme.sandbox").orElse(false))).isNull();
        assertThat(v.take(v.duration("acme.timeout").orElse(Duration.ofSeconds(5)))).isNull();
        assertThat(v.take(v.string("acme.region").orElse("eu"))).isEqualTo("eu");
        ConfigurationException e = catchThrowableOfType(v::orThrow, ConfigurationException.class);

        assertThat(e.problems()).containsExactly("acme.token is missing (or set ACME_TOKEN)",
                "acme.port = 'http' is not an integer", "acme.sandbox = 'maybe' is not true or false",
                "acme.timeout = '0s' must be positive");
        assertThat(e.getMessage()).startsWith("acme provider: ");
    }

    @Test
    void resultsCombineAndOnlyValidOnesYieldAValue() {
        ConfigValidation v = reader("a", "x", "b", "y");
        Validated<Integer> a = v.integer("a", 0, 9);
        Validated<Integer> b = v.integer("b", 0, 9);

        assertThat(a.and(b).problems()).hasSize(2);
        assertThat(Validated.all(List.of(a, b, v.string("c"))).problems()).hasSize(2);
        assertThatThrownBy(a::get).isInstanceOf(ConfigurationException.class).hasMessageContaining("a = 'x'");
        assertThatThrownBy(() -> v.string("c").get()).hasMessageContaining("c is not set");
        v.orThrow(); // nothing taken, nothing reported
    }

    @Test
    void providerConfigsTypedGettersAreStrictToo() {
        ProviderConfig config = ProviderConfig.of(Map.of("flag", "yes", "n", "7", "t", "30s"));

        assertThatThrownBy(() -> config.getBoolean("flag", false)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("flag = 'yes' is not true or false");
        assertThat(config.getBoolean("absent", true)).isTrue();
        assertThat(config.getInt("n")).contains(7);
        assertThat(config.getDuration("t")).contains(Duration.ofSeconds(30));
    }
}
