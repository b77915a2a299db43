package io.globalcalling.provider.iridium;

import io.globalcalling.spi.ProviderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code 10.0.0.256} looks like an IPv4 address but is no IP literal, and the JDK looks such text up as a host name:
 * iridium.mo-bind-address then bound whatever a resolver answered. It is refused as malformed, without a lookup. The
 * check runs in a child JVM whose resolver is a hosts file that answers for that name (the JDK reads
 * {@code jdk.net.hosts.file} once, at start).
 */
class IridiumBindAddressLookupTest {

    @Test
    void anOctetOver255IsRefusedAtConfigurationNotLookedUp(@TempDir Path dir) throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 10.0.0.256\n127.0.0.1 localhost\n");
        List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djdk.net.hosts.file=" + hosts,
                "-cp", System.getProperty("java.class.path"), Child.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ends").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(out).as("the child's resolver answers for the name")
                .contains("resolves to 127.0.0.1").contains("refused: ").doesNotContain("accepted");
        assertThat(out).contains("iridium.mo-bind-address").contains("is not an IP address");
    }

    /** Reads the bind address in a JVM whose resolver answers 127.0.0.1 for the name {@code 10.0.0.256}. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            System.out.println("resolves to " + java.net.InetAddress.getByName("10.0.0.256").getHostAddress());
            try {
                IridiumConfig config = IridiumConfig.from(ProviderConfig.of(Map.of("iridium.directip-host",
                        "gateway.example", "iridium.mo-port", "10801", "iridium.mo-bind-address", "10.0.0.256")));
                System.out.println("accepted " + config.moBindAddress());
            } catch (RuntimeException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }
}
