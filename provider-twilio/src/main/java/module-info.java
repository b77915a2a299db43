/**
 * Places calls through Twilio's Programmable Voice REST API; found by {@link java.util.ServiceLoader} as the
 * provider {@code twilio}. Only {@code io.globalcalling.provider.twilio} is exported; its {@code internal}
 * package holds the wire types, opened to Jackson alone.
 */
module io.globalcalling.provider.twilio {
    requires io.globalcalling.spi;
    requires static org.jspecify;
    requires org.slf4j;
    requires okhttp3;
    requires com.fasterxml.jackson.databind;

    exports io.globalcalling.provider.twilio;
    opens io.globalcalling.provider.twilio.internal to com.fasterxml.jackson.databind;

    provides io.globalcalling.spi.CallingProviderFactory with io.globalcalling.provider.twilio.TwilioProviderFactory;
}
