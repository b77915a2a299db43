package io.globalcalling.provider.awsconnect;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.PhoneNumber;
import io.globalcalling.Priority;
import io.globalcalling.Skill;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.connect.ConnectClient;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.awsconnect.Fixtures.CONTACT_ID;
import static io.globalcalling.provider.awsconnect.Fixtures.FLOW_ID;
import static io.globalcalling.provider.awsconnect.Fixtures.INSTANCE_ID;
import static io.globalcalling.provider.awsconnect.Fixtures.START_PATH;
import static io.globalcalling.provider.awsconnect.Fixtures.TO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * StartOutboundVoiceContact through the AWS SDK against a WireMock Connect: the exact request, retries (throttled
 * attempts only: ClientToken dedups a contact only while it is live), errors.
 */
class AwsConnectPlaceCallTest {

    @RegisterExtension
    static WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()
            .globalTemplating(false)).build();

    private final TestProviderContext context = Fixtures.context();
    private ConnectClient connect;

    @AfterEach
    void close() {
        if (connect != null) connect.close();
        context.close();
    }

    private AwsConnectProvider provider(Map<String, String> config) {
        connect = Fixtures.connect(aws.baseUrl());
        return Fixtures.provider(config, context, connect);
    }

    private AwsConnectProvider provider() {
        return provider(Fixtures.baseConfig());
    }

    private static void contactStarted() {
        aws.stubFor(put(urlPathEqualTo(START_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ContactId\":\"" + CONTACT_ID + "\"}")));
    }

    @Test
    void startsAnOutboundVoiceContactWithOurCallIdAsClientTokenSignedWithSigV4() {
        contactStarted();

        PlacedCall placed = provider().place(Fixtures.call("call-42", Skill.VIP));

        assertThat(placed).isEqualTo(PlacedCall.of(CONTACT_ID, CallStatus.INITIATED));
        aws.verify(1, putRequestedFor(urlPathEqualTo(START_PATH))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=" + Fixtures.ACCESS_KEY
                        + "/\\d{8}/us-east-1/connect/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}"))
                .withHeader("X-Amz-Date", matching("\\d{8}T\\d{6}Z"))
                .withHeader("Content-Type", matching("application/(x-amz-)?json.*"))
                .withRequestBody(equalToJson("""
                        {"InstanceId": "%s", "ContactFlowId": "%s", "DestinationPhoneNumber": "%s",
                         "ClientToken": "call-42", "QueueId": "q-vip-0005",
                         "Attributes": {"callId": "call-42", "skill": "vip", "priority": "normal", "customerName": "Asha"}}
                        """.formatted(INSTANCE_ID, FLOW_ID, TO))));
        aws.verify(0, postRequestedFor(urlPathMatching("/contacts/.*")));
    }

    @Test
    void aCallWithoutASkillGoesToTheGeneralQueueAndTheConfiguredCallerId() {
        contactStarted();
        Map<String, String> config = Fixtures.baseConfig();
        config.put("aws-connect.source-phone-number", "+15017122661");

        provider(config).place(OutboundCall.builder("call-1", CallCategory.HUMAN_AGENT, CallRequest.to(TO).build()).build());

        aws.verify(putRequestedFor(urlPathEqualTo(START_PATH))
                .withRequestBody(matchingJsonPath("$.QueueId", equalTo("q-general-0001")))
                .withRequestBody(matchingJsonPath("$.SourcePhoneNumber", equalTo("+15017122661"))));
    }

    @Test
    void aServerFaultIsSentOnceAndIsAnUnknownOutcome() {
        // the 500 may have come after the contact was started; were it ended by the time of a re-send, Connect
        // would start a second one for the same ClientToken
        aws.stubFor(put(urlPathEqualTo(START_PATH)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(Fixtures.awsError(500, "InternalServiceException", "Request processing failed"))
                .willSetStateTo("ok"));
        aws.stubFor(put(urlPathEqualTo(START_PATH)).inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"ContactId\":\"" + CONTACT_ID + "\"}")));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().place(Fixtures.call("call-77", Skill.SALES)));

        aws.verify(1, putRequestedFor(urlPathEqualTo(START_PATH)));
        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
    }

    @Test
    void aThrottledPlacementIsSentAgainUnderTheSameClientToken() {
        aws.stubFor(put(urlPathEqualTo(START_PATH)).inScenario("throttled").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(Fixtures.awsError(429, "LimitExceededException", "The allowed limit has been exceeded"))
                .willSetStateTo("ok"));
        aws.stubFor(put(urlPathEqualTo(START_PATH)).inScenario("throttled").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"ContactId\":\"" + CONTACT_ID + "\"}")));

        PlacedCall placed = provider().place(Fixtures.call("call-78", Skill.SALES));

        assertThat(placed).isEqualTo(PlacedCall.of(CONTACT_ID, CallStatus.INITIATED));
        assertThat(aws.findAll(putRequestedFor(urlPathEqualTo(START_PATH)))).hasSize(2)
                .allSatisfy(r -> assertThat(r.getBodyAsString()).contains("\"ClientToken\":\"call-78\""));
    }

    @Test
    void aClientWithoutRetriesSendsAThrottledPlacementOnce() {
        connect = Fixtures.connectBuilder(aws.baseUrl())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        aws.stubFor(put(urlPathEqualTo(START_PATH))
                .willReturn(Fixtures.awsError(429, "LimitExceededException", "The allowed limit has been exceeded")));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> Fixtures
                .provider(Fixtures.baseConfig(), context, connect).place(Fixtures.call("call-once", Skill.GENERAL)));

        aws.verify(1, putRequestedFor(urlPathEqualTo(START_PATH)));
        assertThat(e.reason()).isEqualTo(ErrorReason.RATE_LIMITED);
    }

    @Test
    void twoSubmissionsOfOneCallAreOneContactWhileItIsLive() {
        // Connect answers a ClientToken it has seen with the contact it started for it, until that contact ends
        aws.stubFor(put(urlPathEqualTo(START_PATH)).withRequestBody(matchingJsonPath("$.ClientToken", equalTo("call-9")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"ContactId\":\"" + CONTACT_ID + "\"}")));
        AwsConnectProvider provider = provider();
        OutboundCall call = Fixtures.call("call-9", Skill.BILLING);

        PlacedCall first = provider.place(call);
        PlacedCall again = provider.place(call);

        assertThat(again).isEqualTo(first);
        assertThat(aws.findAll(putRequestedFor(urlPathEqualTo(START_PATH))))
                .extracting(r -> r.getBodyAsString().contains("\"ClientToken\":\"call-9\"")).containsExactly(true, true);
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource({
            "403, DestinationNotAllowedException, Outbound calls to this destination are not allowed, NOT_PERMITTED",
            // not the number's fault (DestinationNotAllowedException says that): the instance may not place the
            // contact (outbound calling not enabled, campaign traffic without its quota), so another provider may
            "403, OutboundContactNotPermittedException, The contact is not permitted, UNAVAILABLE",
            "403, OutboundContactNotPermittedException, Outbound calls are not enabled for this instance, UNAVAILABLE",
            // its message is all it carries, undocumented: whatever it names, no number is given up for good on it
            "403, OutboundContactNotPermittedException, The destination phone number is not permitted, UNAVAILABLE",
            "403, OutboundContactNotPermittedException, Outbound calls from the queue's caller ID phone number are not permitted, UNAVAILABLE",
            "429, LimitExceededException, The allowed limit for the resource has been exceeded, RATE_LIMITED",
            "400, ThrottlingException, Rate exceeded, RATE_LIMITED",
            "400, InvalidParameterException, DestinationPhoneNumber is not a valid phone number, INVALID_DESTINATION",
            "400, InvalidParameterException, QueueId is not valid, INVALID_REQUEST",
            // the source number is the instance's configuration (or the request's caller id), not the callee's fault
            "400, InvalidParameterException, SourcePhoneNumber is not a valid phone number, INVALID_REQUEST",
            "400, InvalidParameterException, The source phone number is not claimed by this instance, INVALID_REQUEST",
            "400, InvalidRequestException, The request is not valid, INVALID_REQUEST",
            "404, ResourceNotFoundException, Instance not found, REJECTED",
            "403, UnrecognizedClientException, The security token included in the request is invalid, AUTHENTICATION",
            "500, InternalServiceException, Request processing failed, OUTCOME_UNKNOWN",
    })
    void connectErrorsMapToReasons(int status, String code, String message, ErrorReason reason) {
        aws.stubFor(put(urlPathEqualTo(START_PATH)).willReturn(Fixtures.awsError(status, code, message)));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().place(Fixtures.call("call-err", Skill.GENERAL)));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.providerId()).isEqualTo("aws-connect");
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.providerErrorCode()).contains(code);
        assertThat(e.providerRequestId()).contains("req-" + code);
        assertThat(e.getMessage()).contains(code).contains(message).doesNotContain(Fixtures.SECRET_KEY);
    }

    @Test
    void aConnectRefusalQuotingTheDestinationNumberNamesItMaskedInTheFailureAndItsCauses() {
        aws.stubFor(put(urlPathEqualTo(START_PATH)).willReturn(Fixtures.awsError(400, "InvalidParameterException",
                "DestinationPhoneNumber " + TO + " is not a valid phone number")));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().place(Fixtures.call("call-quoted", Skill.GENERAL)));

        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_DESTINATION);
        assertThat(e.getMessage()).contains("InvalidParameterException").contains(PhoneNumber.mask(TO))
                .doesNotContain(TO);
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).as("nor in what a log of the failure prints").doesNotContain(TO)
                .doesNotContain(TO.substring(1));
    }

    @Test
    void aConnectionDroppedAfterSendingIsAnUnknownOutcome() {
        aws.stubFor(put(urlPathEqualTo(START_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().place(Fixtures.call("call-reset", Skill.GENERAL)));

        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        aws.verify(1, putRequestedFor(urlPathEqualTo(START_PATH)));
    }

    @Test
    void aServerFaultIsNotRetriedIntoAThrottleThatWouldHideIt() {
        // the first attempt may have started the contact (a 500); had the SDK retried it into a throttle, a
        // "rate limited" would let the core try another provider, and the callee would get two calls
        aws.stubFor(put(urlPathEqualTo(START_PATH)).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(Fixtures.awsError(500, "InternalServiceException", "Request processing failed"))
                .willSetStateTo("throttled"));
        aws.stubFor(put(urlPathEqualTo(START_PATH)).inScenario("busy").whenScenarioStateIs("throttled")
                .willReturn(Fixtures.awsError(429, "LimitExceededException", "The allowed limit has been exceeded")));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().place(Fixtures.call("call-busy", Skill.GENERAL)));

        aws.verify(1, putRequestedFor(urlPathEqualTo(START_PATH)));
        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
    }

    @Test
    void aPlacementThrottledOnEveryAttemptIsRateLimited() {
        aws.stubFor(put(urlPathEqualTo(START_PATH))
                .willReturn(Fixtures.awsError(429, "LimitExceededException", "The allowed limit has been exceeded")));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().place(Fixtures.call("call-limited", Skill.GENERAL)));

        // as many attempts as the client's own strategy allows (4 in the SDK's default, legacy, mode)
        int attempts = connect.serviceClientConfiguration().overrideConfiguration().retryStrategy().orElseThrow()
                .maxAttempts();
        assertThat(attempts).isGreaterThan(1);
        aws.verify(attempts, putRequestedFor(urlPathEqualTo(START_PATH)));
        assertThat(e.reason()).isEqualTo(ErrorReason.RATE_LIMITED);
    }

    @Test
    void aConnectionNeverMadeIsUnavailableSoAnotherProviderMayBeTried() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        connect = Fixtures.connect("http://127.0.0.1:" + closedPort);
        AwsConnectProvider provider = Fixtures.provider(Fixtures.baseConfig(), context, connect);

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.place(Fixtures.call("call-down", Skill.GENERAL)));

        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void badInputIsRefusedNamingItBeforeAnythingIsSent() {
        AwsConnectProvider provider = provider();
        OutboundCall badKey = OutboundCall.builder("c1", CallCategory.HUMAN_AGENT,
                CallRequest.to(TO).variable("order id", "7").build()).build();
        OutboundCall clash = OutboundCall.builder("c2", CallCategory.HUMAN_AGENT,
                CallRequest.to(TO).variable("callId", "spoofed").build()).build();
        OutboundCall huge = OutboundCall.builder("c3", CallCategory.HUMAN_AGENT,
                CallRequest.to(TO).variable("notes", "x".repeat(32_768)).build()).build();
        OutboundCall unknownSkill = Fixtures.call("c4", Skill.of("spanish"));
        OutboundCall ukMobile = OutboundCall.builder("c5", CallCategory.HUMAN_AGENT, CallRequest.to("+447700900123").build()).build();
        OutboundCall amd = OutboundCall.builder("c6", CallCategory.HUMAN_AGENT, CallRequest.to(TO).machineDetection(true).build()).build();
        OutboundCall voip = OutboundCall.builder("c7", CallCategory.INTERNET_VOIP, CallRequest.to(TO).build()).build();

        assertRefused(provider, badKey, ErrorReason.INVALID_REQUEST, "variable 'order id'");
        assertRefused(provider, clash, ErrorReason.INVALID_REQUEST, "variable 'callId' clashes");
        assertRefused(provider, huge, ErrorReason.INVALID_REQUEST, "32768");
        assertRefused(provider, unknownSkill, ErrorReason.INVALID_REQUEST, "aws-connect.queues.spanish");
        assertRefused(provider, ukMobile, ErrorReason.NOT_PERMITTED, "+447");
        assertRefused(provider, amd, ErrorReason.INVALID_REQUEST, "aws-connect.campaign-calls");
        assertRefused(provider, voip, ErrorReason.INVALID_REQUEST, "internet_voip");
        assertThat(aws.getAllServeEvents()).isEmpty();
        assertThat(provider.covers(io.globalcalling.PhoneNumber.of("+447700900123"))).isFalse();
        assertThat(provider.covers(io.globalcalling.PhoneNumber.of("+442079460123"))).isTrue();
    }

    private static void assertRefused(AwsConnectProvider provider, OutboundCall call, ErrorReason reason, String naming) {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(call));
        assertThat(e).as(call.callId()).isNotNull();
        assertThat(e.reason()).as(call.callId()).isEqualTo(reason);
        assertThat(e.getMessage()).as(call.callId()).contains(naming);
    }

    @Test
    void answeringMachineDetectionIsAskedForAsCampaignTrafficWhenTheInstanceMayPlaceIt() {
        contactStarted();
        Map<String, String> config = Fixtures.baseConfig();
        config.put("aws-connect.campaign-calls", "true");

        provider(config).place(OutboundCall.builder("call-amd", CallCategory.HUMAN_AGENT,
                CallRequest.to(TO).machineDetection(true).build()).build());

        aws.verify(putRequestedFor(urlPathEqualTo(START_PATH))
                .withRequestBody(matchingJsonPath("$.TrafficType", equalTo("CAMPAIGN")))
                .withRequestBody(matchingJsonPath("$.AnswerMachineDetectionConfig.EnableAnswerMachineDetection", equalTo("true"))));
    }

    @Test
    void emergencyAndHighPriorityCallsMoveToTheFrontOfTheQueue() {
        contactStarted();
        String routingPath = "/contacts/" + INSTANCE_ID + "/" + CONTACT_ID + "/routing-data";
        aws.stubFor(post(urlPathEqualTo(routingPath)).willReturn(aResponse().withStatus(200).withBody("{}")));
        AwsConnectProvider provider = provider();

        provider.place(OutboundCall.builder("call-sos", CallCategory.HUMAN_AGENT,
                CallRequest.to(TO).priority(Priority.EMERGENCY).build()).build());
        provider.place(OutboundCall.builder("call-high", CallCategory.HUMAN_AGENT,
                CallRequest.to(TO).priority(Priority.HIGH).build()).build());
        provider.place(OutboundCall.builder("call-low", CallCategory.HUMAN_AGENT,
                CallRequest.to(TO).priority(Priority.LOW).build()).build());

        assertThat(aws.findAll(postRequestedFor(urlPathEqualTo(routingPath)))).extracting(r -> r.getBodyAsString())
                .containsExactly("{\"QueuePriority\":1}", "{\"QueuePriority\":2}");
        aws.verify(putRequestedFor(urlPathEqualTo(START_PATH))
                .withRequestBody(matchingJsonPath("$.Attributes.priority", equalTo("emergency"))));
    }

    @Test
    void aRoutingDataRefusalLeavesTheStartedCallPlaced() {
        contactStarted();
        aws.stubFor(post(urlPathMatching("/contacts/.*/routing-data"))
                .willReturn(Fixtures.awsError(400, "InvalidRequestException", "The contact is not in a queue")));

        PlacedCall placed = provider().place(OutboundCall.builder("call-sos", CallCategory.HUMAN_AGENT,
                CallRequest.to(TO).priority(Priority.EMERGENCY).build()).build());

        assertThat(placed.providerCallId()).isEqualTo(CONTACT_ID);
        aws.verify(1, putRequestedFor(urlPathEqualTo(START_PATH)));
    }

    @Test
    void routingCriteriaAskForTheSkillsProficiencyInTheOneQueue() {
        contactStarted();
        String routingPath = "/contacts/" + INSTANCE_ID + "/" + CONTACT_ID + "/routing-data";
        aws.stubFor(post(urlPathEqualTo(routingPath)).willReturn(aResponse().withStatus(200).withBody("{}")));
        Map<String, String> config = Fixtures.baseConfig();
        config.keySet().removeIf(k -> k.startsWith("aws-connect.queues."));
        config.put("aws-connect.routing-criteria.attribute", "Skill");
        config.put("aws-connect.routing-criteria.queue", "q-agents-0009");
        config.put("aws-connect.routing-criteria.proficiency.vip", "4");
        config.put("aws-connect.routing-criteria.expiry", "2m");

        provider(config).place(OutboundCall.builder("call-vip", CallCategory.HUMAN_AGENT,
                CallRequest.to(TO).skill(Skill.VIP).priority(Priority.HIGH).build()).build());

        aws.verify(putRequestedFor(urlPathEqualTo(START_PATH))
                .withRequestBody(matchingJsonPath("$.QueueId", equalTo("q-agents-0009"))));
        aws.verify(postRequestedFor(urlPathEqualTo(routingPath)).withRequestBody(equalToJson("""
                {"QueuePriority": 2, "RoutingCriteria": {"Steps": [{"Expiry": {"DurationInSeconds": 120},
                 "Expression": {"AttributeCondition": {"Name": "Skill", "Value": "vip", "ProficiencyLevel": 4.0,
                   "ComparisonOperator": "NumberGreaterOrEqualTo"}}}]}}
                """)));
    }
}
