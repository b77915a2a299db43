/**
 * The Global Calling SDK's vocabulary and service-provider interface, on the JDK alone:
 * {@code io.globalcalling} holds what a host uses (requests, records, money, endpoints, exceptions);
 * {@code io.globalcalling.spi} and {@code io.globalcalling.spi.store} what a plug-in implements or receives.
 * Every package is JSpecify {@code @NullMarked}: only what is marked {@code @Nullable} may be null.
 */
module io.globalcalling.spi {
    requires static org.jspecify;

    exports io.globalcalling;
    exports io.globalcalling.spi;
    exports io.globalcalling.spi.store;
}
