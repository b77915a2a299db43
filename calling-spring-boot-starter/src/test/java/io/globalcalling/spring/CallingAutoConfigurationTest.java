package io.globalcalling.spring;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Priority;
import io.globalcalling.CallRequest;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.Subscription;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.core.CallingObserver;
import io.globalcalling.spi.ConfigValidation;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderPace;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.store.jdbi.JdbiCallStore;
import io.globalcalling.store.jdbi.JdbiCallingDatabase;
import io.globalcalling.store.jdbi.StoreSettings;
import io.globalcalling.testkit.FakeCallProvider;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The starter's conditions: what it creates, when it backs off, and how a bad setting stops start-up (issue 16). */
class CallingAutoConfigurationTest {

    static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    static final String AUTH_TOKEN = "test-auth-token-1f2e3d4c5b6a";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CallingAutoConfiguration.class,
                    CallingWebhookAutoConfiguration.class, CallingActuatorAutoConfiguration.class));

    private final ApplicationContextRunner withDataSource = runner
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class));

    @Test
    void withoutADataSourceTheManagerKeepsCallsInMemoryAndReadsTheEnvironment() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(GlobalCallingManager.class)
                    .doesNotHaveBean(JdbiCallingDatabase.class).doesNotHaveBean(CallStore.class);
            assertThat(context.getBean(ProviderConfig.class)).isInstanceOf(SpringProviderConfig.class);
            assertThat(context.getBean(GlobalCallingManager.class).providerIds()).containsExactly("sandbox");
        });
    }

    @Test
    void withADataSourceCallsAreKeptInItUnderTheirOwnFlywayHistory() {
        withDataSource.run(context -> {
            assertThat(context).hasSingleBean(JdbiCallingDatabase.class);
            assertThat(context.getBean(CallStore.class)).isInstanceOf(JdbiCallStore.class);
            assertThat(context).hasSingleBean(LimitLedger.class);
            GlobalCallingManager manager = context.getBean(GlobalCallingManager.class);

            CallRecord placed = manager.call(CallRequest.to("+919876543210").category(CallCategory.INTERNET_VOIP).build());

            assertThat(context.getBean(CallStore.class).find(placed.callId())).isPresent();
            assertThat(tables(context.getBean(DataSource.class))).contains("CALLING_SCHEMA_HISTORY")
                    .doesNotContain("FLYWAY_SCHEMA_HISTORY");
        });
    }

    @Test
    void theHostsFlywayMigratesFirstAndKeepsItsOwnHistory() {
        withDataSource.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
                .withPropertyValues("spring.flyway.locations=classpath:db/host")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(JdbiCallingDatabase.class);
                    assertThat(tables(context.getBean(DataSource.class))).contains("HOST_ORDERS",
                            "FLYWAY_SCHEMA_HISTORY", "CALLING_SCHEMA_HISTORY", "CALLING_CALL");
                    assertThat(scripts(context.getBean(DataSource.class), "flyway_schema_history"))
                            .containsExactly("V1__host_orders.sql");
                    assertThat(scripts(context.getBean(DataSource.class), "calling_schema_history"))
                            .isNotEmpty().allMatch(s -> !s.contains("host"));
                });
    }

    @Test
    void groupCommitIsOffUnlessThePropertiesTurnItOnWithTheirWriters() {
        withDataSource.run(context -> assertThat(context.getBean(JdbiCallingDatabase.class).settings().groupCommit())
                .isFalse());
        withDataSource.withPropertyValues("calling.store.group-commit=true", "calling.store.group-commit-writers=2")
                .run(context -> {
                    StoreSettings settings = context.getBean(JdbiCallingDatabase.class).settings();
                    assertThat(settings.groupCommit()).isTrue();
                    assertThat(settings.groupCommitWriters()).isEqualTo(2);
                    CallRecord placed = context.getBean(GlobalCallingManager.class)
                            .call(CallRequest.to("+919876543210").category(CallCategory.INTERNET_VOIP).build());
                    assertThat(context.getBean(CallStore.class).find(placed.callId())).isPresent();
                });
        withDataSource.withPropertyValues("calling.store.group-commit-writers=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failedProperty(context.getStartupFailure())).isEqualTo("calling.store.group-commit-writers");
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessage("group commit writers 0 must be between 1 and 64");
        });
    }

    @Test
    void aRetentionThatIsNotPositiveStopsStartUpNamingTheProperty() {
        for (String retention : List.of("0", "-1d")) {
            withDataSource.withPropertyValues("calling.store.retention=" + retention).run(context -> {
                assertThat(context).hasFailed();
                assertThat(failedProperty(context.getStartupFailure())).isEqualTo("calling.store.retention");
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("must be positive");
            });
        }
    }

    @Test
    void theRetentionJobPurgesOldEndedCallsOnItsIntervalAndKeepsOnesThatCanStillChange() {
        withDataSource.withPropertyValues("calling.store.retention=1d", "calling.store.purge-interval=100ms")
                .run(context -> {
                    assertThat(context.getBean(JdbiCallingDatabase.class).settings().retention())
                            .isEqualTo(Duration.ofDays(1));
                    assertThat(context.getBean("callingStoreRetention", BackgroundTask.class).isScheduled()).isTrue();
                    CallStore store = context.getBean(CallStore.class);
                    Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2));
                    store.create(startedAt("old-ended", twoDaysAgo));
                    store.update(CallUpdate.of("old-ended", twoDaysAgo).status(CallStatus.COMPLETED));
                    store.create(startedAt("old-ringing", twoDaysAgo));
                    store.create(startedAt("recent", Instant.now()));
                    store.update(CallUpdate.of("recent", Instant.now()).status(CallStatus.COMPLETED));

                    await().atMost(Duration.ofSeconds(10)).until(() -> store.find("old-ended").isEmpty());
                    assertThat(store.find("old-ringing")).isPresent();
                    assertThat(store.find("recent")).isPresent();
                });
    }

    /** Reliability requirement 17: an erasure's deletions at the providers run with retention until they are done. */
    @Test
    void theRetentionJobAlsoDeletesAtTheProvidersWhatAnErasureQueued() {
        withDataSource.withUserConfiguration(ProviderAndCustomizer.class)
                .withPropertyValues("calling.store.erasure-key=erasure-key-for-tests", "calling.store.purge-interval=100ms")
                .run(context -> {
                    JdbiCallStore store = context.getBean(JdbiCallingDatabase.class).callStore();
                    CallRecord placed = context.getBean(GlobalCallingManager.class)
                            .call(CallRequest.to("+919876543210").category(CallCategory.INTERNET_VOIP).build());
                    assertThat(placed.providerId()).isEqualTo("fake");
                    store.update(CallUpdate.of(placed.callId(), Instant.now()).status(CallStatus.COMPLETED)
                            .cost(Money.inr("1.00")));

                    assertThat(store.erase("+919876543210").providerCalls()).isEqualTo(1);

                    FakeCallProvider fake = context.getBean(FakeCallProvider.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> !fake.erasedCalls().isEmpty());
                    assertThat(fake.erasedCalls()).containsExactly(placed.providerCallId());
                });
        withDataSource.run(context -> assertThat(context.getBean(JdbiCallingDatabase.class).settings().erasureKey())
                .as("no key unless the host sets one").isEmpty());
    }

    /** Reliability requirement 17 again: a purge that fails on every run (here a host's row still refers to an old call) stops no erasure. */
    @Test
    void aRetentionPurgeThatFailsDoesNotHoldUpTheDeletionsAtTheProviders() {
        withDataSource.withUserConfiguration(ProviderAndCustomizer.class)
                .withPropertyValues("calling.store.erasure-key=erasure-key-for-tests", "calling.store.retention=1d",
                        "calling.store.purge-interval=100ms")
                .run(context -> {
                    JdbiCallStore store = context.getBean(JdbiCallingDatabase.class).callStore();
                    Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2));
                    store.create(startedAt("old-invoiced", twoDaysAgo));
                    store.update(CallUpdate.of("old-invoiced", twoDaysAgo).status(CallStatus.COMPLETED));
                    try (Connection c = context.getBean(DataSource.class).getConnection()) {
                        c.createStatement().execute("CREATE TABLE host_invoice (call_id VARCHAR(128)"
                                + " REFERENCES calling_call (call_id))");
                        c.createStatement().execute("INSERT INTO host_invoice VALUES ('old-invoiced')");
                    }
                    CallRecord placed = context.getBean(GlobalCallingManager.class)
                            .call(CallRequest.to("+919876543210").category(CallCategory.INTERNET_VOIP).build());
                    store.update(CallUpdate.of(placed.callId(), Instant.now()).status(CallStatus.COMPLETED)
                            .cost(Money.inr("1.00")));

                    assertThat(store.erase("+919876543210").providerCalls()).isEqualTo(1);

                    FakeCallProvider fake = context.getBean(FakeCallProvider.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> !fake.erasedCalls().isEmpty());
                    assertThat(fake.erasedCalls()).containsExactly(placed.providerCallId());
                    assertThat(store.find("old-invoiced")).as("the purge failed").isPresent();
                });
    }

    /** An erasure key from an unset variable (${CALLING_ERASURE_KEY:}) is blank: start-up says which property. */
    @Test
    void aBlankErasureKeyStopsStartUpNamingTheProperty() {
        for (String blank : List.of("", "  ")) {
            withDataSource.withPropertyValues("calling.store.erasure-key=" + blank).run(context -> {
                assertThat(context).hasFailed();
                assertThat(failedProperty(context.getStartupFailure())).isEqualTo("calling.store.erasure-key");
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("must not be blank");
            });
        }
    }

    @Test
    void aPurgeIntervalOfZeroLeavesRetentionToTheHostAndANegativeOneStopsStartUp() {
        withDataSource.run(context -> assertThat(retention(context).isScheduled()).isTrue());
        withDataSource.withPropertyValues("calling.store.purge-interval=0")
                .run(context -> assertThat(retention(context).isScheduled()).isFalse());
        withDataSource.withPropertyValues("calling.store.purge-interval=-1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failedProperty(context.getStartupFailure())).isEqualTo("calling.store.purge-interval");
            assertThat(context.getStartupFailure()).rootCause().hasMessage("purge interval PT-1S must not be negative");
        });
        runner.run(context -> assertThat(context).doesNotHaveBean("callingStoreRetention"));
    }

    private static BackgroundTask retention(ApplicationContext context) {
        return context.getBean("callingStoreRetention", BackgroundTask.class);
    }

    @Test
    void reconciliationRunsOnItsIntervalAndReportsACallNoProviderWasAskedAbout() {
        withDataSource.withPropertyValues("calling.reconcile-interval=100ms").run(context -> {
            List<String> unresolved = new CopyOnWriteArrayList<>();
            context.getBean(GlobalCallingManager.class).onUnresolved(u -> unresolved.add(u.record().callId()));
            CallStore store = context.getBean(CallStore.class);
            Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
            store.create(startedAt("unknown", anHourAgo));
            store.update(CallUpdate.of("unknown", anHourAgo).needsReconciliation(true));

            await().atMost(Duration.ofSeconds(10)).until(() -> !unresolved.isEmpty());
            assertThat(unresolved).containsExactly("unknown");
            assertThat(store.events("unknown")).extracting(StoredEvent::type).containsExactly("unresolved_claim", "unresolved");
        });
    }

    @Test
    void aReconcileIntervalOfZeroLeavesReconciliationToTheHostAndANegativeOneStopsStartUp() {
        runner.run(context -> assertThat(reconciliation(context).isScheduled()).isTrue());
        runner.withPropertyValues("calling.reconcile-interval=0")
                .run(context -> assertThat(reconciliation(context).isScheduled()).isFalse());
        runner.withPropertyValues("calling.reconcile-interval=-5m").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failedProperty(context.getStartupFailure())).isEqualTo("calling.reconcile-interval");
            assertThat(context.getStartupFailure()).rootCause().hasMessage("reconcile interval PT-5M must not be negative");
        });
    }

    private static BackgroundTask reconciliation(ApplicationContext context) {
        return context.getBean("callingReconciliation", BackgroundTask.class);
    }

    @Test
    void callsWaitedForAreReadFromTheStoreEveryAwaitPollInterval() {
        CountingStore store = new CountingStore();
        runner.withBean(CallStore.class, store::proxy).withPropertyValues("calling.await-poll-interval=10ms").run(context -> {
            store.calls.create(startedAt("waited-for", Instant.now()));
            CompletableFuture<CallRecord> ended = context.getBean(GlobalCallingManager.class).calls().whenEnded("waited-for");

            // at the default second, 20 reads take 20 seconds
            await().atMost(Duration.ofSeconds(5)).until(() -> store.reads("findByCallIds") >= 20);
            ended.cancel(false);
        });
    }

    @Test
    void followedCallsAreReadFromTheStoreEveryFollowPollInterval() {
        CountingStore store = new CountingStore();
        runner.withBean(CallStore.class, store::proxy).withPropertyValues("calling.follow-poll-interval=10ms").run(context -> {
            try (Subscription following = context.getBean(GlobalCallingManager.class).calls().follow(null, c -> { })) {
                // at the default second, 20 reads take 20 seconds
                await().atMost(Duration.ofSeconds(5)).until(() -> store.reads("findStartedSince") >= 20);
            }
        });
    }

    @Test
    void aPollIntervalThatIsNotPositiveStopsStartUpNamingTheProperty() {
        for (String key : List.of("calling.await-poll-interval", "calling.follow-poll-interval")) {
            for (String value : List.of("0", "-1s")) {
                runner.withPropertyValues(key + "=" + value).run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failedProperty(context.getStartupFailure())).isEqualTo(key);
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("must be positive");
                });
            }
        }
    }

    /** An in-memory store that counts how often each of its methods is called. */
    private static final class CountingStore implements InvocationHandler {

        final InMemoryCallStore calls = new InMemoryCallStore();
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        CallStore proxy() {
            return (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[] {CallStore.class},
                    this);
        }

        int reads(String method) {
            AtomicInteger count = counts.get(method);
            return count == null ? 0 : count.get();
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            counts.computeIfAbsent(method.getName(), m -> new AtomicInteger()).incrementAndGet();
            try {
                return method.invoke(calls, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    private static CallRecord startedAt(String callId, Instant at) {
        return CallRecord.initiated(callId, "customer-1", CallCategory.INTERNET_VOIP, null, "+919876543210", null,
                Priority.NORMAL, null, null, Money.inr("2"), Money.inr("1"), List.of("cheapest"), false, at, Map.of());
    }

    @Test
    void storeTypeMemoryLeavesTheDataSourceAlone() {
        withDataSource.withPropertyValues("calling.store.type=memory").run(context -> {
            assertThat(context).hasSingleBean(GlobalCallingManager.class).doesNotHaveBean(JdbiCallingDatabase.class);
            assertThat(tables(context.getBean(DataSource.class))).doesNotContain("CALLING_SCHEMA_HISTORY");
        });
    }

    @Test
    void storeTypeJdbiWithoutADataSourceFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("calling.store.type=jdbi").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new StoreUnavailableFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("calling.store.type");
            assertThat(analysis.getAction()).contains("spring.datasource.url");
        });
    }

    @Test
    void theApplicationsOwnManagerWins() {
        runner.withUserConfiguration(OwnManager.class).run(context -> {
            assertThat(context).hasSingleBean(GlobalCallingManager.class);
            assertThat(context.getBean(GlobalCallingManager.class)).isSameAs(context.getBean("ownManager"));
        });
    }

    @Test
    void theApplicationsOwnStoreWinsOverTheDataSource() {
        withDataSource.withUserConfiguration(OwnStore.class).run(context -> {
            assertThat(context).doesNotHaveBean(JdbiCallingDatabase.class);
            CallRecord placed = context.getBean(GlobalCallingManager.class)
                    .call(CallRequest.to("+919876543210").category(CallCategory.INTERNET_VOIP).build());
            assertThat(context.getBean(InMemoryCallStore.class).find(placed.callId())).isPresent();
        });
    }

    @Test
    void providerBeansAndCustomizersAreApplied() {
        runner.withUserConfiguration(ProviderAndCustomizer.class).run(context -> {
            GlobalCallingManager manager = context.getBean(GlobalCallingManager.class);
            assertThat(manager.providerIds()).containsExactly("fake");
            assertThat(manager.webhooks().maxBodyBytes()).isEqualTo(1234);
        });
    }

    @Test
    void closingTheApplicationClosesTheManagerAndItsProviders() {
        FakeCallProvider[] provider = new FakeCallProvider[1];
        runner.withUserConfiguration(ProviderAndCustomizer.class).run(context -> {
            provider[0] = context.getBean(FakeCallProvider.class);
            assertThat(provider[0].isClosed()).isFalse();
        });
        assertThat(provider[0].isClosed()).isTrue();
    }

    @Test
    void providerKeysAreFoundInRelaxedFormsAndInTheEnvironment() {
        runner.withPropertyValues("twilio.accountSid=" + ACCOUNT_SID, "twilio.auth_token=" + AUTH_TOKEN,
                "twilio.pricing-enabled=false").run(context ->
                assertThat(context.getBean(GlobalCallingManager.class).providerIds()).containsExactly("twilio"));
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("TWILIO_ACCOUNT_SID", ACCOUNT_SID, "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
                                        "TWILIO_PRICING_ENABLED", "false"))))
                .run(context -> assertThat(context.getBean(GlobalCallingManager.class).providerIds())
                        .containsExactly("twilio"));
    }

    @Test
    void aYamlListReachesTheManagerAsItsCommaSeparatedValue() {
        runner.withPropertyValues("calling.policy.allowed-countries[0]=IN", "calling.policy.allowed-countries[1]=xx")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("calling.policy.allowed-countries").hasMessageContaining("'xx'");
                });
    }

    @Test
    void aMalformedProviderKeyFailsStartUpNamingTheKeyButNotTheSecret() {
        runner.withPropertyValues("twilio.account-sid=AC-not-a-sid", "twilio.auth-token=" + AUTH_TOKEN).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new CallingFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("twilio.account-sid").doesNotContain(AUTH_TOKEN);
            assertThat(analysis.getAction()).contains("TWILIO_ACCOUNT_SID");
        });
    }

    @Test
    void aWebhookPathWithoutTheProviderFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("calling.webhooks.path=/hooks").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failedProperty(context.getStartupFailure())).isEqualTo("calling.webhooks.path");
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("{provider}");
        });
    }

    @Test
    void aMalformedManagerKeyFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("calling.webhooks.max-body-bytes=lots").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failedProperty(context.getStartupFailure())).isEqualTo("calling.webhooks.max-body-bytes");
        });
    }

    @Test
    void aDisabledProviderIdThatNamesNoProviderFailsStartUpNamingTheKeyAndTheKnownIds() {
        // twilio configured, and meant to be off: the misspelt id left it placing real calls
        runner.withPropertyValues("twilio.account-sid=" + ACCOUNT_SID, "twilio.auth-token=" + AUTH_TOKEN,
                "twilio.pricing-enabled=false", "calling.providers.disabled=twillio").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new CallingFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("calling.providers.disabled", "'twillio'", "twilio");
        });
        runner.withPropertyValues("twilio.account-sid=" + ACCOUNT_SID, "twilio.auth-token=" + AUTH_TOKEN,
                "twilio.pricing-enabled=false", "calling.providers.disabled=twilio").run(context ->
                assertThat(context.getBean(GlobalCallingManager.class).providerIds()).containsExactly("sandbox"));
    }

    @Test
    void aBareNumberInADurationTheManagerReadsIsBoundInTheSecondsTheManagerReadsItIn() {
        // the manager reads calling.* durations itself (a bare number is seconds); the bound properties, which
        // /actuator/configprops shows, must say the same
        runner.withPropertyValues("calling.call-timeout=3600", "calling.http.keep-alive=90",
                "calling.http.call-timeout=20").run(context -> {
            ConfigValidation manager = ConfigValidation.of(context.getBean(ProviderConfig.class), "calling manager");
            CallingProperties properties = context.getBean(CallingProperties.class);
            assertThat(manager.duration("calling.call-timeout").get()).isEqualTo(Duration.ofHours(1))
                    .isEqualTo(properties.getCallTimeout());
            assertThat(properties.getHttp().getKeepAlive()).isEqualTo(manager.duration("calling.http.keep-alive").get());
            assertThat(properties.getHttp().getCallTimeout())
                    .isEqualTo(manager.duration("calling.http.call-timeout").get());
        });
    }

    @Test
    void aBareNumberInTheStartersOwnDurationsIsSecondsAsInTheManagersDurations() {
        // the README's rule for every calling.* duration: 7776000 plain seconds is 90 days, not 2 hours of retention
        withDataSource.withPropertyValues("calling.store.retention=7776000", "calling.store.purge-interval=3600",
                "calling.reconcile-interval=60").run(context -> {
            CallingProperties properties = context.getBean(CallingProperties.class);
            assertThat(context.getBean(JdbiCallingDatabase.class).settings().retention()).isEqualTo(Duration.ofDays(90));
            assertThat(properties.getStore().getPurgeInterval()).isEqualTo(Duration.ofHours(1));
            assertThat(properties.getReconcileInterval()).isEqualTo(Duration.ofMinutes(1));
        });
    }

    @Test
    void aSwitchThatIsNotTrueOrFalseFailsStartUpNamingTheProperty() {
        // Spring binds 'yes' and '1' as true, but the switch's condition reads only 'true': calling.webhooks.enabled=yes
        // showed true in /actuator/configprops while no route was mounted and every callback was answered 404
        for (String key : List.of("calling.webhooks.enabled", "calling.api.enabled", "calling.admin.enabled")) {
            for (String value : List.of("yes", "1")) {
                runner.withPropertyValues(key + "=" + value).run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new CallingFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains(key, "'" + value + "'", "not true or false");
                });
            }
        }
        runner.withPropertyValues("calling.webhooks.enabled=FALSE", "calling.api.enabled=false",
                "calling.admin.enabled=False").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aProvidersPaceIsRaisedByProperty() {
        runner.withUserConfiguration(PacedProvider.class)
                .withPropertyValues("calling.providers.paced.pace.calls-per-second=1000").run(context -> {
                    GlobalCallingManager manager = context.getBean(GlobalCallingManager.class);
                    List<String> noTurn = new CopyOnWriteArrayList<>();
                    manager.observe(new CallingObserver() {
                        @Override
                        public void pacingTimedOut(String providerId) {
                            noTurn.add(providerId);
                        }
                    });

                    // at the declared one call a second, with no wait allowed, the second would find no turn
                    CallRecord first = manager.call(CallRequest.to("+919876543210").category(CallCategory.INTERNET_VOIP).build());
                    CallRecord second = manager.call(CallRequest.to("+919876543211").category(CallCategory.INTERNET_VOIP).build());

                    assertThat(noTurn).isEmpty();
                    assertThat(List.of(first.providerId(), second.providerId())).containsOnly("paced");
                });
    }

    @Test
    void aMalformedPaceFailsStartUpNamingTheKeyAndValue() {
        runner.withUserConfiguration(PacedProvider.class)
                .withPropertyValues("calling.providers.paced.pace.calls-per-second=fast").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("calling.providers.paced.pace.calls-per-second")
                            .hasMessageContaining("fast");
                });
        runner.withUserConfiguration(PacedProvider.class)
                .withPropertyValues("calling.providers.paced.pace.calls-per-second=0").run(context ->
                        assertThat(context.getStartupFailure()).rootCause()
                                .hasMessageContaining("calling.providers.paced.pace.calls-per-second"));
        runner.withUserConfiguration(PacedProvider.class)
                .withPropertyValues("calling.providers.paced.pace.burst=5").run(context ->
                        assertThat(context.getStartupFailure()).rootCause()
                                .hasMessageContaining("calling.providers.paced.pace.burst"));
    }

    @Test
    void aPaceUnderAnIdThatNamesNoProviderFailsStartUpNamingTheKeyTheIdAndTheProviders() {
        // a misspelt id left the provider it meant at its declared pace, with nothing said
        runner.withUserConfiguration(PacedProvider.class)
                .withPropertyValues("calling.providers.pacd.pace.calls-per-second=1000").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("calling.providers.pacd.pace.calls-per-second")
                            .hasMessageContaining("'pacd'").hasMessageContaining("the providers are: paced");
                });
        runner.withUserConfiguration(PacedProvider.class)
                .withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("CALLING_PROVIDERS_PACD_PACE_BURST", "5"))))
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("CALLING_PROVIDERS_PACD_PACE_BURST"));
    }

    @Test
    void aProvidersPaceInAnyFormSpringBindsPassesTheCheck() {
        runner.withUserConfiguration(PacedProvider.class)
                .withPropertyValues("calling.providers.paced.pace.callsPerSecond=1000", "calling.providers.paced.pace.burst=9",
                        "calling.providers.disabled[0]=paced")
                .withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("CALLING_PROVIDERS_PACED_PACE_BURST", "9"))))
                .run(context -> assertThat(context).hasNotFailed());
    }

    /** The property Spring Boot's start-up report names: the one its binding failed on. */
    private static String failedProperty(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException e && e.getProperty() != null) return e.getProperty().getName().toString();
        }
        throw new AssertionError("no property binding failed", failure);
    }

    private static List<String> tables(DataSource dataSource) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) names.add(rs.getString("TABLE_NAME").toUpperCase(java.util.Locale.ROOT));
        }
        return names;
    }

    private static List<String> scripts(DataSource dataSource, String historyTable) throws Exception {
        List<String> scripts = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT \"script\" FROM \"" + historyTable
                     + "\" WHERE \"version\" <> '0' ORDER BY \"installed_rank\"")) {
            while (rs.next()) scripts.add(rs.getString(1));
        }
        return scripts;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnManager {
        @Bean(destroyMethod = "close")
        GlobalCallingManager ownManager() {
            return GlobalCallingManager.builder().config(ProviderConfig.empty()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStore {
        @Bean
        InMemoryCallStore ownStore() {
            return new InMemoryCallStore();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PacedProvider {
        @Bean
        FakeCallProvider pacedProvider() {
            return FakeCallProvider.builder().id("paced").categories(CallCategory.INTERNET_VOIP)
                    .capabilities(ProviderCapabilities.builder().pace(ProviderPace.of(1, 1)).build())
                    .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1.00"))).build();
        }

        @Bean
        GlobalCallingManagerCustomizer onlyTheBean() {
            return builder -> builder.discoverProviders(false).pacing(p -> p.maxWait(Duration.ZERO));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ProviderAndCustomizer {
        @Bean
        FakeCallProvider fakeProvider() {
            return FakeCallProvider.builder().id("fake").categories(CallCategory.INTERNET_VOIP)
                    .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1.00"))).build();
        }

        @Bean
        GlobalCallingManagerCustomizer smallBodies() {
            return builder -> builder.discoverProviders(false).webhookMaxBodyBytes(1234);
        }
    }
}
