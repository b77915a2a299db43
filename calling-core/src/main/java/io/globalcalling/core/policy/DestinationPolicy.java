package io.globalcalling.core.policy;

import io.globalcalling.core.coverage.NumberInfo;
import io.globalcalling.core.coverage.NumberType;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.ConfigurationException;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.ProviderConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which phone numbers may be dialled at all, so that a host's users cannot be made to call premium-rate or
 * high-risk ranges that pay the caller's money to a fraudster (international revenue share fraud, IRSF).
 * Immutable; the manager checks it before anything is recorded or sent. The rules, in order:
 *
 * <ol>
 *   <li>{@code denied-prefix}: the number starts with a denied prefix ({@link #DEFAULT_DENIED_PREFIXES} unless
 *       configured);</li>
 *   <li>{@code satellite-range}: a satellite number (+8816, +870, ...) is dialled only for the {@code satellite}
 *       category (or a request that leaves the category to routing, which sends satellite numbers there) or an
 *       emergency; satellite numbers have no country, so the next two rules do not apply to them;</li>
 *   <li>{@code country-not-allowed}: when an allow-list of countries is set, the number's country is on it;</li>
 *   <li>{@code denied-number-type}: the numbering plan's type of the number is not denied (premium rate and
 *       shared cost by default).</li>
 * </ol>
 *
 * <p>Only phone numbers are checked; SIP URIs, webhook URLs and satellite terminals pass. Configuration keys:
 * {@code calling.policy.allowed-countries} (ISO codes, comma-separated; absent: every country),
 * {@code calling.policy.denied-number-types} ({@link NumberType} names, or {@code none}) and
 * {@code calling.policy.denied-prefixes} (E.164 digit prefixes, or {@code none}).
 */
public final class DestinationPolicy {

    /**
     * A conservative default deny-list of ranges well known from IRSF, none of which a typical business calls:
     * <ul>
     *   <li>979 international premium rate, 808 international shared cost, 883 international networks;</li>
     *   <li>8810 to 8813, retired satellite ranges (ICO, Ellipso) that no longer reach a terminal;</li>
     *   <li>246 Diego Garcia, 247 Ascension, 290 St Helena, 674 Nauru, 682 Cook Islands, 683 Niue, 688 Tuvalu,
     *       690 Tokelau: small networks with high termination rates, on most carriers' IRSF lists.</li>
     * </ul>
     * Hosts that do call these places replace the list ({@link Builder#deniedPrefixes}).
     */
    public static final List<String> DEFAULT_DENIED_PREFIXES = List.of("979", "808", "883", "8810", "8811", "8812",
            "8813", "246", "247", "290", "674", "682", "683", "688", "690");

    /** Number types refused by default: both put a premium on the call that may be shared with the callee. */
    public static final Set<NumberType> DEFAULT_DENIED_NUMBER_TYPES = Set.of(NumberType.PREMIUM_RATE,
            NumberType.SHARED_COST);

    private static final Pattern PREFIX = Pattern.compile("\\+?[0-9]{1,15}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");
    private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());
    private static final String NONE = "none";

    private final Set<String> allowedCountries;
    private final Set<NumberType> deniedNumberTypes;
    private final List<String> deniedPrefixes;

    private DestinationPolicy(Builder b) {
        this.allowedCountries = Set.copyOf(b.allowedCountries);
        this.deniedNumberTypes = b.deniedNumberTypes.isEmpty() ? Set.of() : Set.copyOf(b.deniedNumberTypes);
        this.deniedPrefixes = List.copyOf(b.deniedPrefixes);
    }

    /** Every country; premium-rate and shared-cost numbers and {@link #DEFAULT_DENIED_PREFIXES} refused. */
    public static DestinationPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().allowedCountries(allowedCountries).deniedNumberTypes(deniedNumberTypes)
                .deniedPrefixes(deniedPrefixes);
    }

    /**
     * Reads the {@code calling.policy.*} keys; a key that is absent keeps its default.
     *
     * @throws ConfigurationException listing every malformed key at once
     */
    public static DestinationPolicy from(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        Builder b = builder();
        List<String> problems = new ArrayList<>();
        config.get("calling.policy.allowed-countries").ifPresent(v ->
                setOrReport(() -> b.allowedCountries(items(v)), problems));
        config.get("calling.policy.denied-prefixes").ifPresent(v ->
                setOrReport(() -> b.deniedPrefixes(items(v)), problems));
        config.get("calling.policy.denied-number-types").ifPresent(v -> setOrReport(() -> {
            List<NumberType> types = new ArrayList<>();
            for (String name : items(v)) {
                try {
                    types.add(NumberType.valueOf(name.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("calling.policy.denied-number-types item '" + name
                            + "' is not one of " + Arrays.toString(NumberType.values()));
                }
            }
            b.deniedNumberTypes(types);
        }, problems));
        if (!problems.isEmpty()) throw new ConfigurationException("destination policy", problems);
        return b.build();
    }

    private static void setOrReport(Runnable setter, List<String> problems) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    /** A comma-separated list; {@code none} is the empty list. */
    private static List<String> items(String value) {
        if (value.strip().equalsIgnoreCase(NONE)) return List.of();
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Refuses a request whose destination breaks a rule.
     *
     * @param category the category the call will take, or null while routing has not chosen one
     * @throws DestinationNotPermittedException naming the number and the rule
     */
    public void check(CallRequest request, CallCategory category, NumberInfo numbers) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(numbers, "numbers");
        if (!(request.to() instanceof PhoneNumber number)) return;
        for (String prefix : deniedPrefixes) {
            if (number.digits().startsWith(prefix)) {
                throw new DestinationNotPermittedException(number.value(), "denied-prefix",
                        "+" + prefix + " is on the deny-list of high-risk (toll fraud) ranges");
            }
        }
        if (numbers.isSatellite(number)) {
            if (category == null || category == CallCategory.SATELLITE || request.isEmergency()) return;
            throw new DestinationNotPermittedException(number.value(), "satellite-range",
                    "a satellite number is dialled only for the satellite category or an emergency, not for "
                            + category.wireName());
        }
        if (!allowedCountries.isEmpty()) {
            Optional<String> region = numbers.regionOf(number);
            if (region.isEmpty() || !allowedCountries.contains(region.get())) {
                throw new DestinationNotPermittedException(number.value(), "country-not-allowed",
                        region.map(r -> "country " + r).orElse("a number of no country")
                                + " is not among the allowed countries " + new TreeSet<>(allowedCountries));
            }
        }
        NumberType type = numbers.typeOf(number);
        if (deniedNumberTypes.contains(type)) {
            throw new DestinationNotPermittedException(number.value(), "denied-number-type",
                    type + " numbers are denied");
        }
    }

    /** ISO 3166-1 alpha-2 codes; empty means every country. */
    public Set<String> allowedCountries() {
        return allowedCountries;
    }

    public Set<NumberType> deniedNumberTypes() {
        return deniedNumberTypes;
    }

    /** E.164 digit prefixes, without {@code +}. */
    public List<String> deniedPrefixes() {
        return deniedPrefixes;
    }

    @Override
    public String toString() {
        return "DestinationPolicy[allowedCountries=" + (allowedCountries.isEmpty() ? "all" : new TreeSet<>(allowedCountries))
                + ", deniedNumberTypes=" + new TreeSet<>(deniedNumberTypes) + ", deniedPrefixes=" + deniedPrefixes + "]";
    }

    /** Builds a policy; each setter checks its values at once and names a bad one. */
    public static final class Builder {
        private Set<String> allowedCountries = Set.of();
        private Set<NumberType> deniedNumberTypes = DEFAULT_DENIED_NUMBER_TYPES;
        private List<String> deniedPrefixes = DEFAULT_DENIED_PREFIXES;

        private Builder() {
        }

        /** Only numbers of these countries (ISO 3166-1 alpha-2) may be dialled; empty (the default) allows all. */
        public Builder allowedCountries(Collection<String> countries) {
            Objects.requireNonNull(countries, "allowedCountries");
            Set<String> out = new TreeSet<>();
            for (String c : countries) {
                Objects.requireNonNull(c, "allowedCountries item");
                String code = c.strip().toUpperCase(Locale.ROOT);
                if (!COUNTRY.matcher(code).matches() || !ISO_COUNTRIES.contains(code)) {
                    throw new IllegalArgumentException("calling.policy.allowed-countries item '" + c
                            + "' is not an ISO 3166-1 alpha-2 country code");
                }
                out.add(code);
            }
            this.allowedCountries = out;
            return this;
        }

        /** Number types that may not be dialled; default premium rate and shared cost. */
        public Builder deniedNumberTypes(Collection<NumberType> types) {
            Objects.requireNonNull(types, "deniedNumberTypes");
            types.forEach(t -> Objects.requireNonNull(t, "deniedNumberTypes item"));
            this.deniedNumberTypes = types.isEmpty() ? Set.of() : EnumSet.copyOf(types);
            return this;
        }

        /** E.164 prefixes (digits, an optional leading {@code +}) that may not be dialled; replaces the default. */
        public Builder deniedPrefixes(Collection<String> prefixes) {
            Objects.requireNonNull(prefixes, "deniedPrefixes");
            List<String> out = new ArrayList<>();
            for (String p : prefixes) {
                Objects.requireNonNull(p, "deniedPrefixes item");
                String prefix = p.strip();
                if (!PREFIX.matcher(prefix).matches()) {
                    throw new IllegalArgumentException("calling.policy.denied-prefixes item '" + p
                            + "' is not an E.164 prefix (1 to 15 digits)");
                }
                out.add(prefix.startsWith("+") ? prefix.substring(1) : prefix);
            }
            this.deniedPrefixes = out;
            return this;
        }

        public DestinationPolicy build() {
            return new DestinationPolicy(this);
        }
    }
}
