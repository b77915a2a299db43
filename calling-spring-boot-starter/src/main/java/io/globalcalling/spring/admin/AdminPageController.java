package io.globalcalling.spring.admin;

import io.globalcalling.core.GlobalCallingManager;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Objects;

/** The dashboard's two HTML pages: the login form and the dashboard itself. */
@RestController
public class AdminPageController {

    private final GlobalCallingManager manager;

    public AdminPageController(GlobalCallingManager manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    @GetMapping(path = CallingAdminAutoConfiguration.BASE + "/login", produces = MediaType.TEXT_HTML_VALUE)
    public String login(HttpServletRequest request, @RequestParam(required = false) @Nullable String error,
                        @RequestParam(required = false) @Nullable String logout) {
        return AdminPage.login(csrf(request), error != null, logout != null);
    }

    @GetMapping(path = {CallingAdminAutoConfiguration.BASE, CallingAdminAutoConfiguration.BASE + "/"},
            produces = MediaType.TEXT_HTML_VALUE)
    public String dashboard(HttpServletRequest request) {
        return AdminPage.dashboard(csrf(request),
                AdminViews.Overview.of(manager.coverage(), manager.providerHealth()));
    }

    private static CsrfToken csrf(HttpServletRequest request) {
        CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        if (token == null) throw new IllegalStateException("the admin pages are served behind Spring Security's CSRF filter");
        return token;
    }
}
