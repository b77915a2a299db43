/**
 * Sends Iridium Short Burst Data to satellite terminals over DirectIP and listens for what they send back;
 * found by {@link java.util.ServiceLoader} as the provider {@code iridium}. Only
 * {@code io.globalcalling.provider.iridium} is exported; its {@code internal} package holds the wire codec.
 */
module io.globalcalling.provider.iridium {
    requires io.globalcalling.spi;
    requires static org.jspecify;
    requires org.slf4j;

    exports io.globalcalling.provider.iridium;

    provides io.globalcalling.spi.CallingProviderFactory with io.globalcalling.provider.iridium.IridiumProviderFactory;
}
