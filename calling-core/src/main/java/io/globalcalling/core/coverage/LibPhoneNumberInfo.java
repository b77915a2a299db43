package io.globalcalling.core.coverage;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import io.globalcalling.spi.PhoneNumber;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link NumberInfo} from Google's libphonenumber metadata, offline. Satellite numbers are recognised
 * by their ITU prefixes: Iridium +8816 and +8817, Globalstar +8818 and +8819, Inmarsat +870 and
 * Thuraya +88216. Thread-safe.
 */
public final class LibPhoneNumberInfo implements NumberInfo {

    /** E.164 digit prefixes of the satellite networks (ITU non-geographic codes 870, 881 and 882). */
    public static final List<String> SATELLITE_PREFIXES = List.of("8816", "8817", "8818", "8819", "870", "88216");

    /** What libphonenumber answers for a country code it does not know. */
    private static final String UNKNOWN_REGION = "ZZ";

    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();

    /**
     * The region whose numbering plan the number matches; for a number that matches none under a
     * shared country code (+1, +44, ...), the code's main region, e.g. GB for +44.
     */
    @Override
    public Optional<String> regionOf(PhoneNumber number) {
        return parse(number)
                .map(parsed -> Optional.ofNullable(util.getRegionCodeForNumber(parsed))
                        .orElseGet(() -> util.getRegionCodeForCountryCode(parsed.getCountryCode())))
                .filter(region -> !region.equals(PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY)
                        && !region.equals(UNKNOWN_REGION));
    }

    @Override
    public boolean isSatellite(PhoneNumber number) {
        Objects.requireNonNull(number, "number");
        return SATELLITE_PREFIXES.stream().anyMatch(number.digits()::startsWith);
    }

    @Override
    public boolean isValid(PhoneNumber number) {
        return parse(number).map(util::isValidNumber).orElse(false);
    }

    private Optional<Phonenumber.PhoneNumber> parse(PhoneNumber number) {
        Objects.requireNonNull(number, "number");
        try {
            return Optional.of(util.parse(number.value(), null));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
