package io.globalcalling.benchmarks;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.cost.RateDeck;
import io.globalcalling.core.coverage.LibPhoneNumberInfo;
import io.globalcalling.core.policy.DestinationNotPermittedException;
import io.globalcalling.core.policy.DestinationPolicy;
import io.globalcalling.core.routing.RoutePlan;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.Purpose;
import io.globalcalling.spi.Rate;
import io.globalcalling.Skill;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * {@link GlobalCallingManager#plan} (validation, category rules, coverage, a deck lookup per provider, scoring and
 * the reasons) against a rate deck of {@code deckSize} lines spread over 4 providers and 5 categories, for a mix of
 * requests to real numbers of every country but the few the default destination policy refuses. Baseline, in the same run: the bare longest-prefix lookup
 * ({@link RateDeck#find}) of the same destination in one provider's deck of the same size.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoutingBenchmark {

    static final int PROVIDERS = 4;

    @State(Scope.Benchmark)
    public static class Deck {
        @Param({"1000", "10000", "50000", "200000"})
        public int deckSize;

        GlobalCallingManager manager;
        RateDeck firstProviderDeck;
        CallRequest[] requests;
        PhoneNumber[] numbers;
        CallCategory[] categories;

        @Setup(Level.Trial)
        public void setUp() {
            List<String> destinations = exampleNumbers();
            Set<String> countries = new TreeSet<>(Arrays.asList(Locale.getISOCountries()));
            countries.addAll(PhoneNumberUtil.getInstance().getSupportedRegions()); // XK (Kosovo) has no ISO code
            Random random = new Random(20261124L);
            GlobalCallingManager.Builder builder = GlobalCallingManager.builder().discoverProviders(false)
                    .config(ProviderConfig.of(Map.of()));
            for (int p = 0; p < PROVIDERS; p++) {
                List<Rate> rates = deck(deckSize / PROVIDERS, destinations, random);
                builder.provider(new DeckProvider("carrier-" + (p + 1), rates, countries));
                if (p == 0) firstProviderDeck = RateDeck.of(rates);
            }
            manager = builder.build();

            // A mix of requests: person-to-person, bulk notifications, agent calls, no terrestrial coverage.
            requests = new CallRequest[1024];
            numbers = new PhoneNumber[requests.length];
            categories = new CallCategory[requests.length];
            for (int i = 0; i < requests.length; i++) {
                String to = destinations.get(random.nextInt(destinations.size()));
                CallRequest.Builder r = CallRequest.to(to);
                int kind = random.nextInt(20);
                if (kind < 12) categories[i] = CallCategory.INTERNET_VOIP;
                else if (kind < 16) {
                    r.purpose(Purpose.NOTIFICATION).script("Your order has shipped");
                    categories[i] = CallCategory.AI_AUTOMATED;
                } else if (kind < 19) {
                    r.skill(Skill.SALES);
                    categories[i] = CallCategory.HUMAN_AGENT;
                } else {
                    r.terrestrialCoverage(false);
                    categories[i] = CallCategory.SATELLITE;
                }
                requests[i] = r.build();
                numbers[i] = PhoneNumber.of(to);
                RoutePlan plan = manager.plan(requests[i]);
                if (plan.category() != categories[i] || plan.options().size() != PROVIDERS) {
                    throw new IllegalStateException("unexpected plan for " + to + ": " + plan);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            manager.close();
        }
    }

    /** Each thread walks the request mix in order. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        int advance() {
            next = (next + 1) & 1023;
            return next;
        }
    }

    @Benchmark
    public RoutePlan plan(Deck deck, Cursor cursor) {
        return deck.manager.plan(deck.requests[cursor.advance()]);
    }

    @Benchmark
    public Optional<Rate> baselineDeckFind(Deck deck, Cursor cursor) {
        int i = cursor.advance();
        return deck.firstProviderDeck.find(deck.categories[i], deck.numbers[i]);
    }

    /**
     * libphonenumber's example fixed-line and mobile numbers of every region it knows: real, valid numbers. Those the
     * default destination policy refuses (Niue, Tuvalu, ...) are left out: the manager refuses them before any route
     * is planned.
     */
    static List<String> exampleNumbers() {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        Set<String> out = new TreeSet<>();
        for (String region : util.getSupportedRegions()) {
            for (PhoneNumberUtil.PhoneNumberType type : List.of(PhoneNumberUtil.PhoneNumberType.FIXED_LINE,
                    PhoneNumberUtil.PhoneNumberType.MOBILE)) {
                Phonenumber.PhoneNumber n = util.getExampleNumberForType(region, type);
                if (n != null && util.isValidNumber(n)) out.add(util.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
            }
        }
        DestinationPolicy policy = DestinationPolicy.defaults();
        LibPhoneNumberInfo info = new LibPhoneNumberInfo();
        out.removeIf(e164 -> {
            try {
                policy.check(CallRequest.to(e164).build(), null, info);
                return false;
            } catch (DestinationNotPermittedException refused) {
                return true;
            }
        });
        return new ArrayList<>(out);
    }

    /**
     * One provider's deck: {@code size} lines over the 5 categories. Each category has a catch-all, country codes,
     * and longer prefixes: half cut from real numbers (so lookups go deep), half a country code and random digits.
     */
    static List<Rate> deck(int size, List<String> destinations, Random random) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        List<String> countryCodes = new ArrayList<>();
        for (int cc : util.getSupportedCallingCodes()) countryCodes.add(Integer.toString(cc));
        Map<CallCategory, Set<String>> prefixes = new EnumMap<>(CallCategory.class);
        CallCategory[] all = CallCategory.values();
        for (CallCategory c : all) {
            Set<String> set = new LinkedHashSet<>();
            set.add("");
            prefixes.put(c, set);
        }
        int perCategory = Math.max(1, size / all.length);
        for (CallCategory c : all) {
            Set<String> set = prefixes.get(c);
            for (String cc : countryCodes) {
                if (set.size() >= perCategory) break;
                set.add(cc);
            }
            while (set.size() < perCategory) {
                String prefix;
                if (random.nextBoolean()) {
                    String digits = destinations.get(random.nextInt(destinations.size())).substring(1);
                    prefix = digits.substring(0, Math.min(digits.length(), 2 + random.nextInt(7)));
                } else {
                    StringBuilder b = new StringBuilder(countryCodes.get(random.nextInt(countryCodes.size())));
                    int extra = 1 + random.nextInt(6);
                    for (int i = 0; i < extra; i++) b.append((char) ('0' + random.nextInt(10)));
                    prefix = b.toString();
                }
                set.add(prefix);
            }
        }
        List<Rate> rates = new ArrayList<>(size);
        prefixes.forEach((category, set) -> {
            for (String prefix : set) {
                Money price = Money.of(BigDecimal.valueOf(20 + random.nextInt(280), 2), Money.INR);
                rates.add(category == CallCategory.SYSTEM_API ? Rate.perCall(category, prefix, price)
                        : Rate.builder(category, prefix).perMinute(price).build());
            }
        });
        return rates;
    }
}
