package io.globalcalling.core.coverage;

import io.globalcalling.PhoneNumber;

import java.util.Optional;

/** Facts about a phone number, offline. */
public interface NumberInfo {

    /** The ISO 3166-1 alpha-2 region of a geographic number; empty for non-geographic ones (+870, +881, ...). */
    Optional<String> regionOf(PhoneNumber number);

    /** Whether the number belongs to a satellite network (Iridium +8816/+8817, Inmarsat +870, Thuraya +88216, ...). */
    boolean isSatellite(PhoneNumber number);

    /** Whether the number is a valid, dialable number by the numbering plan (not only well-formed E.164). */
    boolean isValid(PhoneNumber number);

    /** The kind of line, where the numbering plan says; {@link NumberType#UNKNOWN} by default. */
    default NumberType typeOf(PhoneNumber number) {
        return NumberType.UNKNOWN;
    }
}
