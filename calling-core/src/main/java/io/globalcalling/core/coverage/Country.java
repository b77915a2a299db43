package io.globalcalling.core.coverage;

import java.util.Objects;

/**
 * A country the SDK counts coverage against: one of the 193 member states or 2 observer states of
 * the United Nations, with its ISO 3166-1 codes.
 *
 * @param alpha2   ISO 3166-1 alpha-2, e.g. {@code IN}
 * @param alpha3   ISO 3166-1 alpha-3, e.g. {@code IND}
 * @param numeric  ISO 3166-1 numeric, three digits, e.g. {@code 356}
 * @param name     English short name
 * @param status   member state or observer state
 */
public record Country(String alpha2, String alpha3, String numeric, String name, Status status) {

    /** Standing at the United Nations. */
    public enum Status { MEMBER, OBSERVER }

    public Country {
        Objects.requireNonNull(alpha2, "alpha2");
        Objects.requireNonNull(alpha3, "alpha3");
        Objects.requireNonNull(numeric, "numeric");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        if (!alpha2.matches("[A-Z]{2}")) throw new IllegalArgumentException("alpha2 '" + alpha2 + "' is not two capital letters");
        if (!alpha3.matches("[A-Z]{3}")) throw new IllegalArgumentException("alpha3 '" + alpha3 + "' is not three capital letters");
        if (!numeric.matches("\\d{3}")) throw new IllegalArgumentException("numeric '" + numeric + "' is not three digits");
        if (name.isBlank()) throw new IllegalArgumentException("name of " + alpha2 + " is blank");
    }
}
