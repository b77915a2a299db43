package io.globalcalling.provider.awsconnect;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.Skill;
import io.globalcalling.spi.ProviderCapabilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/** Agents per skill from GetCurrentMetricData, cached briefly; pace, idempotence and coverage as declared. */
class AwsConnectCapabilitiesTest {

    static final String METRICS_PATH = "/metrics/current/" + Fixtures.INSTANCE_ID;

    @RegisterExtension
    static WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    final ConnectUnderTest connect = new ConnectUnderTest(aws.baseUrl());
    private final AwsConnectProvider provider = connect.provider();

    /** Connect's answer: per queue when grouped by QUEUE, one result for all queues when not grouped. */
    static void agentsOnline(Map<String, Integer> perQueue, int total) {
        agentsOnline(aws, perQueue, total);
    }

    static void agentsOnline(WireMockExtension aws, Map<String, Integer> perQueue, int total) {
        StringBuilder results = new StringBuilder();
        perQueue.forEach((queue, n) -> results.append(results.length() == 0 ? "" : ",").append("""
                {"Dimensions": {"Queue": {"Id": "%s", "Arn": "%s/queue/%s"}, "Channel": "VOICE"},
                 "Collections": [{"Metric": {"Name": "AGENTS_ONLINE", "Unit": "COUNT"}, "Value": %d.0}]}
                """.formatted(queue, Fixtures.INSTANCE_ARN, queue, n)));
        aws.stubFor(post(urlPathEqualTo(METRICS_PATH)).atPriority(1)
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.Groupings"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"MetricResults\": [" + results + "], \"DataSnapshotTime\": 1714557600}")));
        aws.stubFor(post(urlPathEqualTo(METRICS_PATH)).atPriority(2)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"MetricResults": [{"Dimensions": {}, "Collections": [{"Metric":
                                  {"Name": "AGENTS_ONLINE", "Unit": "COUNT"}, "Value": %d.0}]}], "DataSnapshotTime": 1714557600}
                                """.formatted(total))));
    }

    @Test
    void agentsPerSkillAreTheAgentsOnlineInEachSkillsQueue() {
        agentsOnline(Map.of("q-general-0001", 4, "q-vip-0005", 2, "q-sales-0002", 3), 6);

        ProviderCapabilities caps = provider.capabilities();

        assertThat(caps.agentsBySkill()).containsExactlyInAnyOrderEntriesOf(Map.of(Skill.GENERAL, 4, Skill.VIP, 2,
                Skill.SALES, 3, Skill.TECHNICAL, 0, Skill.BILLING, 0));
        assertThat(caps.totalAgents()).isEqualTo(6);
        assertThat(caps.idempotentPlacement()).isFalse();
        assertThat(caps.pace().callsPerSecond()).isEqualTo(2.0);
        assertThat(caps.pace().burst()).isEqualTo(5);
        aws.verify(postRequestedFor(urlPathEqualTo(METRICS_PATH)).withRequestBody(equalToJson("""
                {"Filters": {"Queues": ["${json-unit.ignore}", "${json-unit.ignore}", "${json-unit.ignore}",
                   "${json-unit.ignore}", "${json-unit.ignore}"], "Channels": ["VOICE"]},
                 "Groupings": ["QUEUE"], "CurrentMetrics": [{"Name": "AGENTS_ONLINE", "Unit": "COUNT"}]}
                """, true, false)));
    }

    @Test
    void countsAreKeptForTheirTimeToLiveThenReadAgain() {
        agentsOnline(Map.of("q-general-0001", 4), 4);
        provider.capabilities();
        provider.capabilities();
        aws.verify(2, postRequestedFor(urlPathEqualTo(METRICS_PATH)));   // one grouped, one total

        agentsOnline(Map.of("q-general-0001", 1), 1);
        connect.context().mutableClock().advance(Duration.ofSeconds(31));

        assertThat(provider.capabilities().agentsBySkill()).containsEntry(Skill.GENERAL, 1);
        aws.verify(4, postRequestedFor(urlPathEqualTo(METRICS_PATH)));
    }

    @Test
    void whenConnectCannotBeReadTheLastCountsStand() {
        agentsOnline(Map.of("q-general-0001", 4), 4);
        provider.capabilities();
        aws.resetAll();
        aws.stubFor(post(urlPathEqualTo(METRICS_PATH))
                .willReturn(Fixtures.awsError(500, "InternalServiceException", "Request processing failed")));
        connect.context().mutableClock().advance(Duration.ofSeconds(31));

        ProviderCapabilities caps = provider.capabilities();

        assertThat(caps.agentsBySkill()).containsEntry(Skill.GENERAL, 4);
        assertThat(caps.totalAgents()).isEqualTo(4);
    }

    @Test
    void placementIsNotIdempotentSinceClientTokenDedupsOnlyAContactStillLive() {
        // a re-send after the contact ended (busy, failed) would dial the callee again: the core must reconcile
        agentsOnline(Map.of("q-general-0001", 1), 1);

        assertThat(provider.capabilities().idempotentPlacement()).isFalse();
    }

    @Test
    void coverageIsTheConfiguredCountriesAndCallsToBlockedPrefixesAreNotCovered() {
        assertThat(provider.coverage().countries()).containsExactlyInAnyOrder("US", "CA", "GB");
        assertThat(provider.coverage().global()).isFalse();
        assertThat(provider.covers(io.globalcalling.PhoneNumber.of("+447911123456"))).isFalse();
        assertThat(provider.covers(io.globalcalling.WebhookUrl.of("https://example.com/hook"))).isFalse();
    }
}
