package io.globalcalling.core.invariants;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds a manager whose {@code cheap} and {@code dear} providers are found by discovery, as plug-ins are,
 * so that each is created with the manager's own context: what it receives from terminals then reaches the
 * manager through {@link ProviderContext#inbound()}, the path under test.
 */
final class ScriptedDiscovery {

    private static final String SERVICES = "META-INF/services/" + CallingProviderFactory.class.getName();
    private static final ThreadLocal<Map<String, Function<ProviderContext, CallingProvider>>> CREATING = new ThreadLocal<>();
    private static final URL SERVICES_FILE = servicesFile();

    private ScriptedDiscovery() {
    }

    /**
     * Builds {@code builder} with the providers {@code create} makes, by id ({@code cheap}, {@code dear}), from each
     * one's context; one it has no entry for is found but not configured, so inactive.
     */
    static GlobalCallingManager build(GlobalCallingManager.Builder builder,
                                      Map<String, Function<ProviderContext, CallingProvider>> create) {
        ClassLoader parent = ScriptedDiscovery.class.getClassLoader();
        ClassLoader loader = new ClassLoader(parent) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals(SERVICES) ? Collections.enumeration(List.of(SERVICES_FILE)) : super.getResources(name);
            }
        };
        CREATING.set(Map.copyOf(create));
        try {
            return builder.discoverProviders(true).classLoader(loader).build();
        } finally {
            CREATING.remove();
        }
    }

    private static URL servicesFile() {
        try {
            Path file = Files.createTempFile("scripted-providers", ".services");
            file.toFile().deleteOnExit();
            Files.writeString(file, Cheap.class.getName() + "\n" + Dear.class.getName() + "\n");
            return file.toUri().toURL();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A factory handing out the provider the running build asked for. */
    abstract static class Factory implements CallingProviderFactory {
        private final String id;

        Factory(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean isConfigured(ProviderConfig config) {
            return running().containsKey(id);
        }

        @Override
        public CallingProvider create(ProviderConfig config, ProviderContext context) {
            return running().get(id).apply(context);
        }

        private static Map<String, Function<ProviderContext, CallingProvider>> running() {
            return Objects.requireNonNull(CREATING.get(), "no scripted build is running on this thread");
        }
    }

    public static final class Cheap extends Factory {
        public Cheap() {
            super("cheap");
        }
    }

    public static final class Dear extends Factory {
        public Dear() {
            super("dear");
        }
    }
}
