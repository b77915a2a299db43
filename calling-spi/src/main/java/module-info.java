/**
 * The Global Calling SDK's service-provider interface: what a provider or a store plug-in implements,
 * and the value types they exchange. Depends on the JDK alone.
 */
module io.globalcalling.spi {
    exports io.globalcalling.spi;
    exports io.globalcalling.spi.store;
}
