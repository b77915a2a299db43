package io.globalcalling.core.coverage;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import io.globalcalling.PhoneNumber;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@link NumberInfo} from Google's libphonenumber metadata, offline. Satellite numbers are recognised
 * by their ITU prefixes: Iridium +8816 and +8817, Globalstar +8818 and +8819, Inmarsat +870 and
 * Thuraya +88216. Thread-safe.
 *
 * <p>Placing a call asks about its destination up to three times (the manager's check, routing's check, the
 * region per provider), and a libphonenumber parse is the costly part of each, so the facts of the last numbers
 * asked about are kept in a small fixed table keyed by the E.164 string: each call's number is parsed once.
 */
public final class LibPhoneNumberInfo implements NumberInfo {

    /** The satellite networks by E.164 digit prefix (ITU non-geographic codes 870, 881 and 882). */
    private static final Map<String, String> SATELLITE_NETWORKS = orderedMap(
            "8816", "Iridium", "8817", "Iridium", "8818", "Globalstar", "8819", "Globalstar",
            "870", "Inmarsat", "88216", "Thuraya");

    /** E.164 digit prefixes of the satellite networks (ITU non-geographic codes 870, 881 and 882). */
    public static final List<String> SATELLITE_PREFIXES = List.copyOf(SATELLITE_NETWORKS.keySet());

    /** What libphonenumber answers for a country code it does not know. */
    private static final String UNKNOWN_REGION = "ZZ";

    /** Slots of the facts table: a power of two, enough for the calls being placed at once. */
    private static final int SLOTS = 256;

    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    /** Direct-mapped by the E.164 string's hash; a clash just replaces the slot's facts. */
    private final AtomicReferenceArray<Facts> recent = new AtomicReferenceArray<>(SLOTS);

    /** What libphonenumber says of one number; {@code region} is null when it names no country. */
    private record Facts(String e164, boolean valid, String region, NumberType type) {
    }

    /**
     * The region whose numbering plan the number matches; for a number that matches none under a
     * shared country code (+1, +44, ...), the code's main region, e.g. GB for +44.
     */
    @Override
    public Optional<String> regionOf(PhoneNumber number) {
        return Optional.ofNullable(facts(number).region());
    }

    @Override
    public boolean isSatellite(PhoneNumber number) {
        return satellitePrefix(number) != null;
    }

    /** The satellite network a number belongs to (Iridium, Inmarsat, Thuraya, Globalstar), by its prefix. */
    public static Optional<String> satelliteNetwork(PhoneNumber number) {
        return Optional.ofNullable(satellitePrefix(number)).map(prefix -> SATELLITE_NETWORKS.get(prefix) + ", +" + prefix);
    }

    /** The satellite prefix the number starts with, or null: a plain loop, as every call asks and almost all say no. */
    private static String satellitePrefix(PhoneNumber number) {
        Objects.requireNonNull(number, "number");
        String e164 = number.value();
        for (String prefix : SATELLITE_PREFIXES) {
            if (e164.startsWith(prefix, 1)) return prefix;   // the digits after the '+'
        }
        return null;
    }

    private static Map<String, String> orderedMap(String... prefixAndNetwork) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < prefixAndNetwork.length; i += 2) map.put(prefixAndNetwork[i], prefixAndNetwork[i + 1]);
        return Collections.unmodifiableMap(map);
    }

    @Override
    public boolean isValid(PhoneNumber number) {
        return facts(number).valid();
    }

    @Override
    public NumberType typeOf(PhoneNumber number) {
        return facts(number).type();
    }

    private Facts facts(PhoneNumber number) {
        Objects.requireNonNull(number, "number");
        String e164 = number.value();
        int slot = (e164.hashCode() ^ (e164.hashCode() >>> 16)) & (SLOTS - 1);
        Facts known = recent.get(slot);
        if (known != null && known.e164().equals(e164)) return known;
        Facts parsed = parse(e164);
        recent.set(slot, parsed);
        return parsed;
    }

    private Facts parse(String e164) {
        Phonenumber.PhoneNumber parsed;
        try {
            parsed = util.parse(e164, null);
        } catch (NumberParseException e) {
            return new Facts(e164, false, null, NumberType.UNKNOWN);
        }
        String region = util.getRegionCodeForNumber(parsed);
        if (region == null) region = util.getRegionCodeForCountryCode(parsed.getCountryCode());
        boolean country = !region.equals(PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY) && !region.equals(UNKNOWN_REGION);
        // our enum mirrors PhoneNumberType name for name
        NumberType type = NumberType.valueOf(util.getNumberType(parsed).name());
        return new Facts(e164, util.isValidNumber(parsed), country ? region : null, type);
    }
}
