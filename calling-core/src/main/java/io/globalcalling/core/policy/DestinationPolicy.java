package io.globalcalling.core.policy;

import io.globalcalling.core.coverage.NumberInfo;
import io.globalcalling.core.coverage.NumberType;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.ConfigurationException;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.ConfigValidation;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Validated;

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
import java.util.function.Function;
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
        ConfigValidation v = ConfigValidation.of(config, "destination policy");
        // no 'none' here, nor an empty list: an empty allow-list allows every country, the opposite of what they say
        List<String> countries = v.take(v.list("calling.policy.allowed-countries",
                DestinationPolicy::country, "is not an ISO 3166-1 alpha-2 country code")
                .check(list -> !list.isEmpty(), "lists no country; leave it out to allow every country"));
        List<String> prefixes = v.take(noneOrList(v, "calling.policy.denied-prefixes",
                DestinationPolicy::prefix, "is not an E.164 prefix (1 to 15 digits)"));
        List<NumberType> types = v.take(noneOrList(v, "calling.policy.denied-number-types",
                t -> NumberType.valueOf(t.toUpperCase(Locale.ROOT).replace('-', '_')),
                "is not one of " + Arrays.toString(NumberType.values())));
        v.orThrow();
        Builder b = builder();
        if (countries != null) b.allowedCountries(countries);
        if (prefixes != null) b.deniedPrefixes(prefixes);
        if (types != null) b.deniedNumberTypes(types);
        return b.build();
    }

    /** A comma-separated list of items read by {@code item}; {@code none} is the empty list. */
    private static <T> Validated<List<T>> noneOrList(ConfigValidation v, String key, Function<String, T> item,
                                                     String message) {
        String text = v.string(key).orNull();
        return NONE.equalsIgnoreCase(text) ? Validated.valid(key, List.of(), text) : v.list(key, item, message);
    }

    /** An ISO 3166-1 alpha-2 code, upper-cased. */
    private static String country(String c) {
        String code = c.strip().toUpperCase(Locale.ROOT);
        if (!COUNTRY.matcher(code).matches() || !ISO_COUNTRIES.contains(code)) {
            throw new IllegalArgumentException("calling.policy.allowed-countries item '" + c
                    + "' is not an ISO 3166-1 alpha-2 country code");
        }
        return code;
    }

    /** An E.164 digit prefix without its {@code +}. */
    private static String prefix(String p) {
        String prefix = p.strip();
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("calling.policy.denied-prefixes item '" + p
                    + "' is not an E.164 prefix (1 to 15 digits)");
        }
        return prefix.startsWith("+") ? prefix.substring(1) : prefix;
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
            if (number.value().startsWith(prefix, 1)) {   // after the '+': no copy of the digits per prefix
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
            for (String c : countries) out.add(country(Objects.requireNonNull(c, "allowedCountries item")));
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
            for (String p : prefixes) out.add(prefix(Objects.requireNonNull(p, "deniedPrefixes item")));
            this.deniedPrefixes = out;
            return this;
        }

        public DestinationPolicy build() {
            return new DestinationPolicy(this);
        }
    }
}
