package io.globalcalling.core.routing;

import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.coverage.Geography;
import io.globalcalling.core.coverage.LibPhoneNumberInfo;
import io.globalcalling.core.coverage.NumberInfo;
import io.globalcalling.core.coverage.Place;
import io.globalcalling.core.internal.ScriptTemplate;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.Endpoint;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.Priority;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.Purpose;
import io.globalcalling.QualityPreference;
import io.globalcalling.spi.Rate;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.SipUri;
import io.globalcalling.Skill;
import io.globalcalling.WebhookUrl;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Chooses the category of a call and orders the providers that can carry it. {@link #plan} is a
 * pure function of the request and the current catalog, rates and observations: it places
 * nothing, records nothing, and may be called as a dry run. Thread-safe.
 *
 * <p>The category, first rule that applies wins: a pinned category; a webhook URL →
 * {@code system_api}; a satellite terminal or satellite-network number → {@code satellite}; no
 * terrestrial coverage (the request says so, or its location is at sea or on land far from any
 * settlement, as the {@link Geography} says: ice sheets, deep desert; a polar town has networks)
 * → {@code satellite}; an emergency elsewhere keeps the best terrestrial category given
 * by the rules below; a notification or alert to a phone number → {@code ai_automated}; VIP
 * support, high-priority support or sales, or any agent skill → {@code human_agent}; otherwise
 * {@code internet_voip}.
 *
 * <p>The options are the active providers of that category that reach the destination (for a
 * phone number, in a country their coverage lists, unless it is global and the category satellite) and price it (a live
 * quote, else the deck's longest prefix). For a human_agent call asking for a skill, a provider that
 * declares its agents per skill is dropped when it has none of that skill; when that leaves no
 * option, the request is refused naming the skill. Options dearer per minute than the request's cap are
 * dropped, except for emergencies, which keep them and say so ({@link RoutePlan#capBypassed()}). A
 * satellite-network number belongs to no country: in the satellite category, a carrier that serves it (for
 * example with {@code <id>.categories=internet_voip,satellite}) reaches it through its deck's rate for the
 * network's prefix, whatever countries it lists. The rest are ordered by a score that blends the cost of a
 * one-minute call relative to the cheapest option with observed quality, weighted by the
 * request's {@link QualityPreference}; a provider whose circuit is open goes last.
 *
 * <p>Real and simulated providers never mix in a plan. When any real provider serves the category, the
 * simulated ones (the sandbox) are dropped, with that reason, whatever their price, and even when every
 * real option is dropped too: a call a real provider could be chosen for is never simulated, and a
 * simulated provider is never a failover. A simulated provider carries only the categories no real
 * provider serves (which happens beside real providers only when {@code sandbox.enabled=true}).
 */
public final class RoutePlanner {

    /** Pseudo-calls of typical quality blended into each observation, so that a few calls do not swing the order. */
    private static final int PRIOR_WEIGHT = 5;
    /** What a provider not yet observed is assumed to achieve: answer ratio 0.5, failure ratio 0.05, post-dial delay 3 s. */
    private static final double TYPICAL_QUALITY = qualityScore(0.5, 0.05, Optional.of(Duration.ofSeconds(3)));
    private static final Duration ONE_MINUTE = Duration.ofMinutes(1);

    /** Slots of the kept prices and score texts: a power of two, more than one destination class uses. */
    private static final int KEPT_SLOTS = 256;

    private final ProviderCatalog catalog;
    private final Geography geography;
    private final NumberInfo numbers;
    private final FxTable fx;
    private final QualityTracker tracker;
    private final Clock clock;
    /** The last deck rates priced, direct-mapped by identity; a clash just replaces the slot. */
    private final AtomicReferenceArray<Priced> priced = new AtomicReferenceArray<>(KEPT_SLOTS);

    /** The last score texts, direct-mapped by their figures; the cost weight follows from the preference. */
    private final AtomicReferenceArray<ScoreText> scoreTexts = new AtomicReferenceArray<>(KEPT_SLOTS);

    private record ScoreText(double score, double costScore, double qualityScore, QualityPreference preference,
                             String text) {
    }

    private record Priced(Rate rate, String rateSource, Money perMinute, String perMinuteText, Money perCall,
                          BigDecimal oneMinute, String reason) {
    }

    public RoutePlanner(ProviderCatalog catalog, Geography geography, NumberInfo numbers, FxTable fx,
                        QualityTracker tracker, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.geography = Objects.requireNonNull(geography, "geography");
        this.numbers = Objects.requireNonNull(numbers, "numbers");
        this.fx = Objects.requireNonNull(fx, "fx");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Plans the request.
     *
     * @throws NoRouteException         when no provider serves the category, every one was dropped (the
     *                                  message says why each), or the number is not dialable
     * @throws IllegalArgumentException when the request's cost cap is in a currency the FX table cannot convert
     */
    public RoutePlan plan(CallRequest request) {
        Objects.requireNonNull(request, "request");
        List<String> categoryReasons = new ArrayList<>();
        CallCategory category = chooseCategory(request, categoryReasons);
        requirePayloadFits(request, category);
        Endpoint to = request.to();
        if (to instanceof PhoneNumber number && !numbers.isValid(number)) {
            throw new NoRouteException(category, "the destination is not a valid number by the numbering plan", List.of());
        }
        Optional<Money> cap = Optional.ofNullable(request.maxCostPerMinute()).map(fx::toReporting);
        if (request.isEmergency() && request.maxCostPerMinute() != null) {
            categoryReasons.add("emergency: the cap of " + Amounts.perMinute(request.maxCostPerMinute()) + " is not applied");
        }

        List<Candidate> candidates = new ArrayList<>();
        List<DroppedOption> dropped = new ArrayList<>();
        List<CallingProvider> serving = catalog.serving(category);
        List<String> real = realOnes(serving);
        for (CallingProvider provider : serving) {
            if (provider.capabilities().simulated() && !real.isEmpty()) {
                dropped.add(new DroppedOption(provider.id(), category, "simulated, and real providers serve "
                        + category.wireName() + " (" + String.join(", ", real) + "): a call a real provider could be "
                        + "chosen for is never simulated, nor is a simulated provider a failover"));
                continue;
            }
            String drop = candidate(provider, category, request, cap, candidates);
            if (drop != null) dropped.add(new DroppedOption(provider.id(), category, drop));
        }
        if (serving.isEmpty()) {
            String why = "no active provider serves " + category.wireName()
                    + (request.category() != null ? ", the category the request pinned" : "");
            throw new NoRouteException(category, why, dropped);
        }
        if (candidates.isEmpty()) {
            tooLargeForEvery(request, serving).ifPresent(why -> {
                throw new NoRouteException(category, why, dropped);
            });
            boolean noAgents = request.skill() != null && category == CallCategory.HUMAN_AGENT
                    && serving.stream().anyMatch(p -> lacksSkill(p, request.skill()));
            throw new NoRouteException(category, noAgents
                    ? "no active human_agent provider has an agent with skill " + request.skill().wireName()
                    : "every provider of the category was dropped", dropped);
        }
        boolean capBypassed = candidates.stream().anyMatch(c -> c.overCap.isPresent());
        return new RoutePlan(category, categoryReasons, order(candidates, category, request), dropped, capBypassed);
    }

    // ---- category -------------------------------------------------------------------------------

    private CallCategory chooseCategory(CallRequest r, List<String> reasons) {
        boolean emergency = r.isEmergency();
        if (emergency) reasons.add("emergency: no cost cap, highest priority");
        if (r.category() != null) {
            reasons.add("category " + r.category().wireName() + " pinned by the request");
            return r.category();
        }
        Endpoint to = r.to();
        if (to instanceof WebhookUrl) {
            reasons.add("destination is a webhook URL: system_api");
            return CallCategory.SYSTEM_API;
        }
        if (to instanceof SatelliteTerminal) {
            reasons.add("destination is a satellite terminal: satellite");
            return CallCategory.SATELLITE;
        }
        if (to instanceof PhoneNumber number && numbers.isSatellite(number)) {
            reasons.add("destination is a satellite-network number"
                    + LibPhoneNumberInfo.satelliteNetwork(number).map(n -> " (" + n + ")").orElse("")
                    + ", reached wherever its handset is: satellite");
            return CallCategory.SATELLITE;
        }
        Optional<String> noCoverage = noTerrestrialCoverage(r);
        if (noCoverage.isPresent()) {
            reasons.add(noCoverage.get() + ": satellite");
            if (emergency) reasons.add("emergency: terrestrial coverage is absent, so satellite has priority");
            return CallCategory.SATELLITE;
        }
        CallCategory terrestrial = terrestrialCategory(r, reasons);
        if (emergency) reasons.add("emergency: terrestrial coverage is present, so the best terrestrial category, "
                + terrestrial.wireName() + ", is used");
        return terrestrial;
    }

    /** Why the callee has no terrestrial coverage, if the request or its location says so. */
    private Optional<String> noTerrestrialCoverage(CallRequest r) {
        if (Boolean.FALSE.equals(r.terrestrialCoverage())) {
            return Optional.of("the request says the callee has no terrestrial coverage");
        }
        if (Boolean.TRUE.equals(r.terrestrialCoverage()) || r.location() == null) return Optional.empty();
        Place place = geography.locate(r.location());
        if (place.terrestrial()) return Optional.empty();
        if (!place.land()) return Optional.of("the callee's location is at sea, with no terrestrial coverage");
        return Optional.of("the callee's location is on land where no one lives within reach of a mast"
                + (place.polar() ? ", inside a polar circle" : "") + ", with no terrestrial coverage");
    }

    private static CallCategory terrestrialCategory(CallRequest r, List<String> reasons) {
        Purpose purpose = r.purpose();
        if (r.to() instanceof PhoneNumber && (purpose == Purpose.NOTIFICATION || purpose == Purpose.ALERT)) {
            reasons.add("bulk " + purpose.wireName() + " to a phone number: ai_automated");
            return CallCategory.AI_AUTOMATED;
        }
        if (purpose == Purpose.SUPPORT && r.skill() == Skill.VIP) {
            reasons.add("premium support (vip skill): human_agent");
            return CallCategory.HUMAN_AGENT;
        }
        if (r.priority() == Priority.HIGH && (purpose == Purpose.SUPPORT || purpose == Purpose.SALES)) {
            reasons.add("premium " + purpose.wireName() + " (high priority): human_agent");
            return CallCategory.HUMAN_AGENT;
        }
        if (r.skill() != null) {
            reasons.add("agent skill " + r.skill().wireName() + " requested: human_agent");
            return CallCategory.HUMAN_AGENT;
        }
        // Whole constants, not joined per call: most calls end here.
        reasons.add(Boolean.TRUE.equals(r.terrestrialCoverage()) || r.location() != null
                ? "the callee has terrestrial coverage; a person-to-person call: internet_voip"
                : "no location given, terrestrial coverage assumed; a person-to-person call: internet_voip");
        return CallCategory.INTERNET_VOIP;
    }

    // ---- payloads -------------------------------------------------------------------------------

    /** Bytes and JSON bodies go to terminals and systems only: a call of another category cannot carry them. */
    private static void requirePayloadFits(CallRequest r, CallCategory category) {
        if (category == CallCategory.SATELLITE || category == CallCategory.SYSTEM_API) return;
        if (r.binaryPayload() != null) {
            throw new IllegalArgumentException("payload of " + r.binaryPayload().size() + " bytes can go to satellite "
                    + "or system_api calls only, and this call routes as " + category.wireName());
        }
        if (r.payload() != null) {
            throw new IllegalArgumentException("JSON payload can go to satellite or system_api calls only, and this call "
                    + "routes as " + category.wireName());
        }
    }

    /**
     * The bytes of the message the call sends to a terminal, bounded by a provider's {@code maxPayloadBytes}: the
     * binary payload, or for a terminal a JSON payload's text, else the script's (a system is sent JSON as its HTTP
     * body); -1 for none.
     */
    private static long terminalBytes(CallRequest r) {
        if (r.binaryPayload() != null) return r.binaryPayload().size();
        if (!(r.to() instanceof SatelliteTerminal)) return -1;
        if (r.payload() != null) return r.payloadBytes();
        return r.script() == null ? -1
                : ScriptTemplate.render(r.script(), r.variables()).getBytes(StandardCharsets.UTF_8).length;
    }

    /** Why the payload is larger than any serving provider takes, when it is. */
    private static Optional<String> tooLargeForEvery(CallRequest r, List<CallingProvider> serving) {
        long size = terminalBytes(r);
        if (size < 0 || serving.isEmpty() || serving.stream().anyMatch(p -> !exceeds(p, r, size))) return Optional.empty();
        int largest = serving.stream().mapToInt(p -> p.capabilities().maxPayloadBytes()).max().orElse(0);
        return Optional.of("payload of " + size + " bytes is larger than any provider carries; "
                + "the largest maximum is " + largest + " bytes");
    }

    /** Why the provider cannot carry the request's payload, or null when it can. */
    private static String payloadDrop(CallingProvider p, CallRequest r) {
        long size = terminalBytes(r);
        if (size < 0 || !exceeds(p, r, size)) return null;
        return "carries payloads of at most " + p.capabilities().maxPayloadBytes() + " bytes, not " + size;
    }

    /**
     * Whether the message is larger than the provider sends. Its maximum bounds bytes it sends to a terminal; a
     * provider that sends none (maximum 0) delivers a script or JSON its own way (the sandbox simulates it), so only
     * a binary payload is too large for it.
     */
    private static boolean exceeds(CallingProvider p, CallRequest r, long size) {
        int max = p.capabilities().maxPayloadBytes();
        return (max > 0 || r.binaryPayload() != null) && size > max;
    }

    // ---- options --------------------------------------------------------------------------------

    /** A provider that can take the call, at its priced rate; {@code oneMinute} counts the payload's bytes too. */
    private record Candidate(CallingProvider provider, Priced priced, BigDecimal oneMinute,
                             Optional<QualityTracker.Quality> quality, QualityTracker.Health health,
                             Optional<String> overCap) {

        boolean simulated() {
            return provider.capabilities().simulated();
        }
    }

    /** Adds the provider as a candidate, or returns why it is dropped. */
    private String candidate(CallingProvider p, CallCategory category, CallRequest r, Optional<Money> cap,
                             List<Candidate> out) {
        Endpoint to = r.to();
        if (category == CallCategory.HUMAN_AGENT && r.skill() != null && lacksSkill(p, r.skill())) {
            return "has no agent with skill " + r.skill().wireName();
        }
        if (!p.covers(to)) return "does not reach " + kind(to);
        String tooLarge = payloadDrop(p, r);
        if (tooLarge != null) return tooLarge;
        ProviderCoverage coverage = p.coverage();
        // A satellite network's number belongs to no country: a carrier serving satellite reaches it through its
        // rate for the network's prefix, whatever countries it lists.
        boolean satelliteNumber = category == CallCategory.SATELLITE && to instanceof PhoneNumber n && numbers.isSatellite(n);
        // Global coverage is the reach of the satellite category; the provider's other categories reach the countries it lists.
        boolean everywhere = coverage.global() && category == CallCategory.SATELLITE;
        if (to instanceof PhoneNumber number && !everywhere && !satelliteNumber) {
            Optional<String> region = numbers.regionOf(number);
            if (region.isEmpty()) return "covers listed countries only, and the number belongs to no country";
            if (!coverage.countries().contains(region.get())) return "does not cover country " + region.get();
        }
        Optional<Rate> quoted;
        String rateSource;
        try {
            quoted = p.quote(category, to);
            rateSource = quoted.isPresent() ? "live quote" : "deck";
        } catch (RuntimeException e) {
            // A pricing API that fails must not stop routing: the deck still prices the call.
            quoted = Optional.empty();
            rateSource = "deck (live quote failed: " + e.getClass().getSimpleName() + ")";
        }
        Optional<Rate> found = quoted.isPresent() ? quoted : catalog.deck(p.id()).find(category, to);
        if (found.isEmpty()) return "has no rate for " + category.wireName() + " to " + QualityTracker.destinationPrefix(to);
        Rate rate = found.get();
        if (!fx.canConvert(rate.perMinute().currency(), fx.reportingCurrency())) {
            return "prices in " + rate.currencyCode() + ", which the FX table cannot convert to "
                    + fx.reportingCurrency().getCurrencyCode();
        }
        Priced priced = priced(rate, rateSource);
        Money perMinute = priced.perMinute();
        Optional<String> overCap = Optional.empty();
        if (cap.isPresent() && perMinute.isGreaterThan(cap.get())) {
            String capText = Amounts.perMinute(cap.get());
            if (!r.maxCostPerMinute().currency().equals(cap.get().currency())) {
                capText += " (" + Amounts.perMinute(r.maxCostPerMinute()) + ")";
            }
            overCap = Optional.of(priced.perMinuteText() + " is above the cap of " + capText);
            if (!r.isEmergency()) return overCap.get();
        }
        BigDecimal oneMinute = r.payloadBytes() == 0 ? priced.oneMinute()
                : fx.toReporting(rate.priceFor(ONE_MINUTE, r.payloadBytes())).amount();
        out.add(new Candidate(p, priced, oneMinute, tracker.quality(p.id(), to), tracker.health(p.id()), overCap));
        return null;
    }

    /** The ids of the providers that are not simulated (a loop: this runs on every call). */
    private static List<String> realOnes(List<CallingProvider> serving) {
        List<String> real = new ArrayList<>(serving.size());
        for (CallingProvider p : serving) {
            if (!p.capabilities().simulated()) real.add(p.id());
        }
        return real;
    }

    /** True when the provider declares its agents per skill and has none of {@code skill}; one that declares none may have any. */
    private static boolean lacksSkill(CallingProvider p, Skill skill) {
        Map<Skill, Integer> bySkill = p.capabilities().agentsBySkill();
        return !bySkill.isEmpty() && bySkill.getOrDefault(skill, 0) <= 0;
    }

    private static String kind(Endpoint to) {
        if (to instanceof PhoneNumber) return "phone numbers";
        if (to instanceof SipUri) return "SIP URIs";
        if (to instanceof WebhookUrl) return "webhook URLs";
        return "satellite terminals";
    }

    // ---- ordering -------------------------------------------------------------------------------

    private record Scored(Candidate c, double score, double costScore, double qualityScore, boolean open) {
    }

    /** Open circuits last, then the best score, the cheaper minute, and the provider id. */
    private static final Comparator<Scored> RANKING = Comparator.comparing(Scored::open)
            .thenComparing(Comparator.comparingDouble(Scored::score).reversed())
            .thenComparing(s -> s.c.oneMinute)
            .thenComparing(s -> s.c.provider.id());

    /** Loops, not streams, and texts kept with the priced rate: this runs on every call. */
    private List<RouteOption> order(List<Candidate> candidates, CallCategory category, CallRequest r) {
        BigDecimal cheapest = candidates.get(0).oneMinute;
        for (Candidate c : candidates) {
            if (c.oneMinute.compareTo(cheapest) < 0) cheapest = c.oneMinute;
        }
        double costWeight = switch (r.quality()) {
            case LOWEST_COST -> 0.8;
            case BALANCED -> 0.5;
            case BEST_QUALITY -> 0.2;
        };
        List<Scored> scored = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            double costScore = c.oneMinute.signum() == 0 ? 1
                    : cheapest.divide(c.oneMinute, MathContext.DECIMAL64).doubleValue();
            double quality = c.quality.map(RoutePlanner::blendedQuality).orElse(TYPICAL_QUALITY);
            double score = Math.min(1, Math.max(0, costWeight * costScore + (1 - costWeight) * quality));
            scored.add(new Scored(c, score, costScore, quality, c.health.state() == QualityTracker.CircuitState.OPEN));
        }
        scored.sort(RANKING);

        Scored cheapestOption = null;
        for (Scored s : scored) {
            if (s.c.oneMinute.compareTo(cheapest) == 0) {
                cheapestOption = s;
                break;
            }
        }
        String prefix = QualityTracker.destinationPrefix(r.to());
        Instant now = clock.instant();
        List<RouteOption> options = new ArrayList<>(scored.size());
        for (int i = 0; i < scored.size(); i++) {
            Scored s = scored.get(i);
            Candidate c = s.c;
            List<String> reasons = new ArrayList<>();
            if (i == 0) {
                reasons.add(s == cheapestOption
                        ? "primary: cheapest covering option at " + c.priced.perMinuteText()
                        : "primary: best score at " + c.priced.perMinuteText() + "; the cheapest, "
                          + cheapestOption.c.provider.id() + " at " + cheapestOption.c.priced.perMinuteText() + ", ranks lower");
            } else {
                reasons.add("failover " + i + " at " + c.priced.perMinuteText());
            }
            if (c.simulated()) reasons.add("simulated: no real call is placed, nothing is dialled or billed");
            c.overCap.ifPresent(why -> reasons.add("EMERGENCY OVER CAP: " + why + "; kept, as an emergency has no cost cap"));
            reasons.add(c.priced.reason());
            reasons.add(scoreReason(s, costWeight, r.quality()));
            reasons.add(qualityReason(c.quality, prefix));
            healthReason(c.health, now).ifPresent(reasons::add);
            Priced p = c.priced;
            options.add(new RouteOption(c.provider.id(), c.simulated(), category, p.rate(), p.perMinute(), p.perCall(), s.score, reasons));
        }
        return options;
    }

    /**
     * How the option's score was made. Successive calls to one destination class score alike until a provider's
     * observed quality moves, so the last texts are kept, keyed by the exact figures they print.
     */
    private String scoreReason(Scored s, double costWeight, QualityPreference preference) {
        int hash = (Double.hashCode(s.score) * 31 + Double.hashCode(s.costScore)) * 31 + Double.hashCode(s.qualityScore);
        int slot = (hash ^ (hash >>> 16) ^ preference.ordinal()) & (KEPT_SLOTS - 1);
        ScoreText known = scoreTexts.get(slot);
        // compare() tells 0.0 from -0.0, which print differently
        if (known != null && Double.compare(known.score(), s.score) == 0 && Double.compare(known.costScore(), s.costScore) == 0
                && Double.compare(known.qualityScore(), s.qualityScore) == 0 && known.preference() == preference) {
            return known.text();
        }
        String text = "score " + Amounts.fixed(s.score, 3) + " = " + Amounts.fixed(costWeight, 1) + " x cost "
                + Amounts.fixed(s.costScore, 3) + " + " + Amounts.fixed(1 - costWeight, 1) + " x quality "
                + Amounts.fixed(s.qualityScore, 3) + " (" + preference.wireName() + ")";
        scoreTexts.set(slot, new ScoreText(s.score, s.costScore, s.qualityScore, preference, text));
        return text;
    }

    /**
     * The rate in the reporting currency, with a one-minute call's price (no payload) and the text of its reason.
     * The same for every call a deck rate prices, so the last ones are kept: rates and the FX table are
     * immutable, and a deck hands out the same instance each time (a live quote is a new one and misses).
     */
    private Priced priced(Rate rate, String rateSource) {
        int slot = System.identityHashCode(rate) & (KEPT_SLOTS - 1);
        Priced known = priced.get(slot);
        if (known != null && known.rate() == rate && known.rateSource().equals(rateSource)) return known;
        Money perMinute = fx.toReporting(rate.perMinute());
        String perMinuteText = Amounts.perMinute(perMinute);
        Money perCall = fx.toReporting(rate.perCall());
        String text = perMinuteText + " + " + Amounts.amount(perCall) + " per call, billed in "
                + rate.incrementSeconds() + " s increments, rate " + (rate.prefix().isEmpty()
                ? "for every destination" : "for prefix " + rate.prefix()) + " from the " + rateSource;
        if (rate.chargesMessages()) {
            text += "; per message " + Amounts.amount(rate.perMessage()) + " + " + Amounts.amount(rate.perByte())
                    + " per byte, at least " + Amounts.amount(rate.minimumCharge());
        }
        if (!rate.perMinute().currency().equals(perMinute.currency())) {
            text += "; priced at " + Amounts.perMinute(rate.perMinute()) + " and converted";
        }
        Priced fresh = new Priced(rate, rateSource, perMinute, perMinuteText, perCall,
                fx.toReporting(rate.priceFor(ONE_MINUTE, 0)).amount(), text);
        priced.set(slot, fresh);
        return fresh;
    }

    private static String qualityReason(Optional<QualityTracker.Quality> quality, String prefix) {
        if (quality.isEmpty()) return "no calls observed at " + prefix + " yet: typical quality assumed";
        QualityTracker.Quality q = quality.get();
        return "observed at " + prefix + " over " + q.samples() + " calls: answer ratio " + Amounts.fixed(q.answerRatio(), 2)
                + ", failure ratio " + Amounts.fixed(q.failureRatio(), 2)
                + q.postDialDelay().map(d -> ", post-dial delay " + Amounts.fixed(d.toMillis() / 1000.0, 1) + " s").orElse("");
    }

    private static Optional<String> healthReason(QualityTracker.Health health, Instant now) {
        if (health.state() == QualityTracker.CircuitState.CLOSED) return Optional.empty();
        Instant since = health.openSince().orElseThrow();
        String age = " (" + Duration.between(since, now).toSeconds() + " s ago) after "
                + health.consecutiveFailures() + " consecutive failures";
        return Optional.of(health.state() == QualityTracker.CircuitState.OPEN
                ? "circuit open since " + since + age + ": tried last"
                : "circuit half-open, open since " + since + age + ": a trial call is allowed");
    }

    /** Observed quality, blended with {@value #PRIOR_WEIGHT} calls of typical quality. */
    private static double blendedQuality(QualityTracker.Quality q) {
        double observed = qualityScore(q.answerRatio(), q.failureRatio(), q.postDialDelay());
        return (q.samples() * observed + PRIOR_WEIGHT * TYPICAL_QUALITY) / (q.samples() + PRIOR_WEIGHT);
    }

    /** Quality in 0..1: half answer ratio, three tenths absence of failures, a fifth post-dial delay (5 s halves it). */
    private static double qualityScore(double answerRatio, double failureRatio, Optional<Duration> postDialDelay) {
        double base = 0.5 * answerRatio + 0.3 * (1 - failureRatio);
        if (postDialDelay.isEmpty()) return base / 0.8;
        double pddScore = 1 / (1 + postDialDelay.get().toMillis() / 5000.0);
        return base + 0.2 * pddScore;
    }
}
