package io.globalcalling.provider.awsconnect;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Skill;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.TestProviderContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.ConnectClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Connect's wire shapes (from its API reference) and the configuration the tests share. */
final class Fixtures {

    static final Instant START = Instant.parse("2024-05-01T10:00:00Z");
    static final String INSTANCE_ID = "a1b2c3d4-0000-4000-8000-111122223333";
    static final String INSTANCE_ARN = "arn:aws:connect:us-east-1:123456789012:instance/" + INSTANCE_ID;
    static final String FLOW_ID = "f0f0f0f0-1111-4222-8333-444455556666";
    static final String CONTACT_ID = "c0ffee00-1234-4567-89ab-cdef01234567";
    static final String ACCESS_KEY = "AKIDTESTEXAMPLE12345";
    static final String SECRET_KEY = "test-secret-key-never-logged";
    static final String WEBHOOK_SECRET = "connect-webhook-secret-7f3a";
    static final String TO = "+14155551212";
    static final String START_PATH = "/contact/outbound-voice";
    static final Map<Skill, String> QUEUES = Map.of(Skill.GENERAL, "q-general-0001", Skill.SALES, "q-sales-0002",
            Skill.TECHNICAL, "q-technical-0003", Skill.BILLING, "q-billing-0004", Skill.VIP, "q-vip-0005");

    private Fixtures() {
    }

    static Map<String, String> baseConfig() {
        Map<String, String> m = new HashMap<>();
        m.put("aws-connect.instance-id", INSTANCE_ID);
        m.put("aws-connect.contact-flow-id", FLOW_ID);
        m.put("aws-connect.region", "us-east-1");
        m.put("aws-connect.countries", "US,CA,GB");
        m.put("aws-connect.webhook-secret", WEBHOOK_SECRET);
        QUEUES.forEach((skill, queue) -> m.put("aws-connect.queues." + skill.wireName(), queue));
        return m;
    }

    static AwsConnectConfig config(Map<String, String> values) {
        return AwsConnectConfig.from(ProviderConfig.of(values));
    }

    static TestProviderContext context() {
        return TestProviderContext.builder().clock(MutableClock.at(START)).build();
    }

    /** The AWS SDK pointed at {@code baseUrl} with static test credentials, as the tests' Connect. */
    static ConnectClient connect(String baseUrl, software.amazon.awssdk.core.interceptor.ExecutionInterceptor... interceptors) {
        return connectBuilder(baseUrl)
                .overrideConfiguration(o -> java.util.Arrays.stream(interceptors).forEach(o::addExecutionInterceptor))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(5)))
                .build();
    }

    /** The AWS SDK's Connect builder pointed at {@code baseUrl} with static test credentials, its HTTP client to set. */
    static ConnectClientBuilder connectBuilder(String baseUrl) {
        return ConnectClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create(baseUrl))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    }

    /**
     * A client that answers every request with {@code json} and opens no socket: for tests that must stay offline
     * (a fuzz target, where Jazzer reports any connection), while a handled end asks Connect for its contacts.
     */
    static ConnectClient offlineConnect(String json) {
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SdkHttpClient answering = new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                return new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() {
                        return HttpExecuteResponse.builder()
                                .response(SdkHttpResponse.builder().statusCode(200)
                                        .putHeader("Content-Type", "application/x-amz-json-1.1").build())
                                .responseBody(AbortableInputStream.create(new java.io.ByteArrayInputStream(body)))
                                .build();
                    }

                    @Override
                    public void abort() {
                    }
                };
            }

            @Override
            public void close() {
            }
        };
        return connectBuilder("https://connect.example").httpClient(answering).build();
    }

    static SqsClient sqs(String baseUrl) {
        return SqsClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create(baseUrl))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(5)))
                .build();
    }

    static AwsConnectProvider provider(Map<String, String> config, ProviderContext context, ConnectClient connect) {
        return new AwsConnectProvider(config(config), context, connect, null);
    }

    static OutboundCall call(String callId, Skill skill) {
        return OutboundCall.builder(callId, CallCategory.HUMAN_AGENT,
                CallRequest.to(TO).skill(skill).variable("customerName", "Asha").build()).build();
    }

    /** An AWS REST-JSON error, as Connect sends it: the code in x-amzn-ErrorType, the message in the body. */
    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder awsError(int status, String code, String message) {
        return com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "req-" + code)
                .withHeader("x-amzn-ErrorType", code + ":http://internal.amazon.com/coral/com.amazonaws.connect/")
                .withBody("{\"Message\":\"" + message + "\"}");
    }

    /** A contact event as EventBridge delivers it (API destination body, or an SQS message's body). */
    static String event(String eventType, String contactId, Map<String, String> timestamps, String disconnectReason) {
        StringBuilder detail = new StringBuilder();
        detail.append("\"eventType\":\"").append(eventType).append("\",\"contactId\":\"").append(contactId)
                .append("\",\"initialContactId\":\"").append(contactId).append("\",\"channel\":\"VOICE\",")
                .append("\"instanceArn\":\"").append(INSTANCE_ARN).append("\",\"initiationMethod\":\"API\"");
        timestamps.forEach((k, v) -> {
            if (k.equals("enqueueTimestamp")) {
                detail.append(",\"queueInfo\":{\"queueArn\":\"").append(INSTANCE_ARN).append("/queue/q-general-0001\",")
                        .append("\"queueType\":\"STANDARD\",\"enqueueTimestamp\":\"").append(v).append("\"}");
            } else if (k.equals("connectedToAgentTimestamp")) {
                detail.append(",\"agentInfo\":{\"agentArn\":\"").append(INSTANCE_ARN).append("/agent/ag-1\",")
                        .append("\"connectedToAgentTimestamp\":\"").append(v).append("\"}");
            } else {
                detail.append(",\"").append(k).append("\":\"").append(v).append('"');
            }
        });
        if (disconnectReason != null) detail.append(",\"disconnectReason\":\"").append(disconnectReason).append('"');
        String time = timestamps.values().stream().max(String::compareTo).orElse("2024-05-01T10:00:00Z");
        return "{\"version\":\"0\",\"id\":\"" + java.util.UUID.nameUUIDFromBytes((eventType + contactId).getBytes())
                + "\",\"detail-type\":\"Amazon Connect Contact Event\",\"source\":\"aws.connect\",\"account\":\"123456789012\","
                + "\"time\":\"" + time + "\",\"region\":\"us-east-1\",\"resources\":[\"" + INSTANCE_ARN + "\"],"
                + "\"detail\":{" + detail + "}}";
    }
}
