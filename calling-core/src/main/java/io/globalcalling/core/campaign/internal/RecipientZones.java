package io.globalcalling.core.campaign.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import com.google.i18n.phonenumbers.prefixmapper.PrefixTimeZonesMap;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The time zones a phone number may ring in, from libphonenumber's geocoder data: the data
 * {@code PhoneNumberToTimeZonesMapper} reads, read here through the prefix mapper directly because the
 * geocoder jar shares the {@code com.google.i18n.phonenumbers} package with libphonenumber, which the
 * module system refuses to read from two modules. A number whose zone is unknown gets its country's
 * zones; several zones mean the caller must find a moment open in all of them.
 */
public final class RecipientZones {

    private static final String DATA = "com/google/i18n/phonenumbers/timezones/data/map_data";
    private static final String UNKNOWN = "Etc/Unknown";

    private final PrefixTimeZonesMap map;
    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();

    private RecipientZones(PrefixTimeZonesMap map) {
        this.map = map;
    }

    /** @throws IllegalStateException when the geocoder data is not on the class path */
    public static RecipientZones load() {
        ClassLoader loader = RecipientZones.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(DATA)) {
            if (in == null) {
                throw new IllegalStateException("time zone data " + DATA + " is missing: add "
                        + "com.googlecode.libphonenumber:geocoder to the class path");
            }
            PrefixTimeZonesMap map = new PrefixTimeZonesMap();
            map.readExternal(new ObjectInputStream(in));
            return new RecipientZones(map);
        } catch (IOException e) {
            throw new UncheckedIOException("time zone data " + DATA + " could not be read", e);
        }
    }

    /** The zones {@code e164} may ring in; UTC when even its country is unknown. */
    public Set<ZoneId> zonesOf(String e164) {
        Phonenumber.PhoneNumber number;
        try {
            number = util.parse(e164, "ZZ");
        } catch (NumberParseException e) {
            return Set.of(ZoneId.of("UTC"));
        }
        List<String> ids = map.lookupTimeZonesForNumber(number);
        if (ids.isEmpty() || ids.contains(UNKNOWN)) ids = map.lookupCountryLevelTimeZonesForNumber(number);
        Set<ZoneId> zones = new LinkedHashSet<>();
        for (String id : ids) {
            if (!UNKNOWN.equals(id) && ZoneId.getAvailableZoneIds().contains(id)) zones.add(ZoneId.of(id));
        }
        return zones.isEmpty() ? Set.of(ZoneId.of("UTC")) : zones;
    }
}
