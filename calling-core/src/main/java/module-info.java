/**
 * The Global Calling SDK's core: {@link io.globalcalling.core.GlobalCallingManager} routes, prices, limits,
 * places and records calls through the providers it finds with {@link java.util.ServiceLoader}. Packages named
 * {@code internal} are not exported: they may change in any release.
 */
module io.globalcalling.core {
    requires transitive io.globalcalling.spi;
    requires static org.jspecify;
    requires org.slf4j;
    requires okhttp3;
    requires okio;
    requires com.fasterxml.jackson.databind;
    requires com.google.i18n.phonenumbers.libphonenumber;
    requires com.google.i18n.phonenumbers.prefixmapper;
    requires transitive io.github.bucket4j.core; // ProviderPacing.Builder takes its TimeMeter and BlockingStrategy

    exports io.globalcalling.core;
    exports io.globalcalling.core.campaign;
    exports io.globalcalling.core.cost;
    exports io.globalcalling.core.coverage;
    exports io.globalcalling.core.lifecycle;
    exports io.globalcalling.core.limits;
    exports io.globalcalling.core.limits.event;
    exports io.globalcalling.core.placement;
    exports io.globalcalling.core.policy;
    exports io.globalcalling.core.routing;
    exports io.globalcalling.core.sandbox;
    exports io.globalcalling.core.store;
    exports io.globalcalling.core.system;
    exports io.globalcalling.core.webhook;

    uses io.globalcalling.spi.CallingProviderFactory;

    provides io.globalcalling.spi.CallingProviderFactory with
            io.globalcalling.core.sandbox.SandboxProviderFactory,
            io.globalcalling.core.system.WebhookProviderFactory;
}
