package io.globalcalling.provider.awsconnect;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.PhoneNumber;
import io.globalcalling.Priority;
import io.globalcalling.Skill;
import io.globalcalling.provider.awsconnect.internal.AgentCounts;
import io.globalcalling.provider.awsconnect.internal.ConnectErrors;
import io.globalcalling.provider.awsconnect.internal.ContactAttributes;
import io.globalcalling.provider.awsconnect.internal.ContactEvents;
import io.globalcalling.provider.awsconnect.internal.PlacementRetries;
import io.globalcalling.provider.awsconnect.internal.RateDeck;
import io.globalcalling.provider.awsconnect.internal.SqsEventPoller;
import io.globalcalling.provider.awsconnect.internal.Transfers;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.PlacementSearch;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.ProviderPace;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.ConnectClientBuilder;
import software.amazon.awssdk.services.connect.model.AnswerMachineDetectionConfig;
import software.amazon.awssdk.services.connect.model.AttributeCondition;
import software.amazon.awssdk.services.connect.model.Channel;
import software.amazon.awssdk.services.connect.model.ContactInitiationMethod;
import software.amazon.awssdk.services.connect.model.ContactNotFoundException;
import software.amazon.awssdk.services.connect.model.SearchContactsMatchType;
import software.amazon.awssdk.services.connect.model.SearchContactsRequest;
import software.amazon.awssdk.services.connect.model.SearchContactsTimeRange;
import software.amazon.awssdk.services.connect.model.SearchContactsTimeRangeType;
import software.amazon.awssdk.services.connect.model.SearchCriteria;
import software.amazon.awssdk.services.connect.model.SearchableContactAttributes;
import software.amazon.awssdk.services.connect.model.SearchableContactAttributesCriteria;
import software.amazon.awssdk.services.connect.model.DescribeContactRequest;
import software.amazon.awssdk.services.connect.model.Expression;
import software.amazon.awssdk.services.connect.model.ResourceNotFoundException;
import software.amazon.awssdk.services.connect.model.RoutingCriteriaInput;
import software.amazon.awssdk.services.connect.model.RoutingCriteriaInputStep;
import software.amazon.awssdk.services.connect.model.RoutingCriteriaInputStepExpiry;
import software.amazon.awssdk.services.connect.model.StartOutboundVoiceContactRequest;
import software.amazon.awssdk.services.connect.model.StartOutboundVoiceContactResponse;
import software.amazon.awssdk.services.connect.model.StopContactRequest;
import software.amazon.awssdk.services.connect.model.TrafficType;
import software.amazon.awssdk.services.connect.model.UpdateContactRoutingDataRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Amazon Connect: places {@code human_agent} calls with {@code StartOutboundVoiceContact}, routed to an agent of the
 * requested skill (its queue, or routing criteria in one queue), moved to the front of the queue for high-priority
 * and emergency calls ({@code UpdateContactRoutingData}), followed through contact events (the webhook, or an SQS
 * queue polled on the manager's executor), read back with {@code DescribeContact}, followed across the contacts an
 * agent's transfers make ({@code ListAssociatedContacts}: the call ends with the last of them) and ended with
 * {@code StopContact}.
 *
 * <p>A placement is never sent again once it may have started a contact. Every placement carries our call id as
 * {@code ClientToken}, but Connect deduplicates by it only while the contact it started is live: a contact that
 * ended quickly (busy, failed, a bad number) is dialled again by a re-send with the same token. So the AWS SDK
 * retries {@code StartOutboundVoiceContact} only when it was throttled, which started nothing (other operations
 * keep the SDK's default retries), and the provider does not declare {@code idempotentPlacement}: a placement
 * whose answer was lost is left to reconciliation ({@link #findPlaced}) rather than sent again by the core. The
 * token stays, as a guard for any re-send while the contact is live. Thread-safe; build it with
 * {@link AwsConnectProviderFactory} or directly from an {@link AwsConnectConfig}.
 */
public final class AwsConnectProvider implements CallingProvider {

    public static final String ID = "aws-connect";
    /** Connect's documented StartOutboundVoiceContact limit: 2 calls per second, bursts of 5. */
    static final ProviderPace PACE = ProviderPace.of(2, 5);
    /** Connect's longest ClientToken. */
    static final int MAX_CLIENT_TOKEN = 500;
    /** Connect routes a lower priority number first; new contacts get 5. */
    static final long EMERGENCY_QUEUE_PRIORITY = 1;
    static final long HIGH_QUEUE_PRIORITY = 2;
    /** Allowance for the difference between our clock and Connect's when searching contacts by start time. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(2);
    private static final Set<CallCategory> CATEGORIES = Set.of(CallCategory.HUMAN_AGENT);
    private static final Logger log = LoggerFactory.getLogger(AwsConnectProvider.class);

    private final AwsConnectConfig config;
    private final ProviderContext context;
    private final ConnectClient connect;
    private final SdkPlugin placementRetries;
    private final @Nullable SqsClient sqs;
    private final boolean ownsClients;
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final Transfers transfers;
    private final AwsConnectWebhookHandler webhooks;
    private final AgentCounts agents;
    private final RateDeck deck;
    private final ProviderCoverage coverage;
    private final @Nullable SqsEventPoller poller;
    private volatile boolean closed;

    /** A provider on AWS SDK clients of its own, credentials from the SDK's default provider chain. */
    public AwsConnectProvider(AwsConnectConfig config, ProviderContext context) {
        this(config, context, defaultConnectClient(config),
                config.sqsQueueUrl().isPresent() ? defaultSqsClient(config) : null, true);
    }

    /**
     * A provider on the given clients (custom credentials, HTTP client or endpoints); they stay the caller's to close.
     *
     * @param sqs the client that polls {@code aws-connect.sqs-queue-url}; may be null when none is configured
     */
    public AwsConnectProvider(AwsConnectConfig config, ProviderContext context, ConnectClient connect,
                              @Nullable SqsClient sqs) {
        this(config, context, connect, sqs, false);
    }

    private AwsConnectProvider(AwsConnectConfig config, ProviderContext context, ConnectClient connect,
                               @Nullable SqsClient sqs, boolean ownsClients) {
        this.config = Objects.requireNonNull(config, "config");
        this.context = Objects.requireNonNull(context, "context");
        this.connect = Objects.requireNonNull(connect, "connect");
        this.placementRetries = PlacementRetries.throttledOnly(connect);
        this.sqs = sqs;
        this.ownsClients = ownsClients;
        this.transfers = new Transfers(connect, config.instanceId());
        this.webhooks = new AwsConnectWebhookHandler(ID, config.webhookSecret().orElse(null), config.webhookHeader(),
                config.instanceId(), json, context.clock(), transfers::follow);
        this.agents = new AgentCounts(connect, config.instanceId(), config.queuesBySkill(), context.clock(),
                config.agentsTtl());
        this.deck = RateDeck.load(config.servicePerMinute().orElse(null), config.telephonyPerMinute());
        this.coverage = ProviderCoverage.countries(config.countries());
        if (config.sqsQueueUrl().isPresent()) {
            if (sqs == null) throw new IllegalArgumentException("aws-connect.sqs-queue-url is set but no SQS client was given");
            this.poller = new SqsEventPoller(sqs, config.sqsQueueUrl().get().toString(), config.sqsWait(),
                    config.sqsVisibilityTimeout(), this::applyQueuedEvent);
            context.executor().submit(poller);
        } else {
            this.poller = null;
        }
        if (config.webhookSecret().isEmpty() && config.sqsQueueUrl().isEmpty()) {
            log.warn("Amazon Connect has neither aws-connect.webhook-secret nor aws-connect.sqs-queue-url: calls will be"
                    + " followed only by reconciliation (DescribeContact)");
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<CallCategory> categories() {
        return CATEGORIES;
    }

    /**
     * Agents online per skill, read from the instance (cached for {@code aws-connect.agents-ttl}); answering-machine
     * detection when the instance may place campaign traffic; Connect's pace. Not idempotent placement: ClientToken
     * deduplicates only while the contact it started is live, so the core must not send a lost placement again.
     */
    @Override
    public ProviderCapabilities capabilities() {
        AgentCounts.Snapshot now = agents.snapshot();
        return ProviderCapabilities.builder()
                .agents(now.bySkill(), now.total())
                .machineDetection(config.campaignCalls())
                .pace(PACE)
                .idempotentPlacement(false)
                .build();
    }

    /** The countries in {@code aws-connect.countries}: the instance's own allow-list is not readable through the API. */
    @Override
    public ProviderCoverage coverage() {
        return coverage;
    }

    /** Phone numbers outside the blocked prefixes ({@code +447} by default). */
    @Override
    public boolean covers(Endpoint endpoint) {
        return endpoint instanceof PhoneNumber number && blockedPrefix(number).isEmpty();
    }

    /**
     * The deck shipped with the module with the configured prices in place (see its resource for the source and date
     * of each figure): per second, service plus telephony, the telephony at least 60 s once connected.
     */
    @Override
    public List<Rate> rates() {
        return deck.rates();
    }

    /** Where the deck's figures come from and when they were recorded, and the service price in use. */
    public String ratesSource() {
        return deck.source() + ", " + deck.date() + "; service " + deck.servicePerMinute().toPlainString() + " USD/min";
    }

    @Override
    public PlacedCall place(OutboundCall call) {
        Objects.requireNonNull(call, "call");
        StartOutboundVoiceContactRequest start = startRequest(call);
        Skill skill = skillOf(call.request());
        log.debug("Placing Amazon Connect call {} for skill {} to {}", call.callId(), skill, PhoneNumber.mask(call.to().value()));
        StartOutboundVoiceContactResponse started;
        try {
            started = connect.startOutboundVoiceContact(start);
        } catch (SdkException | UncheckedIOException e) {
            throw ConnectErrors.map(ID, "StartOutboundVoiceContact", e, true);
        }
        String contactId = started.contactId();
        if (contactId == null || contactId.isBlank()) {
            throw ProviderException.builder(ID, ErrorReason.OUTCOME_UNKNOWN,
                    "Amazon Connect accepted the call but its answer has no ContactId").httpStatus(200).build();
        }
        log.info("Amazon Connect started contact {} for call {}", contactId, call.callId());
        routingData(call.request(), skill, contactId);
        return PlacedCall.of(contactId, CallStatus.INITIATED);
    }

    /** The request; every check happens here, before any I/O. */
    StartOutboundVoiceContactRequest startRequest(OutboundCall call) {
        if (!CATEGORIES.contains(call.category())) {
            throw invalid("Amazon Connect places human_agent calls, not " + call.category().wireName());
        }
        if (!(call.to() instanceof PhoneNumber to)) {
            throw ProviderException.of(ID, ErrorReason.INVALID_DESTINATION,
                    "Amazon Connect calls phone numbers, not " + call.to().getClass().getSimpleName());
        }
        Optional<String> blocked = blockedPrefix(to);
        if (blocked.isPresent()) {
            throw ProviderException.of(ID, ErrorReason.NOT_PERMITTED, "the instance may not call +" + blocked.get()
                    + "... numbers (aws-connect.blocked-prefixes; Connect needs a quota increase for them)");
        }
        if (call.callId().length() > MAX_CLIENT_TOKEN) {
            throw invalid("call id of " + call.callId().length() + " characters is longer than Connect's ClientToken ("
                    + MAX_CLIENT_TOKEN + ")");
        }
        CallRequest request = call.request();
        Skill skill = skillOf(request);
        String queue = config.queueFor(skill).orElseThrow(() -> invalid("skill '" + skill + "' has no agents here:"
                + " configure aws-connect.queues." + skill.wireName() + " (skills served: " + config.skills().stream()
                .map(Skill::wireName).sorted().collect(Collectors.joining(",")) + ")"));
        if (request.machineDetection() && !config.campaignCalls()) {
            throw invalid("answering-machine detection needs CAMPAIGN traffic: set aws-connect.campaign-calls=true"
                    + " once the instance's campaign quota allows it");
        }
        Map<String, String> ours = new LinkedHashMap<>();
        ours.put(ContactEvents.CALL_ID_ATTRIBUTE, call.callId());
        ours.put("skill", skill.wireName());
        ours.put("priority", request.isEmergency() ? Priority.EMERGENCY.wireName() : request.priority().wireName());
        Map<String, String> attributes;
        try {
            attributes = ContactAttributes.of(ours, request.variables());
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        StartOutboundVoiceContactRequest.Builder b = StartOutboundVoiceContactRequest.builder()
                .instanceId(config.instanceId()).contactFlowId(config.contactFlowId())
                .destinationPhoneNumber(to.value()).clientToken(call.callId()).queueId(queue)
                .attributes(attributes).overrideConfiguration(o -> o.addPlugin(placementRetries));
        Optional.ofNullable(request.from()).or(config::sourcePhoneNumber).ifPresent(n -> b.sourcePhoneNumber(n.value()));
        if (request.machineDetection()) {
            b.trafficType(TrafficType.CAMPAIGN).answerMachineDetectionConfig(AnswerMachineDetectionConfig.builder()
                    .enableAnswerMachineDetection(true).awaitAnswerMachinePrompt(true).build());
        }
        return b.build();
    }

    /**
     * Moves a high-priority or emergency call up the queue and sets routing criteria for the skill. The contact is
     * already started, so a refusal here must not fail the placement (the core would try another provider and the
     * callee would get two calls): it is logged, and the contact flow still has the {@code priority} and
     * {@code skill} attributes to act on.
     */
    private void routingData(CallRequest request, Skill skill, String contactId) {
        Optional<UpdateContactRoutingDataRequest> update = routingDataRequest(request, skill, contactId);
        if (update.isEmpty()) return;
        try {
            connect.updateContactRoutingData(update.get());
        } catch (SdkException | UncheckedIOException e) {
            log.warn("Amazon Connect contact {} was started, but its routing data could not be set; it keeps the flow's"
                    + " defaults: {}", contactId, ConnectErrors.map(ID, "UpdateContactRoutingData", e, false).getMessage());
        }
    }

    Optional<UpdateContactRoutingDataRequest> routingDataRequest(CallRequest request, Skill skill, String contactId) {
        Long priority = request.isEmergency() ? Long.valueOf(EMERGENCY_QUEUE_PRIORITY)
                : request.priority() == Priority.HIGH ? Long.valueOf(HIGH_QUEUE_PRIORITY) : null;
        boolean criteria = config.routing() == AwsConnectConfig.Routing.ROUTING_CRITERIA;
        if (priority == null && !criteria) return Optional.empty();
        UpdateContactRoutingDataRequest.Builder b = UpdateContactRoutingDataRequest.builder()
                .instanceId(config.instanceId()).contactId(contactId).queuePriority(priority);
        if (criteria) {
            RoutingCriteriaInputStep.Builder step = RoutingCriteriaInputStep.builder()
                    .expression(Expression.builder().attributeCondition(AttributeCondition.builder()
                            .name(config.criteriaAttribute().orElseThrow()).value(skill.wireName())
                            .proficiencyLevel((float) config.proficiency(skill))
                            .comparisonOperator("NumberGreaterOrEqualTo").build()).build());
            config.criteriaExpiry().ifPresent(d -> step.expiry(RoutingCriteriaInputStepExpiry.builder()
                    .durationInSeconds((int) Math.min(Integer.MAX_VALUE, d.toSeconds())).build()));
            b.routingCriteria(RoutingCriteriaInput.builder().steps(step.build()).build());
        }
        return Optional.of(b.build());
    }

    @Override
    public Optional<CallEvent> fetch(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        if (providerCallId.isBlank()) throw new IllegalArgumentException("providerCallId must not be blank");
        try {
            return Optional.of(transfers.follow(ContactEvents.fromContact(ID, connect.describeContact(
                    DescribeContactRequest.builder().instanceId(config.instanceId()).contactId(providerCallId).build())
                    .contact(), context.clock().instant())));
        } catch (ResourceNotFoundException | ContactNotFoundException e) {
            return Optional.empty();
        } catch (SdkException | UncheckedIOException e) {
            throw ConnectErrors.map(ID, "DescribeContact", e, false);
        }
    }

    /**
     * Finds the contact a placement whose answer was lost may have started, by our call id among the contact
     * attributes ({@code SearchContacts}, contacts initiated through the API from two minutes before
     * {@code sentFrom} until now). Connect searches only attributes the instance declares searchable: add
     * {@code callId} to the instance's searchable contact attributes. This search, not a re-send, settles a lost
     * placement: ClientToken deduplicates only while the contact is live, and one that already ended would be
     * dialled again.
     *
     * <p>An empty search is unknown, never "not placed": Connect's contact search shows a voice contact only once
     * it has reached an agent or been disconnected (a contact in progress or in a queue is not listed), and it
     * finds nothing at all when {@code callId} is not a searchable attribute, so absence proves nothing.
     */
    @Override
    public PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(sentFrom, "sentFrom");
        Objects.requireNonNull(sentUntil, "sentUntil");
        if (!CATEGORIES.contains(call.category())) return PlacementSearch.notPlaced();   // refused before sending
        Instant now = context.clock().instant();
        SearchContactsRequest search = SearchContactsRequest.builder().instanceId(config.instanceId())
                .timeRange(SearchContactsTimeRange.builder().type(SearchContactsTimeRangeType.INITIATION_TIMESTAMP)
                        .startTime(sentFrom.minus(CLOCK_SKEW)).endTime(now.plus(CLOCK_SKEW)).build())
                .searchCriteria(SearchCriteria.builder().channels(Channel.VOICE)
                        .initiationMethods(ContactInitiationMethod.API)
                        .searchableContactAttributes(SearchableContactAttributes.builder()
                                .matchType(SearchContactsMatchType.MATCH_ALL)
                                .criteria(SearchableContactAttributesCriteria.builder()
                                        .key(ContactEvents.CALL_ID_ATTRIBUTE).values(call.callId()).build())
                                .build())
                        .build())
                .maxResults(10).build();
        try {
            Optional<String> contactId = connect.searchContacts(search).contacts().stream()
                    .map(c -> c.initialContactId() != null ? c.initialContactId() : c.id()).filter(Objects::nonNull)
                    .findFirst();
            if (contactId.isEmpty()) {
                return PlacementSearch.unknown("Amazon Connect lists no contact with this callId yet; its search "
                        + "shows a voice contact only once it reached an agent or ended");
            }
            return fetch(contactId.get()).map(e -> PlacementSearch.found(e.withCallId(call.callId())))
                    .orElseGet(() -> PlacementSearch.unknown("Amazon Connect listed contact " + contactId.get()
                            + " but could not describe it"));
        } catch (SdkException | UncheckedIOException e) {
            return PlacementSearch.unknown("Amazon Connect's SearchContacts failed: "
                    + ConnectErrors.map(ID, "SearchContacts", e, false).getMessage());
        } catch (ProviderException e) {
            return PlacementSearch.unknown("Amazon Connect could not describe the contact found: " + e.getMessage());
        }
    }

    /**
     * Ends the contact; one that had already ended is left as it is, unless the call goes on in a contact a transfer
     * made: StopContact does not end a transferred contact, so that is refused, naming it.
     */
    @Override
    public void hangUp(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        try {
            connect.stopContact(StopContactRequest.builder().instanceId(config.instanceId()).contactId(providerCallId).build());
        } catch (ContactNotFoundException e) {
            Optional<String> live;
            try {
                live = transfers.liveTransfer(providerCallId);
            } catch (SdkException | UncheckedIOException listing) {
                log.warn("Amazon Connect contact {} had already ended; whether a transfer carries the call on is not"
                        + " known: {}", providerCallId, ConnectErrors.map(ID, "ListAssociatedContacts", listing, false)
                        .getMessage());
                return;
            }
            if (live.isPresent()) {
                throw ProviderException.of(ID, ErrorReason.REJECTED, "Amazon Connect contact " + providerCallId
                        + " has ended, but the call goes on in contact " + live.get() + " that a transfer made, which"
                        + " StopContact cannot end");
            }
            log.debug("Amazon Connect contact {} had already ended", providerCallId);
        } catch (SdkException | UncheckedIOException e) {
            throw ConnectErrors.map(ID, "StopContact", e, false);
        }
    }

    @Override
    public WebhookHandler webhooks() {
        return webhooks;
    }

    /** Stops the SQS poller and closes the AWS clients this provider made; idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (poller != null) poller.stop();
        if (ownsClients) {
            connect.close();
            if (sqs != null) sqs.close();
        }
    }

    @Override
    public String toString() {
        return "AwsConnectProvider[" + config.instanceId() + " in " + config.region() + "]";
    }

    /** One SQS message's body: an EventBridge contact event, applied through the context's sink. */
    private void applyQueuedEvent(String body) {
        List<CallEvent> events;
        try {
            events = ContactEvents.parse(ID, json.readTree(body), config.instanceId(), context.clock().instant());
        } catch (JacksonException e) {
            throw new SqsEventPoller.MalformedEvent("the body is not JSON");
        } catch (IllegalArgumentException e) {
            throw new SqsEventPoller.MalformedEvent(e.getMessage());
        }
        events.stream().map(transfers::follow).forEach(context.events()::accept);
    }

    private Optional<String> blockedPrefix(PhoneNumber number) {
        String digits = number.value().substring(1);
        return config.blockedPrefixes().stream().filter(digits::startsWith).findFirst();
    }

    private static Skill skillOf(CallRequest request) {
        return request.skill() != null ? request.skill() : Skill.GENERAL;
    }

    private static ProviderException invalid(String message) {
        return ProviderException.of(ID, ErrorReason.INVALID_REQUEST, message);
    }

    private static ConnectClient defaultConnectClient(AwsConnectConfig config) {
        ConnectClientBuilder b = ConnectClient.builder().region(Region.of(config.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(config.apiTimeout()))
                .overrideConfiguration(o -> o.apiCallTimeout(config.apiTimeout()));
        config.endpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    private static SqsClient defaultSqsClient(AwsConnectConfig config) {
        Duration timeout = config.sqsWait().plusSeconds(10); // a long poll must not look like a dead connection
        SqsClientBuilder b = SqsClient.builder().region(Region.of(config.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(timeout))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout.multipliedBy(2)));
        config.sqsEndpoint().ifPresent(b::endpointOverride);
        return b.build();
    }
}
