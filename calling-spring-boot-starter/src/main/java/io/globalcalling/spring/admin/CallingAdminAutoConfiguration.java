package io.globalcalling.spring.admin;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spring.CallingAutoConfiguration;
import io.globalcalling.spring.api.BodyLimitFilter;
import io.globalcalling.spring.api.CallBody;
import io.globalcalling.spring.api.StrictJsonBodies;
import io.globalcalling.store.jdbi.JdbiCallingDatabase;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Properties;

/**
 * Serves the admin dashboard at {@code /admin/calling} when {@code calling.admin.enabled=true}, in a servlet web
 * application with Spring Security on the class path: the page, its JSON endpoints under
 * {@code /admin/calling/api}, its event stream and its assets, all behind a form login at
 * {@code /admin/calling/login} for the one user {@code calling.admin.username} whose encoded password hash is
 * {@code calling.admin.password-hash} (start-up fails without one).
 *
 * <p>A host with its own Spring Security configuration should know: the dashboard brings its own
 * {@link SecurityFilterChain}, bean {@code callingAdminSecurityFilterChain}, which matches only
 * {@code /admin/calling} and the paths under it and is ordered ahead of the host's chains
 * ({@link #CHAIN_ORDER}); a host chain matching every request must come after it. It logs in the configured
 * admin only (never the host's users), keeps the login in the HTTP session, and wants a CSRF token on every
 * POST. Its presence makes Spring Boot's default chain (HTTP Basic over every path) back off, so a host that
 * relied on that default must now declare its own chain for its own paths. {@code /api/calling} (its API-key
 * filter) and the webhook route are left to their own checks. A host that declares no users of its own does not get
 * Spring Boot's default user (nor the generated password Boot would log) while the dashboard is on.
 */
@AutoConfiguration(after = CallingAutoConfiguration.class, beforeName = {
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, SecurityFilterChain.class, HttpSecurity.class})
@ConditionalOnBean(GlobalCallingManager.class)
@ConditionalOnBooleanProperty(name = "calling.admin.enabled")
@EnableConfigurationProperties(CallingAdminProperties.class)
public class CallingAdminAutoConfiguration {

    /** Where the dashboard is mounted. */
    public static final String BASE = "/admin/calling";
    /** The order of the dashboard's filter chain: ahead of the host's chains. */
    public static final int CHAIN_ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

    private static final String CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
            + " frame-ancestors 'none'; form-action 'self'";

    /** Form login, logout, CSRF and session authentication on {@code /admin/calling} and under it, nowhere else. */
    @Bean
    @Order(CHAIN_ORDER)
    @ConditionalOnMissingBean(name = "callingAdminSecurityFilterChain")
    public SecurityFilterChain callingAdminSecurityFilterChain(HttpSecurity http, CallingAdminProperties properties)
            throws Exception {
        AuthenticationEntryPoint toLoginPage = new LoginUrlAuthenticationEntryPoint(BASE + "/login");
        AuthenticationEntryPoint unauthorized = new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED);
        http.securityMatcher(BASE, BASE + "/**")
                .authenticationManager(AdminLogin.of(properties))
                .authorizeHttpRequests(a -> a.requestMatchers(BASE + "/login").permitAll().anyRequest().authenticated())
                .formLogin(f -> f.loginPage(BASE + "/login").loginProcessingUrl(BASE + "/login")
                        .defaultSuccessUrl(BASE, true).failureUrl(BASE + "/login?error"))
                .logout(l -> l.logoutUrl(BASE + "/logout").logoutSuccessUrl(BASE + "/login?logout"))
                // the page's JSON and event stream answer 401; every other path redirects to the login page,
                // whatever the request's Accept header says (curl's */* included)
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, failure) ->
                        (isJson(request) ? unauthorized : toLoginPage).commence(request, response, failure)))
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(CSP)));
        return http.build();
    }

    private static boolean isJson(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith(AdminApiController.API + "/") || path.equals(AdminEventsController.EVENTS);
    }

    /** The body size limit of the page's JSON, {@code calling.admin.max-body-size}, behind the login. */
    @Bean
    @ConditionalOnMissingBean(name = "callingAdminBodyLimitFilter")
    public FilterRegistrationBean<BodyLimitFilter> callingAdminBodyLimitFilter(CallingAdminProperties properties) {
        FilterRegistrationBean<BodyLimitFilter> registration =
                new FilterRegistrationBean<>(new BodyLimitFilter(properties.getMaxBodySize().toBytes()));
        registration.addUrlPatterns(AdminApiController.API + "/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100);
        return registration;
    }

    @Bean
    @ConditionalOnMissingBean
    public AdminPageController callingAdminPageController(GlobalCallingManager manager) {
        return new AdminPageController(manager);
    }

    @Bean
    @ConditionalOnMissingBean
    public AdminApiController callingAdminApiController(GlobalCallingManager manager) {
        return new AdminApiController(manager, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    public AdminErasureController callingAdminErasureController(ObjectProvider<JdbiCallingDatabase> callingDatabase) {
        return new AdminErasureController(callingDatabase.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    public AdminEventsController callingAdminEventsController(GlobalCallingManager manager) {
        return new AdminEventsController(manager);
    }

    @Bean
    @ConditionalOnMissingBean
    public AdminProblems callingAdminProblems() {
        return new AdminProblems(Clock.systemUTC());
    }

    /** The dashboard's request bodies refuse a field named twice or one they do not have. */
    @Bean
    @ConditionalOnClass(name = StrictJsonBodies.JACKSON)
    public StrictJsonBodies callingAdminStrictJson() {
        return new StrictJsonBodies(CallBody.class, AdminApiController.CampaignForm.class,
                AdminApiController.CoverageQuery.class, AdminErasureController.ErasureRequest.class);
    }

    /** The page's own CSS and JS, and the chart library from its WebJar, under {@code /admin/calling/assets}. */
    @Bean
    public WebMvcConfigurer callingAdminAssets() {
        String uplot = "classpath:/META-INF/resources/webjars/uplot/" + webJarVersion("uplot") + "/dist/";
        return new WebMvcConfigurer() {
            @Override
            public void addResourceHandlers(ResourceHandlerRegistry registry) {
                registry.addResourceHandler(BASE + "/assets/app/**")
                        .addResourceLocations("classpath:/io/globalcalling/spring/admin/assets/");
                registry.addResourceHandler(BASE + "/assets/uplot/**").addResourceLocations(uplot);
            }
        };
    }

    /**
     * Where Spring Boot would add its default user: Boot's {@code UserDetailsServiceAutoConfiguration} makes user
     * {@code user} with a generated password, logged at start-up, when the application has no user store or
     * authentication manager bean. The dashboard's login is not a bean (it must never log in the host's users), so
     * Boot would make one here, for nothing: its own chain backs off for the dashboard's. In its place comes a user
     * store that knows nobody. A host's own users (any of the beans Boot looks for, or
     * {@code spring.security.user.*}) keep Boot's behaviour as it was.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(UserDetailsService.class)
    @ConditionalOnMissingBean(value = {AuthenticationManager.class, AuthenticationProvider.class,
            UserDetailsService.class, AuthenticationManagerResolver.class},
            type = "org.springframework.security.oauth2.jwt.JwtDecoder")
    @Conditional(NoDefaultUser.NoUserProperties.class)
    static class NoDefaultUser {

        @Bean
        UserDetailsService callingNoDefaultUser() {
            return username -> {
                throw new UsernameNotFoundException("no users here: the calling dashboard logs in its admin on its"
                        + " own login page only; define your application's users to log them in");
            };
        }

        /** Neither {@code spring.security.user.name} nor {@code spring.security.user.password} is set. */
        static class NoUserProperties extends NoneNestedConditions {

            NoUserProperties() {
                super(ConfigurationPhase.REGISTER_BEAN);
            }

            @ConditionalOnProperty("spring.security.user.name")
            static class NameSet {
            }

            @ConditionalOnProperty("spring.security.user.password")
            static class PasswordSet {
            }
        }
    }

    /** The version of an npm WebJar on the class path, from its Maven metadata. */
    static String webJarVersion(String name) {
        String path = "/META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
        try (InputStream in = CallingAdminAutoConfiguration.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("the WebJar org.webjars.npm:" + name + " is not on the class path");
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
