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

    /**
     * Whether the configuration mentions this provider at all. The registry reads the answer this way:
     * <ul>
     * <li>{@code false}: none of the provider's keys is set (or an explicit switch turns it off); the
     *     provider is absent and start-up goes on without it;</li>
     * <li>{@code true}: at least one of its keys is set; the registry then calls {@link #create}, which must
     *     succeed or throw a {@link ConfigurationException} naming every missing or malformed key, and that
     *     exception fails start-up. Partial configuration (an account id without its token, say) is
     *     therefore an error, never a silently inactive provider.</li>
     * </ul>
     * Answer from the presence of keys only; leave checking their values to {@link #create}.
     *
     * @throws ConfigurationException when a key that switches the provider on or off is malformed
     */
    boolean isConfigured(ProviderConfig config);

    /**
     * Creates the provider; called only when {@link #isConfigured} said {@code true}.
     *
     * @throws ConfigurationException listing every missing or malformed key at once, never a secret's value
     */
    CallingProvider create(ProviderConfig config, ProviderContext context);
}
