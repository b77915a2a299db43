package io.globalcalling.provider.awsconnect;

import io.globalcalling.ConfigurationException;
import io.globalcalling.PhoneNumber;
import io.globalcalling.Secret;
import io.globalcalling.Skill;
import io.globalcalling.spi.ConfigValidation;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Urls;
import io.globalcalling.spi.Validated;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Amazon Connect provider's settings, read from {@code aws-connect.*} keys (each also found in environment form,
 * e.g. {@code AWS_CONNECT_INSTANCE_ID}). AWS credentials are never among them: the AWS SDK's default provider chain
 * finds them (environment, profile, container or instance role). {@link #from(ProviderConfig)} reports every missing
 * or malformed key at once; {@link #toString()} hides the webhook secret.
 *
 * <p>Skills reach agents one of two ways: a queue per skill ({@code aws-connect.queues.<skill>}), or one queue with
 * routing criteria on a predefined attribute ({@code aws-connect.routing-criteria.attribute}) whose value is the
 * skill's name, at a proficiency level per skill. Exactly one way must be configured.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><td>{@code aws-connect.instance-id}</td><td>required: the Connect instance's id</td></tr>
 *   <tr><td>{@code aws-connect.contact-flow-id}</td><td>required: the flow that runs the outbound call</td></tr>
 *   <tr><td>{@code aws-connect.region}</td><td>required: the instance's AWS region, e.g. {@code us-east-1}</td></tr>
 *   <tr><td>{@code aws-connect.countries}</td><td>required: ISO codes of the countries the instance may call</td></tr>
 *   <tr><td>{@code aws-connect.skills}</td><td>the skills served (default general, sales, technical, billing, vip)</td></tr>
 *   <tr><td>{@code aws-connect.queues.<skill>}</td><td>the queue id of a skill; one of a skill not served fails
 *       start-up, as does a proficiency of one</td></tr>
 *   <tr><td>{@code aws-connect.routing-criteria.attribute}</td><td>else: the predefined attribute whose value is the skill</td></tr>
 *   <tr><td>{@code aws-connect.routing-criteria.queue}</td><td>the queue the criteria route in (required with the attribute)</td></tr>
 *   <tr><td>{@code aws-connect.routing-criteria.proficiency.<skill>}</td><td>the least proficiency, 1-5 (default 1)</td></tr>
 *   <tr><td>{@code aws-connect.routing-criteria.expiry}</td><td>after how long any agent of the queue may take the call (default: never)</td></tr>
 *   <tr><td>{@code aws-connect.source-phone-number}</td><td>caller ID; without it the queue's outbound caller ID is used</td></tr>
 *   <tr><td>{@code aws-connect.blocked-prefixes}</td><td>E.164 digits the instance may not call (default {@code 447}: UK mobiles,
 *       blocked by Connect until a quota increase)</td></tr>
 *   <tr><td>{@code aws-connect.campaign-calls}</td><td>true when the instance may place {@code CAMPAIGN} traffic, which
 *       answering-machine detection needs (default false)</td></tr>
 *   <tr><td>{@code aws-connect.webhook-secret}</td><td>the shared secret an EventBridge API destination sends with each event</td></tr>
 *   <tr><td>{@code aws-connect.webhook-header}</td><td>the header carrying it (default {@code X-Calling-Webhook-Secret})</td></tr>
 *   <tr><td>{@code aws-connect.sqs-queue-url}</td><td>an SQS queue of contact events to poll</td></tr>
 *   <tr><td>{@code aws-connect.sqs-wait}</td><td>long-polling wait, 1-20 s (default 20 s)</td></tr>
 *   <tr><td>{@code aws-connect.sqs-visibility-timeout}</td><td>how long a received message stays hidden (default 60 s)</td></tr>
 *   <tr><td>{@code aws-connect.agents-ttl}</td><td>how long agent counts are kept (default 30 s)</td></tr>
 *   <tr><td>{@code aws-connect.endpoint}, {@code aws-connect.sqs-endpoint}</td><td>replace the AWS endpoints (VPC endpoints, tests)</td></tr>
 *   <tr><td>{@code aws-connect.api-timeout}</td><td>the SDK's timeout for one call with its retries (default 30 s)</td></tr>
 *   <tr><td>{@code aws-connect.service-per-minute}</td><td>Connect's voice service price in USD a minute (default 0.038,
 *       the pricing page's current figure; 0.018 is the earlier per-feature model's)</td></tr>
 *   <tr><td>{@code aws-connect.telephony-per-minute}</td><td>outbound telephony prices in USD a minute by E.164 prefix,
 *       e.g. {@code 1=0.0088,44=0.0100}, replacing or adding to the deck's estimates</td></tr>
 * </table>
 */
public final class AwsConnectConfig {

    static final String PREFIX = "aws-connect.";
    static final String DEFAULT_WEBHOOK_HEADER = "X-Calling-Webhook-Secret";
    /** Connect blocks UK mobile numbers (+447) until a service quota increase (API_StartOutboundVoiceContact). */
    static final Set<String> DEFAULT_BLOCKED_PREFIXES = Set.of("447");

    /** The keys read once for every skill served, each followed by the skill's name. */
    private static final List<String> PER_SKILL_PREFIXES = List.of("aws-connect.queues.",
            "aws-connect.routing-criteria.proficiency.");

    /** Every fixed key this provider reads; per-skill keys are read for the configured skills. */
    static final List<String> KEYS = List.of("aws-connect.instance-id", "aws-connect.contact-flow-id",
            "aws-connect.region", "aws-connect.countries", "aws-connect.skills", "aws-connect.routing-criteria.attribute",
            "aws-connect.routing-criteria.queue", "aws-connect.routing-criteria.expiry",
            "aws-connect.source-phone-number", "aws-connect.blocked-prefixes", "aws-connect.campaign-calls",
            "aws-connect.webhook-secret", "aws-connect.webhook-header", "aws-connect.sqs-queue-url",
            "aws-connect.sqs-wait", "aws-connect.sqs-visibility-timeout", "aws-connect.agents-ttl",
            "aws-connect.endpoint", "aws-connect.sqs-endpoint", "aws-connect.api-timeout",
            "aws-connect.service-per-minute", "aws-connect.telephony-per-minute");

    /** Connect's resource ids: its API accepts 1-100 characters (an id, or an ARN for the instance). */
    private static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z0-9:/._-]{1,256}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]{1,100}");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_ .-]{1,64}");

    /** How a skill reaches its agents. */
    public enum Routing {
        /** One queue per skill. */
        QUEUES,
        /** One queue, routing criteria on a predefined attribute. */
        ROUTING_CRITERIA
    }

    private final String instanceId;
    private final String contactFlowId;
    private final String region;
    private final Set<String> countries;
    private final Routing routing;
    private final Map<Skill, String> queues;
    private final @Nullable String criteriaQueue;
    private final @Nullable String criteriaAttribute;
    private final Map<Skill, Integer> proficiencies;
    private final @Nullable Duration criteriaExpiry;
    private final @Nullable PhoneNumber sourcePhoneNumber;
    private final Set<String> blockedPrefixes;
    private final boolean campaignCalls;
    private final @Nullable Secret webhookSecret;
    private final String webhookHeader;
    private final @Nullable URI sqsQueueUrl;
    private final Duration sqsWait;
    private final Duration sqsVisibilityTimeout;
    private final Duration agentsTtl;
    private final @Nullable URI endpoint;
    private final @Nullable URI sqsEndpoint;
    private final Duration apiTimeout;
    private final @Nullable BigDecimal servicePerMinute;
    private final Map<String, BigDecimal> telephonyPerMinute;

    private AwsConnectConfig(Reader r) {
        this.instanceId = r.instanceId;
        this.contactFlowId = r.contactFlowId;
        this.region = r.region;
        this.countries = r.countries;
        this.routing = r.routing;
        this.queues = Map.copyOf(r.queues);
        this.criteriaQueue = r.criteriaQueue;
        this.criteriaAttribute = r.criteriaAttribute;
        this.proficiencies = Map.copyOf(r.proficiencies);
        this.criteriaExpiry = r.criteriaExpiry;
        this.sourcePhoneNumber = r.sourcePhoneNumber;
        this.blockedPrefixes = r.blockedPrefixes;
        this.campaignCalls = r.campaignCalls;
        this.webhookSecret = r.webhookSecret;
        this.webhookHeader = r.webhookHeader;
        this.sqsQueueUrl = r.sqsQueueUrl;
        this.sqsWait = r.sqsWait;
        this.sqsVisibilityTimeout = r.sqsVisibilityTimeout;
        this.agentsTtl = r.agentsTtl;
        this.endpoint = r.endpoint;
        this.sqsEndpoint = r.sqsEndpoint;
        this.apiTimeout = r.apiTimeout;
        this.servicePerMinute = r.servicePerMinute;
        this.telephonyPerMinute = Map.copyOf(r.telephonyPerMinute);
    }

    /**
     * Whether {@code config} sets any fixed {@code aws-connect.*} key. Then {@link #from} must find a complete
     * configuration, so a partial one is reported instead of leaving the provider silently inactive.
     */
    public static boolean isConfigured(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        return KEYS.stream().anyMatch(key -> config.get(key).isPresent());
    }

    /**
     * Reads and checks every {@code aws-connect.*} key.
     *
     * @throws ConfigurationException listing every missing or malformed key, never the webhook secret's value
     */
    public static AwsConnectConfig from(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        Reader r = new Reader(config);
        r.read();
        return new AwsConnectConfig(r);
    }

    public String instanceId() { return instanceId; }

    public String contactFlowId() { return contactFlowId; }

    public String region() { return region; }

    /** ISO 3166-1 alpha-2 codes of the countries the instance may call. */
    public Set<String> countries() { return countries; }

    public Routing routing() { return routing; }

    /** The skills served, in name order. */
    public Set<Skill> skills() {
        return routing == Routing.QUEUES ? queues.keySet() : proficiencies.keySet();
    }

    /** The queue a call for {@code skill} goes to: its own, or the routing-criteria queue; empty for an unknown skill. */
    public Optional<String> queueFor(Skill skill) {
        Objects.requireNonNull(skill, "skill");
        if (routing == Routing.QUEUES) return Optional.ofNullable(queues.get(skill));
        return proficiencies.containsKey(skill) ? Optional.ofNullable(criteriaQueue) : Optional.empty();
    }

    /** Every queue the skills use, by skill (in criteria routing, one queue for all). */
    public Map<Skill, String> queuesBySkill() {
        Map<Skill, String> out = new LinkedHashMap<>();
        skills().stream().sorted().forEach(s -> out.put(s, queueFor(s).orElseThrow()));
        return out;
    }

    /** The predefined attribute routing criteria match on; present in {@link Routing#ROUTING_CRITERIA}. */
    public Optional<String> criteriaAttribute() { return Optional.ofNullable(criteriaAttribute); }

    /** The least proficiency an agent needs for {@code skill} (routing criteria only). */
    public int proficiency(Skill skill) { return proficiencies.getOrDefault(skill, 1); }

    public Optional<Duration> criteriaExpiry() { return Optional.ofNullable(criteriaExpiry); }

    public Optional<PhoneNumber> sourcePhoneNumber() { return Optional.ofNullable(sourcePhoneNumber); }

    /** E.164 digit prefixes the instance may not call. */
    public Set<String> blockedPrefixes() { return blockedPrefixes; }

    public boolean campaignCalls() { return campaignCalls; }

    public Optional<Secret> webhookSecret() { return Optional.ofNullable(webhookSecret); }

    public String webhookHeader() { return webhookHeader; }

    public Optional<URI> sqsQueueUrl() { return Optional.ofNullable(sqsQueueUrl); }

    public Duration sqsWait() { return sqsWait; }

    public Duration sqsVisibilityTimeout() { return sqsVisibilityTimeout; }

    public Duration agentsTtl() { return agentsTtl; }

    public Optional<URI> endpoint() { return Optional.ofNullable(endpoint); }

    public Optional<URI> sqsEndpoint() { return Optional.ofNullable(sqsEndpoint); }

    public Duration apiTimeout() { return apiTimeout; }

    /** The configured service price in USD a minute; empty for the deck's. */
    public Optional<BigDecimal> servicePerMinute() { return Optional.ofNullable(servicePerMinute); }

    /** Configured telephony prices in USD a minute by E.164 prefix, replacing or adding to the deck's. */
    public Map<String, BigDecimal> telephonyPerMinute() { return telephonyPerMinute; }

    @Override
    public String toString() {
        return "AwsConnectConfig[instanceId=" + instanceId + ", contactFlowId=" + contactFlowId + ", region=" + region
                + ", routing=" + routing + ", queues=" + queuesBySkill() + ", countries=" + countries
                + ", webhookSecret=" + (webhookSecret == null ? "none" : webhookSecret)
                + ", sqsQueueUrl=" + (sqsQueueUrl == null ? null : Urls.withoutUserInfo(sqsQueueUrl))
                + ", endpoint=" + (endpoint == null ? null : Urls.withoutUserInfo(endpoint)) + "]";
    }

    /** One {@code prefix=price} entry; the prefix may start with '+'. */
    private static Map.Entry<String, BigDecimal> prefixPrice(String entry) {
        int eq = entry.indexOf('=');
        if (eq < 0) throw new IllegalArgumentException(entry);
        String prefix = entry.substring(0, eq).strip();
        if (prefix.startsWith("+")) prefix = prefix.substring(1);
        BigDecimal price = new BigDecimal(entry.substring(eq + 1).strip());
        if (!prefix.matches("\\d{1,15}") || price.signum() < 0) throw new IllegalArgumentException(entry);
        return Map.entry(prefix, price);
    }

    /** Reads every key, collecting problems instead of stopping at the first. */
    private static final class Reader {
        private final ProviderConfig config;
        private final ConfigValidation v;

        String instanceId;
        String contactFlowId;
        String region;
        Set<String> countries = Set.of();
        Routing routing = Routing.QUEUES;
        final Map<Skill, String> queues = new LinkedHashMap<>();
        String criteriaQueue;
        String criteriaAttribute;
        final Map<Skill, Integer> proficiencies = new LinkedHashMap<>();
        Duration criteriaExpiry;
        PhoneNumber sourcePhoneNumber;
        Set<String> blockedPrefixes;
        boolean campaignCalls;
        Secret webhookSecret;
        String webhookHeader;
        URI sqsQueueUrl;
        Duration sqsWait;
        Duration sqsVisibilityTimeout;
        Duration agentsTtl;
        URI endpoint;
        URI sqsEndpoint;
        Duration apiTimeout;
        BigDecimal servicePerMinute;
        final Map<String, BigDecimal> telephonyPerMinute = new LinkedHashMap<>();

        Reader(ProviderConfig config) {
            this.config = config;
            this.v = ConfigValidation.of(config, "Amazon Connect configuration");
        }

        void read() {
            instanceId = resourceId("aws-connect.instance-id", true);
            contactFlowId = resourceId("aws-connect.contact-flow-id", true);
            region = v.take(v.string("aws-connect.region").required()
                    .check(r -> REGION.matcher(r).matches(), "is not an AWS region such as us-east-1"));
            List<String> iso = v.take(v.list("aws-connect.countries", c -> {
                if (!c.matches("[A-Za-z]{2}")) throw new IllegalArgumentException(c);
                return c.toUpperCase(Locale.ROOT);
            }, "is not an ISO 3166-1 alpha-2 code"));
            if (iso == null && config.get("aws-connect.countries").isEmpty()) {
                v.problem(Validated.missing("aws-connect.countries",
                        "is missing (the ISO codes of the countries the instance may call, e.g. US,CA)"));
            }
            countries = iso == null ? Set.of() : Set.copyOf(iso);
            readRouting();
            sourcePhoneNumber = v.take(v.string("aws-connect.source-phone-number")
                    .parse(PhoneNumber::of, "is not an E.164 number"));
            List<String> blocked = v.take(v.list("aws-connect.blocked-prefixes", p -> {
                String digits = p.startsWith("+") ? p.substring(1) : p;
                if (!digits.matches("\\d{1,15}")) throw new IllegalArgumentException(p);
                return digits;
            }, "is not a prefix of E.164 digits"));
            blockedPrefixes = blocked == null ? DEFAULT_BLOCKED_PREFIXES : Set.copyOf(blocked);
            campaignCalls = orElse(v.take(v.bool("aws-connect.campaign-calls").orElse(false)), false);
            webhookSecret = v.take(v.secret("aws-connect.webhook-secret"));
            webhookHeader = orElse(v.take(v.string("aws-connect.webhook-header").orElse(DEFAULT_WEBHOOK_HEADER)
                    .check(h -> HEADER.matcher(h).matches(), "is not an HTTP header name")), DEFAULT_WEBHOOK_HEADER);
            sqsQueueUrl = v.take(v.url("aws-connect.sqs-queue-url"));
            sqsWait = orElse(v.take(v.duration("aws-connect.sqs-wait").orElse(Duration.ofSeconds(20))
                    .check(d -> d.toSeconds() >= 1 && d.toSeconds() <= 20, "must be 1 to 20 seconds (SQS's limit)")),
                    Duration.ofSeconds(20));
            sqsVisibilityTimeout = orElse(v.take(v.duration("aws-connect.sqs-visibility-timeout")
                    .orElse(Duration.ofSeconds(60)).check(d -> d.toSeconds() >= 1 && d.toSeconds() <= 43_200,
                            "must be 1 second to 12 hours (SQS's limit)")), Duration.ofSeconds(60));
            agentsTtl = duration("aws-connect.agents-ttl", Duration.ofSeconds(30));
            endpoint = v.take(v.url("aws-connect.endpoint"));
            sqsEndpoint = v.take(v.url("aws-connect.sqs-endpoint"));
            apiTimeout = duration("aws-connect.api-timeout", Duration.ofSeconds(30));
            servicePerMinute = v.take(v.decimal("aws-connect.service-per-minute")
                    .check(d -> d.signum() >= 0, "must not be negative"));
            List<Map.Entry<String, BigDecimal>> telephony = v.take(v.list("aws-connect.telephony-per-minute",
                    AwsConnectConfig::prefixPrice, "is not <E.164 prefix>=<USD a minute>, e.g. 44=0.0100"));
            if (telephony != null) telephony.forEach(e -> telephonyPerMinute.put(e.getKey(), e.getValue()));
            v.orThrow();
        }

        private void readRouting() {
            List<Skill> skills = orElse(v.take(v.list("aws-connect.skills", Skill::of,
                    "is not a skill name (" + Skill.PATTERN + ")")), List.of());
            if (skills.isEmpty()) skills = Skill.seeded();
            refuseKeysOfSkillsNotServed(skills);
            criteriaAttribute = v.take(v.string("aws-connect.routing-criteria.attribute")
                    .check(a -> ATTRIBUTE.matcher(a).matches(), "is not a predefined attribute name"));
            boolean anyQueue = false;
            for (Skill skill : skills) {
                String queue = resourceId("aws-connect.queues." + skill.wireName(), false);
                if (queue != null) {
                    queues.put(skill, queue);
                    anyQueue = true;
                }
            }
            if (criteriaAttribute != null) {
                routing = Routing.ROUTING_CRITERIA;
                if (anyQueue) {
                    v.problem(Validated.malformed("aws-connect.routing-criteria.attribute", criteriaAttribute,
                            "is set together with aws-connect.queues.*: configure queues per skill or routing criteria, not both"));
                }
                queues.clear();
                criteriaQueue = resourceId("aws-connect.routing-criteria.queue", false);
                if (criteriaQueue == null && config.get("aws-connect.routing-criteria.queue").isEmpty()) {
                    v.problem(Validated.missing("aws-connect.routing-criteria.queue",
                            "is missing (the queue routing criteria route in)"));
                }
                for (Skill skill : skills) {
                    Integer level = v.take(v.integer("aws-connect.routing-criteria.proficiency." + skill.wireName(), 1, 5)
                            .orElse(1));
                    proficiencies.put(skill, level == null ? 1 : level);
                }
                criteriaExpiry = v.take(v.duration("aws-connect.routing-criteria.expiry"));
            } else if (!anyQueue) {
                v.problem(Validated.missing("aws-connect.queues." + skills.get(0).wireName(),
                        "is missing: set a queue per skill (aws-connect.queues.<skill>) for the skills "
                                + skills.stream().map(Skill::wireName).collect(Collectors.joining(","))
                                + ", or aws-connect.routing-criteria.attribute"));
            }
        }

        /**
         * A queue or proficiency ({@code aws-connect.queues.<skill>}, {@code ...proficiency.<skill>}) of a skill that is
         * not served: a misspelt skill, or one left out of {@code aws-connect.skills}, would be ignored, and the skill
         * meant left without a queue or at the least proficiency. Only the names the configuration can list are seen;
         * they are compared without case, '-', '_' or '.', so environment variables match too.
         */
        private void refuseKeysOfSkillsNotServed(List<Skill> skills) {
            Set<String> served = skills.stream().map(s -> comparable(s.wireName())).collect(Collectors.toSet());
            String names = skills.stream().map(Skill::wireName).collect(Collectors.joining(", "));
            for (String name : new TreeSet<>(config.names())) {
                for (String prefix : PER_SKILL_PREFIXES) {
                    String key = comparable(name);
                    String skill = key.startsWith(comparable(prefix)) ? key.substring(comparable(prefix).length()) : "";
                    if (skill.isEmpty() || served.contains(skill) || config.get(name).isEmpty()) continue;
                    String shown = name.regionMatches(true, 0, prefix, 0, prefix.length())
                            ? name.substring(prefix.length()) : skill;
                    v.problem(Validated.malformed(name, null, "names skill '" + shown + "', which is not served ("
                            + "aws-connect.skills: " + names + ")"));
                }
            }
        }

        private static String comparable(String key) {
            return key.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "");
        }

        private @Nullable String resourceId(String key, boolean required) {
            Validated<String> id = v.string(key).check(s -> RESOURCE_ID.matcher(s).matches(),
                    "is not a Connect resource id (letters, digits, '-', '_', ':', '/', at most 256)");
            return v.take(required ? id.required() : id);
        }

        private Duration duration(String key, Duration fallback) {
            return orElse(v.take(v.duration(key).orElse(fallback)), fallback);
        }

        /** A value whose key was malformed is replaced, so reading goes on to report the other keys. */
        private static <T> T orElse(@Nullable T value, T fallback) {
            return value != null ? value : fallback;
        }
    }
}
