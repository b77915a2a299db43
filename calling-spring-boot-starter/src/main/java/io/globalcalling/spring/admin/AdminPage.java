package io.globalcalling.spring.admin;

import org.springframework.security.web.csrf.CsrfToken;

import java.util.Locale;

/**
 * The dashboard's HTML, written here so the figures and cards are in the page as served (the script then keeps
 * the calls, campaigns and charts live). Every value from outside is escaped.
 */
final class AdminPage {

    private static final String BASE = CallingAdminAutoConfiguration.BASE;
    private static final String[] SKILLS = {"general", "sales", "technical", "billing", "vip"};
    private static final String[] CATEGORIES = {"internet_voip", "ai_automated", "human_agent", "satellite"};

    /** The login page stands alone: the dashboard's assets are behind the login. */
    private static final String LOGIN_STYLE = """
            <style>
            body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1d2733}
            main{max-width:22rem;margin:10vh auto;padding:1.5rem;background:#fff;border-radius:8px}
            label,input,button{display:block;width:100%;box-sizing:border-box}
            input{margin:.25rem 0 1rem;padding:.6rem;border:1px solid #8a96a3;border-radius:4px;font:inherit}
            button{padding:.7rem;border:0;border-radius:4px;background:#0b5cad;color:#fff;font:inherit}
            :focus-visible{outline:3px solid #f5a623;outline-offset:2px}
            #login-error{color:#a3161a}
            </style>
            """;

    private AdminPage() {
    }

    static String login(CsrfToken csrf, boolean error, boolean loggedOut) {
        return head("Sign in", LOGIN_STYLE) + """
                <body class="login">
                <main>
                <h1>Global Calling admin</h1>
                %s%s<form id="login-form" method="post" action="%s/login">
                <input type="hidden" name="%s" value="%s">
                <label for="username">User name</label>
                <input id="username" name="username" autocomplete="username" required autofocus>
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required>
                <button id="login" type="submit">Sign in</button>
                </form>
                </main>
                </body>
                </html>
                """.formatted(
                error ? "<p id=\"login-error\" role=\"alert\">Wrong user name or password.</p>\n" : "",
                loggedOut ? "<p id=\"logged-out\" role=\"status\">You are signed out.</p>\n" : "",
                BASE, esc(csrf.getParameterName()), esc(csrf.getToken()));
    }

    static String dashboard(CsrfToken csrf, AdminViews.Overview overview) {
        AdminViews.Figures f = overview.figures();
        StringBuilder cards = new StringBuilder();
        for (AdminViews.Card card : overview.categories()) cards.append(card(card));
        return head("Dashboard", """
                <link rel="stylesheet" href="%s/assets/app/admin.css">
                <meta name="csrf-header" content="%s">
                <meta name="csrf-token" content="%s">
                <link rel="stylesheet" href="%s/assets/uplot/uPlot.min.css">
                <script src="%s/assets/uplot/uPlot.iife.min.js" defer></script>
                <script src="%s/assets/app/admin.js" defer></script>
                """.formatted(BASE, esc(csrf.getHeaderName()), esc(csrf.getToken()), BASE, BASE, BASE)) + """
                <body>
                <header class="top">
                <h1>Global Calling</h1>
                <form id="logout-form" method="post" action="%s/logout">
                <input type="hidden" name="%s" value="%s">
                <button id="logout" type="submit">Sign out</button>
                </form>
                </header>
                <main>
                <section aria-labelledby="coverage-title">
                <h2 id="coverage-title">Coverage</h2>
                <dl class="stats">
                <div><dt>Countries</dt><dd id="stat-countries" data-value="%d">%s</dd></div>
                <div><dt>Land surface</dt><dd id="stat-surface" data-value="%s">%s</dd></div>
                <div><dt>AI languages</dt><dd id="stat-languages" data-value="%d">%s</dd></div>
                <div><dt>Human agents</dt><dd id="stat-agents" data-value="%d">%s</dd></div>
                </dl>
                </section>
                <section aria-labelledby="providers-title">
                <h2 id="providers-title">Categories and providers</h2>
                <div class="cards">
                %s</div>
                </section>
                <section aria-labelledby="place-title">
                <h2 id="place-title">Place a call</h2>
                <div class="forms">
                %s%s%s%s</div>
                </section>
                <section aria-labelledby="check-title">
                <h2 id="check-title">Check coverage</h2>
                <form id="form-coverage" class="panel">
                <label for="coverage-number">Number</label>
                <input id="coverage-number" name="number" inputmode="tel" placeholder="+14155550100">
                <p class="hint">or a point:</p>
                <div class="pair">
                <div><label for="coverage-latitude">Latitude</label>
                <input id="coverage-latitude" name="latitude" inputmode="decimal" placeholder="51.5"></div>
                <div><label for="coverage-longitude">Longitude</label>
                <input id="coverage-longitude" name="longitude" inputmode="decimal" placeholder="-0.12"></div>
                </div>
                <button type="submit">Check</button>
                </form>
                <div id="coverage-result" aria-live="polite"></div>
                </section>
                <section aria-labelledby="campaigns-title">
                <h2 id="campaigns-title">Campaigns</h2>
                <form id="form-campaign" class="panel">
                <label for="campaign-name">Name</label>
                <input id="campaign-name" name="name" required>
                <label for="campaign-numbers">Numbers, one per line</label>
                <textarea id="campaign-numbers" name="numbers" rows="4" required></textarea>
                <label for="campaign-category">Category</label>
                <select id="campaign-category" name="category">
                <option value="">routing chooses</option>
                %s</select>
                <label for="campaign-customer">Customer</label>
                <input id="campaign-customer" name="customer" value="admin" required>
                <label for="campaign-hours">Calling hours (callee's local time)</label>
                <select id="campaign-hours" name="hours">
                <option value="window">only between the hours below</option>
                <option value="any">any time</option>
                </select>
                <div class="pair">
                <div><label for="campaign-from">From</label>
                <input id="campaign-from" name="from" type="time" value="%s" required></div>
                <div><label for="campaign-until">Until</label>
                <input id="campaign-until" name="until" type="time" value="%s" required></div>
                </div>
                <button type="submit">Create and start</button>
                </form>
                <div class="table-wrap">
                <p id="campaigns-error" class="refresh-error" role="alert" hidden></p>
                <table id="campaigns">
                <caption>Latest campaigns</caption>
                <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Progress</th>
                <th scope="col">Actions</th></tr></thead>
                <tbody></tbody>
                </table>
                </div>
                </section>
                <section aria-labelledby="calls-title">
                <h2 id="calls-title">Last 50 calls</h2>
                <div class="table-wrap">
                <p id="calls-error" class="refresh-error" role="alert" hidden></p>
                <table id="calls">
                <thead><tr><th scope="col">Started</th><th scope="col">To</th><th scope="col">Category</th>
                <th scope="col">Status</th><th scope="col">Provider</th><th scope="col">Cost</th></tr></thead>
                <tbody></tbody>
                </table>
                </div>
                </section>
                <section aria-labelledby="erase-title">
                <h2 id="erase-title">Erase a number</h2>
                <form id="form-erase" class="panel">
                <p class="hint">A data-subject request: the number's calls keep what billing needs; the number,
                recordings, transcripts, details and messages go, here and at the providers that can delete them.</p>
                <label for="erase-number">Number</label>
                <input id="erase-number" name="number" inputmode="tel" placeholder="+14155550100" required>
                <label class="check"><input id="erase-confirm" name="confirm" type="checkbox" required>
                This cannot be undone</label>
                <button type="submit">Erase</button>
                </form>
                <div id="erase-result" aria-live="polite"></div>
                </section>
                <section aria-labelledby="charts-title">
                <h2 id="charts-title">Last 24 hours</h2>
                <div class="charts">
                <figure><figcaption>Cost by category</figcaption><div id="chart-cost-box" class="chart"></div></figure>
                <figure><figcaption>Calls per hour</figcaption><div id="chart-hourly-box" class="chart"></div></figure>
                </div>
                </section>
                </main>
                <div id="toasts" aria-live="polite"></div>
                </body>
                </html>
                """.formatted(BASE, esc(csrf.getParameterName()), esc(csrf.getToken()),
                f.countries(), String.format(Locale.ROOT, "%,d", f.countries()),
                Double.toString(f.surfacePercent()), String.format(Locale.ROOT, "%.1f%%", f.surfacePercent()),
                f.languages(), String.format(Locale.ROOT, "%,d", f.languages()),
                f.agents(), String.format(Locale.ROOT, "%,d", f.agents()),
                cards, callForm("voip", "internet_voip", "VoIP call", "+14155550100", ""),
                callForm("ai", "ai_automated", "AI call", "+14155550100", """
                        <label for="ai-script">Text to speak</label>
                        <textarea id="ai-script" name="script" rows="2">Hello from Global Calling.</textarea>
                        """),
                callForm("human", "human_agent", "Human agent call", "+14155550100", skillSelect()),
                callForm("satellite", "satellite", "Satellite call", "imei:300234010753370", ""),
                categoryOptions(), AdminViews.DEFAULT_HOURS.from(), AdminViews.DEFAULT_HOURS.until());
    }

    private static String card(AdminViews.Card card) {
        StringBuilder providers = new StringBuilder();
        for (AdminViews.Provider p : card.providers()) {
            providers.append("<li class=\"provider\" data-provider=\"").append(esc(p.id())).append("\">")
                    .append("<span class=\"name\">").append(esc(p.id())).append("</span> ")
                    .append("<span class=\"health health-").append(esc(p.health())).append("\">")
                    .append(esc(p.health())).append("</span>");
            if (p.simulated()) providers.append(" <span class=\"badge badge-simulated\">simulated</span>");
            providers.append("</li>\n");
        }
        return """
                <section class="category-card" data-category="%s">
                <h3>%s</h3>
                <p>%d countries, %s of land</p>
                <ul>
                %s</ul>
                </section>
                """.formatted(esc(card.category()), esc(label(card.category())), card.countryCount(),
                String.format(Locale.ROOT, "%.1f%%", card.surfacePercent()), providers);
    }

    private static String callForm(String id, String category, String title, String example, String extra) {
        return """
                <form id="form-%s" class="panel call-form" data-category="%s">
                <h3>%s</h3>
                <label for="%s-to">To</label>
                <input id="%s-to" name="to" required placeholder="%s">
                %s<label for="%s-customer">Customer</label>
                <input id="%s-customer" name="customer" value="admin" required>
                <button type="submit">Call</button>
                </form>
                """.formatted(id, category, esc(title), id, id, esc(example), extra, id, id);
    }

    private static String skillSelect() {
        StringBuilder options = new StringBuilder();
        for (String skill : SKILLS) options.append("<option value=\"").append(skill).append("\">").append(skill).append("</option>");
        return "<label for=\"human-skill\">Skill</label>\n<select id=\"human-skill\" name=\"skill\">" + options + "</select>\n";
    }

    private static String categoryOptions() {
        StringBuilder options = new StringBuilder();
        for (String c : CATEGORIES) {
            options.append("<option value=\"").append(c).append("\">").append(label(c)).append("</option>\n");
        }
        return options.toString();
    }

    /** A category's wire name for people: {@code internet_voip} is "Internet voip". */
    private static String label(String wireName) {
        String words = wireName.replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static String head(String title, String extra) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s - Global Calling admin</title>
                %s</head>
                """.formatted(esc(title), extra);
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
