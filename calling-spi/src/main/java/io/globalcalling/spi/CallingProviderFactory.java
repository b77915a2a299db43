package io.globalcalling.spi;

/**
 * Creates a provider from configuration. Found with {@link java.util.ServiceLoader}: list the
 * implementation in {@code META-INF/services/io.globalcalling.spi.CallingProviderFactory}. Needs a
 * public no-argument constructor.
 */
public interface CallingProviderFactory {

    /** The SPI major version this SDK speaks; a factory reporting another is refused with a clear message. */
    int SPI_VERSION = 1;

    /** The id of the providers it creates, e.g. {@code twilio}. */
    String id();

    /** The SPI version the factory was built against; leave the default. */
    default int spiVersion() {
        return SPI_VERSION;
    }

    /** Whether the configuration names this provider's credentials at all; absent credentials leave it inactive. */
    boolean isConfigured(ProviderConfig config);

    /**
     * @throws ConfigurationException listing every missing or malformed key, never a secret's value
     */
    CallingProvider create(ProviderConfig config, ProviderContext context);
}
