package io.globalcalling.spring;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ConfigValidation;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.Secret;
import io.globalcalling.store.jdbi.JdbiCallStore;
import io.globalcalling.store.jdbi.JdbiCallingDatabase;
import io.globalcalling.store.jdbi.ErasureProgress;
import io.globalcalling.store.jdbi.StoreSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;
import java.util.List;

/**
 * A {@link GlobalCallingManager} for the application, configured from the {@code Environment}, keeping its calls in
 * the application's {@link DataSource} when there is one ({@code calling.store.type}). The manager is closed when
 * the application shuts down, after the web server has finished the callbacks in flight.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(GlobalCallingManager.class)
@EnableConfigurationProperties(CallingProperties.class)
public class CallingAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CallingAutoConfiguration.class);
    /** The starter's switches: each one's condition matches only 'true', where binding would take 'yes' or '1'. */
    private static final List<String> SWITCHES = List.of("calling.webhooks.enabled", "calling.api.enabled",
            "calling.admin.enabled");

    /**
     * @throws ConfigurationException naming a switch that is not true or false (any case), which would otherwise
     *                                leave its part off while /actuator/configprops shows it on
     */
    public CallingAutoConfiguration(Environment environment) {
        ConfigValidation v = ConfigValidation.of(new SpringProviderConfig(environment), "calling starter");
        SWITCHES.forEach(key -> v.take(v.bool(key)));
        v.orThrow();
    }

    /** The SDK's keys ({@code calling.*}) and the providers' ({@code twilio.*}, …) from the Environment. */
    @Bean
    @ConditionalOnMissingBean
    public ProviderConfig callingProviderConfig(Environment environment) {
        return new SpringProviderConfig(environment);
    }

    /**
     * The manager: providers discovered as usual (plus any {@link CallingProvider} beans), the store and ledger
     * beans when there are any, else memory, the store polls' {@code calling.await-poll-interval} and
     * {@code calling.follow-poll-interval}; then every {@link GlobalCallingManagerCustomizer}.
     *
     * @throws StoreUnavailableException when {@code calling.store.type=jdbi} and there is no DataSource
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public GlobalCallingManager globalCallingManager(ProviderConfig callingProviderConfig, CallingProperties properties,
                                                     ObjectProvider<CallStore> store, ObjectProvider<LimitLedger> ledger,
                                                     ObjectProvider<CallingProvider> providers,
                                                     ObjectProvider<GlobalCallingManagerCustomizer> customizers) {
        CallStore callStore = store.getIfAvailable();
        if (callStore == null && properties.getStore().getType() == CallingProperties.StoreType.JDBI) {
            throw new StoreUnavailableException();
        }
        GlobalCallingManager.Builder builder = GlobalCallingManager.builder().config(callingProviderConfig);
        if (callStore != null) builder.store(callStore);
        ledger.ifAvailable(builder::ledger);
        if (properties.getAwaitPollInterval() != null) builder.awaitPollInterval(properties.getAwaitPollInterval());
        if (properties.getFollowPollInterval() != null) builder.followPollInterval(properties.getFollowPollInterval());
        providers.orderedStream().forEach(builder::provider);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /**
     * Reconciliation ({@link GlobalCallingManager#reconcile()}: calls whose placement outcome is unknown, asked of
     * their providers) every {@code calling.reconcile-interval}; none when it is 0 (the host runs it itself).
     */
    @Bean(destroyMethod = "close")
    BackgroundTask callingReconciliation(GlobalCallingManager manager, CallingProperties properties) {
        return new BackgroundTask("calling-reconciliation", "calling.reconcile-interval",
                properties.getReconcileInterval(), () -> {
                    int resolved = manager.reconcile();
                    if (resolved > 0) log.info("reconciliation resolved {} calls", resolved);
                });
    }

    /**
     * The JDBI store on the application's DataSource: the SDK's tables (all named {@code calling_*}) and their own
     * Flyway history ({@code calling_schema_history}), migrated after the application's own database
     * initialisation (its Flyway or Liquibase), never mixed with it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({JdbiCallingDatabase.class, DataSource.class})
    @ConditionalOnSingleCandidate(DataSource.class)
    @Conditional(OnDatabaseStoreCondition.class)
    static class JdbiStoreConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean({JdbiCallingDatabase.class, CallStore.class})
        @DependsOnDatabaseInitialization
        JdbiCallingDatabase callingDatabase(DataSource dataSource, CallingProperties properties) {
            CallingProperties.Store store = properties.getStore();
            StoreSettings.Builder settings = StoreSettings.builder().groupCommit(store.isGroupCommit())
                    .groupCommitWriters(store.getGroupCommitWriters()).retention(store.getRetention());
            if (store.getErasureKey() != null) settings.erasureKey(Secret.of(store.getErasureKey()));
            return JdbiCallingDatabase.open(dataSource, settings.build());
        }

        /**
         * The store's retention ({@link JdbiCallingDatabase#purgeExpired()}), then what erasures left to do: calls
         * they deferred until settled, and deletions at the providers ({@link JdbiCallStore#continueErasures}), every
         * {@code calling.store.purge-interval}; none when it is 0 (the host runs them itself). On several nodes each
         * runs them; chunked deletes and leased provider deletions allow that.
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnBean(JdbiCallingDatabase.class)
        BackgroundTask callingStoreRetention(JdbiCallingDatabase callingDatabase, GlobalCallingManager manager,
                                             CallingProperties properties) {
            return new BackgroundTask("calling-retention", "calling.store.purge-interval",
                    properties.getStore().getPurgeInterval(), () -> {
                        try {
                            log.info("retention ({} kept) removed {}", callingDatabase.settings().retention(),
                                    callingDatabase.purgeExpired());
                        } catch (RuntimeException e) {
                            // a purge that keeps failing must not hold up erasures, which are owed by a deadline
                            log.warn("retention failed; erasures carry on, and the next run tries it again", e);
                        }
                        ErasureProgress erasures = callingDatabase.callStore().continueErasures(manager::eraseAtProvider);
                        if (erasures.callsErased() + erasures.erasedAtProviders() + erasures.failedAtProviders() > 0) {
                            log.info("erasures carried on: {}", erasures);
                        }
                    });
        }

        // The database bean closes what it opened; the store and ledger have nothing of their own to close.
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean(CallStore.class)
        @ConditionalOnBean(JdbiCallingDatabase.class)
        CallStore callStore(JdbiCallingDatabase callingDatabase) {
            return callingDatabase.callStore();
        }

        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean(LimitLedger.class)
        @ConditionalOnBean(JdbiCallingDatabase.class)
        LimitLedger limitLedger(JdbiCallingDatabase callingDatabase) {
            return callingDatabase.limitLedger();
        }
    }
}
