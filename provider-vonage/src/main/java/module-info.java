/**
 * Places calls through the Vonage Voice API; found by {@link java.util.ServiceLoader} as the provider
 * {@code vonage}. Only {@code io.globalcalling.provider.vonage} is exported; its {@code internal} package holds
 * the wire types, opened to Jackson alone.
 */
module io.globalcalling.provider.vonage {
    requires io.globalcalling.spi;
    requires static org.jspecify;
    requires org.slf4j;
    requires okhttp3;
    requires com.fasterxml.jackson.databind;
    requires com.nimbusds.jose.jwt;

    exports io.globalcalling.provider.vonage;
    opens io.globalcalling.provider.vonage.internal to com.fasterxml.jackson.databind;

    provides io.globalcalling.spi.CallingProviderFactory with io.globalcalling.provider.vonage.VonageProviderFactory;
}
