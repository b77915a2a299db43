package io.globalcalling.examples.admin;

import io.globalcalling.spring.api.HashedApiKeys;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * One command for a newcomer: the starter's REST API and admin dashboard on the simulated sandbox provider, with the
 * calls in an H2 file under {@code ./data}. The admin password comes from the {@code ADMIN_PASSWORD} environment
 * variable or is generated; only its bcrypt hash reaches the configuration. A demo customer's API key is generated
 * at each start and only its SHA-256 is configured. Both are printed on standard output, with the dashboard's URL,
 * because that is where the newcomer looks for them; they are never logged.
 */
// No exclusion needed for Spring Boot's generated user: with the dashboard on, the starter leaves it out
@SpringBootApplication
public class AdminServer {

    /** The customer whose API key is generated at each start. */
    static final String DEMO_CUSTOMER = "demo";

    static final String PASSWORD_VARIABLE = "ADMIN_PASSWORD";

    private static final SecureRandom RANDOM = new SecureRandom();

    public static void main(String[] args) {
        start(args, System.getenv(), System.out);
    }

    /**
     * Starts the server and prints how to reach it.
     *
     * @param args the command line ({@code --server.port=9090} and any other Spring Boot property)
     * @param env  the environment, read for {@code ADMIN_PASSWORD}
     * @param out  where the URL, the username, the generated password and the demo API key are printed
     * @return the running application
     * @throws IllegalArgumentException when {@code ADMIN_PASSWORD} is set but blank
     */
    static ConfigurableApplicationContext start(String[] args, Map<String, String> env, PrintStream out) {
        String chosen = env.get(PASSWORD_VARIABLE);
        if (chosen != null && chosen.isBlank()) {
            throw new IllegalArgumentException(PASSWORD_VARIABLE + " is set but blank: give the admin password there, "
                    + "or unset it to have one generated");
        }
        String password = chosen != null ? chosen : randomToken(18);
        String apiKey = DEMO_CUSTOMER + "-" + randomToken(24);

        SpringApplication app = new SpringApplication(AdminServer.class);
        // first among the property sources, so that what is printed is what the server checks
        app.addInitializers(context -> context.getEnvironment().getPropertySources().addFirst(
                new MapPropertySource("admin-server-credentials", Map.of(
                        "calling.admin.password-hash", "{bcrypt}" + new BCryptPasswordEncoder().encode(password),
                        "calling.api.keys." + DEMO_CUSTOMER, HashedApiKeys.sha256Hex(apiKey)))));
        ConfigurableApplicationContext context = app.run(args);

        String base = "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort()
                + context.getEnvironment().getProperty("server.servlet.context-path", "");
        out.println();
        out.println("Global Calling admin server: calls are simulated by the sandbox provider, kept in ./data");
        out.println("  Dashboard:  " + base + "/admin/calling");
        out.println("  Username:   " + username(context.getEnvironment()));
        out.println("  Password:   " + (chosen != null ? "(the one in " + PASSWORD_VARIABLE + ")"
                : password + "   (generated for this run; set " + PASSWORD_VARIABLE + " to choose one)"));
        out.println("  API key of customer '" + DEMO_CUSTOMER + "' (new each run): " + apiKey);
        out.println("  Try:        curl -H 'Authorization: Bearer " + apiKey + "' " + base + "/api/calling/coverage");
        out.println();
        out.flush();
        return context;
    }

    private static String username(Environment environment) {
        return environment.getProperty("calling.admin.username", "admin");
    }

    /** {@code bytes} random bytes as URL-safe Base64: nothing to quote in a shell or a header. */
    private static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
