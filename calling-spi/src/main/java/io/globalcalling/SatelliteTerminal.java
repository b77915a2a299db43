package io.globalcalling;

import java.util.Objects;
import java.util.regex.Pattern;

/** A satellite terminal (an Iridium SBD modem, say) addressed by its 15-digit IMEI. */
public record SatelliteTerminal(String imei) implements Endpoint {

    private static final Pattern IMEI = Pattern.compile("\\d{15}");

    public SatelliteTerminal {
        Objects.requireNonNull(imei, "imei");
        if (!IMEI.matcher(imei).matches()) {
            throw new IllegalArgumentException("imei '" + imei + "' must be exactly 15 digits");
        }
    }

    @Override
    public String value() {
        return "imei:" + imei;
    }

    /** {@code imei:} and the IMEI masked, as {@link Endpoint#mask} does; {@link #value} is the terminal's address. */
    @Override
    public String toString() {
        return Endpoint.mask(value());
    }
}
