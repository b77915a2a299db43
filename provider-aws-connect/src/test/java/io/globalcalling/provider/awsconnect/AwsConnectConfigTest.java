package io.globalcalling.provider.awsconnect;

import io.globalcalling.ConfigurationException;
import io.globalcalling.Skill;
import io.globalcalling.spi.ProviderConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AwsConnectConfigTest {

    @Test
    void readsQueuesPerSkillAndDefaults() {
        AwsConnectConfig c = Fixtures.config(Fixtures.baseConfig());

        assertThat(c.routing()).isEqualTo(AwsConnectConfig.Routing.QUEUES);
        assertThat(c.queueFor(Skill.VIP)).contains("q-vip-0005");
        assertThat(c.queueFor(Skill.of("spanish"))).isEmpty();
        assertThat(c.skills()).containsExactlyInAnyOrderElementsOf(Skill.seeded());
        assertThat(c.countries()).containsExactlyInAnyOrder("US", "CA", "GB");
        assertThat(c.blockedPrefixes()).containsExactly("447");
        assertThat(c.webhookHeader()).isEqualTo("X-Calling-Webhook-Secret");
        assertThat(c.sqsWait()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.agentsTtl()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anOpenSkillListReadsItsQueues() {
        Map<String, String> m = Fixtures.baseConfig();
        m.keySet().removeIf(k -> k.startsWith("aws-connect.queues.") && !k.endsWith(".vip"));
        m.put("aws-connect.skills", "spanish,vip");
        m.put("aws-connect.queues.spanish", "q-es-0007");

        AwsConnectConfig c = Fixtures.config(m);

        assertThat(c.queuesBySkill()).containsExactly(Map.entry(Skill.of("spanish"), "q-es-0007"),
                Map.entry(Skill.VIP, "q-vip-0005"));
    }

    @Test
    void aQueueOrProficiencyOfASkillNotServedIsRefusedNamingTheKeyAndTheSkills() {
        // a misspelt skill (or one left out of aws-connect.skills) was ignored: the skill it meant had no queue and
        // was silently not served, or kept the least proficiency
        Map<String, String> queues = Fixtures.baseConfig();
        queues.remove("aws-connect.queues.technical");
        queues.put("aws-connect.queues.tecnical", "q-tech-0003");

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> Fixtures.config(queues));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().asString().startsWith("aws-connect.queues.tecnical")
                .contains("'tecnical'", "general, sales, technical, billing, vip");

        Map<String, String> criteria = Fixtures.baseConfig();
        criteria.keySet().removeIf(k -> k.startsWith("aws-connect.queues."));
        criteria.put("aws-connect.routing-criteria.attribute", "Skill");
        criteria.put("aws-connect.routing-criteria.queue", "q-all-0001");
        criteria.put("AWS_CONNECT_ROUTING_CRITERIA_PROFICIENCY_TECHNICL", "3");

        assertThat(catchThrowableOfType(ConfigurationException.class, () -> Fixtures.config(criteria)).problems())
                .singleElement().asString().startsWith("AWS_CONNECT_ROUTING_CRITERIA_PROFICIENCY_TECHNICL");
    }

    @Test
    void routingCriteriaUseOneQueueAndAProficiencyPerSkill() {
        Map<String, String> m = Fixtures.baseConfig();
        m.keySet().removeIf(k -> k.startsWith("aws-connect.queues."));
        m.put("aws-connect.routing-criteria.attribute", "Skill");
        m.put("aws-connect.routing-criteria.queue", "q-all-0001");
        m.put("aws-connect.routing-criteria.proficiency.technical", "3");

        AwsConnectConfig c = Fixtures.config(m);

        assertThat(c.routing()).isEqualTo(AwsConnectConfig.Routing.ROUTING_CRITERIA);
        assertThat(c.queueFor(Skill.TECHNICAL)).contains("q-all-0001");
        assertThat(c.proficiency(Skill.TECHNICAL)).isEqualTo(3);
        assertThat(c.proficiency(Skill.SALES)).isEqualTo(1);
    }

    @Test
    void everyProblemIsReportedAtOnceNamingTheKey() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> AwsConnectConfig.from(
                ProviderConfig.of(Map.of("aws-connect.region", "mars", "aws-connect.countries", "USA",
                        "aws-connect.sqs-wait", "60s", "aws-connect.routing-criteria.proficiency.vip", "9",
                        "aws-connect.webhook-secret", "s3cr3t-value"))));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("aws-connect.instance-id", "aws-connect.contact-flow-id",
                        "aws-connect.region", "'mars'", "aws-connect.countries", "'USA'", "aws-connect.sqs-wait",
                        "aws-connect.queues.general")
                .doesNotContain("s3cr3t-value");
    }

    @Test
    void queuesAndRoutingCriteriaTogetherAreRefused() {
        Map<String, String> m = Fixtures.baseConfig();
        m.put("aws-connect.routing-criteria.attribute", "Skill");

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> Fixtures.config(m));

        assertThat(e.getMessage()).contains("aws-connect.routing-criteria.attribute", "not both",
                "aws-connect.routing-criteria.queue");
    }

    @Test
    void isConfiguredByAnyKeyAndToStringHidesTheSecret() {
        assertThat(AwsConnectConfig.isConfigured(ProviderConfig.of(Map.of()))).isFalse();
        assertThat(AwsConnectConfig.isConfigured(ProviderConfig.of(Map.of("AWS_CONNECT_INSTANCE_ID", "x")))).isTrue();
        assertThat(Fixtures.config(Fixtures.baseConfig()).toString()).doesNotContain(Fixtures.WEBHOOK_SECRET)
                .contains(Fixtures.INSTANCE_ID);
    }
}
