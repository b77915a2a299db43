package io.globalcalling.core.coverage;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.globalcalling.PhoneNumber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LibPhoneNumberInfoTest {

    private final LibPhoneNumberInfo info = new LibPhoneNumberInfo();

    @ParameterizedTest(name = "{0} is in {1}")
    @CsvSource({
            "+919876543210, IN",
            "+14155552671,  US",
            "+447700900123, GB",
            "+16135550123,  CA",
            "+12125550199,  US",
            "+85223456789,  HK",
            "+38344123456,  XK"})
    void findsTheRegionOfAGeographicNumber(String number, String region) {
        PhoneNumber phone = new PhoneNumber(number);

        assertThat(info.regionOf(phone)).contains(region);
        assertThat(info.isSatellite(phone)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+881631234567", "+881712345678", "+8818123456789", "+870773111632", "+88216123456"})
    void recognisesSatelliteNumbersAsNonGeographic(String number) {
        PhoneNumber phone = new PhoneNumber(number);

        assertThat(info.isSatellite(phone)).isTrue();
        assertThat(info.regionOf(phone)).isEmpty();
    }

    @Test
    void otherNonGeographicNumbersAreNotSatellite() {
        PhoneNumber freephone = new PhoneNumber("+80012345678");

        assertThat(info.isSatellite(freephone)).isFalse();
        assertThat(info.regionOf(freephone)).isEmpty();
    }

    @Test
    void acceptsDialableNumbers() {
        assertThat(info.isValid(new PhoneNumber("+919876543210"))).isTrue();
        assertThat(info.isValid(new PhoneNumber("+14155552671"))).isTrue();
        assertThat(info.isValid(new PhoneNumber("+870773111632"))).as("Inmarsat").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+9112", "+91987654321099", "+10005552671", "+999123456789", "+4412"})
    void refusesNumbersTheNumberingPlanDoesNotHave(String number) {
        assertThat(info.isValid(new PhoneNumber(number))).isFalse();
    }

    @Test
    void tellsTheNumberTypeFromTheNumberingPlan() {
        assertThat(info.typeOf(new PhoneNumber("+449012345678"))).isEqualTo(NumberType.PREMIUM_RATE);
        assertThat(info.typeOf(new PhoneNumber("+9118603451234"))).isEqualTo(NumberType.SHARED_COST);
        assertThat(info.typeOf(new PhoneNumber("+979123456789"))).as("international premium rate").isEqualTo(NumberType.PREMIUM_RATE);
        assertThat(info.typeOf(new PhoneNumber("+919876543210"))).isEqualTo(NumberType.MOBILE);
        assertThat(info.typeOf(new PhoneNumber("+999123456789"))).isEqualTo(NumberType.UNKNOWN);
    }

    @Test
    void anUnassignedCountryCodeHasNoRegion() {
        assertThat(info.regionOf(new PhoneNumber("+999123456789"))).isEmpty();
    }

    @Test
    void answersAsLibPhoneNumberDoesWhenManyNumbersShareTheFactsTable() throws Exception {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        LibPhoneNumberInfo info = new LibPhoneNumberInfo();
        List<PhoneNumber> numbers = new ArrayList<>();
        for (String region : util.getSupportedRegions()) {
            var example = util.getExampleNumber(region);
            if (example == null) continue;
            String e164 = util.format(example, PhoneNumberUtil.PhoneNumberFormat.E164);
            numbers.add(new PhoneNumber(e164));
            numbers.add(new PhoneNumber(e164.substring(0, e164.length() - 1))); // one digit short: often invalid
        }
        assertThat(numbers).hasSizeGreaterThan(256); // more than the table's slots, so slots are shared and replaced
        for (int round = 0; round < 2; round++) {
            for (PhoneNumber number : numbers) {
                var parsed = util.parse(number.value(), null);
                assertThat(info.isValid(number)).as("valid %s", number).isEqualTo(util.isValidNumber(parsed));
                assertThat(info.regionOf(number)).as("region %s", number).isEqualTo(new LibPhoneNumberInfo().regionOf(number));
            }
        }
    }
}
