package io.globalcalling.core;

import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.testkit.FakeCallProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A provider's long-running work runs on the manager's executor: it starts with the manager and stops on close. */
class ProviderBackgroundWorkTest {

    static final CountDownLatch started = new CountDownLatch(1);
    static final CountDownLatch stopped = new CountDownLatch(1);

    /** A provider with a poller that blocks until interrupted, as a queue poller or TCP accept loop does. */
    public static final class PollingFactory implements CallingProviderFactory {
        @Override
        public String id() {
            return "poller";
        }

        @Override
        public boolean isConfigured(ProviderConfig config) {
            return config.get("poller.enabled").isPresent();
        }

        @Override
        public CallingProvider create(ProviderConfig config, ProviderContext context) {
            context.executor().submit(() -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    stopped.countDown();
                }
            });
            return FakeCallProvider.builder().id("poller").categories(CallCategory.INTERNET_VOIP).build();
        }
    }

    @Test
    void aProvidersLongRunningTaskStartsWithTheManagerAndIsStoppedByClose(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(CallingProviderFactory.class.getName()), PollingFactory.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            GlobalCallingManager m = GlobalCallingManager.builder().classLoader(loader)
                    .config(ProviderConfig.of(Map.of("poller.enabled", "true"))).build();
            assertThat(m.providerIds()).contains("poller");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stopped.getCount()).isEqualTo(1);

            m.close();

            assertThat(stopped.await(10, TimeUnit.SECONDS)).as("the task was interrupted by close()").isTrue();
        }
    }
}
