package io.globalcalling.provider.twilio;

import io.globalcalling.testkit.TestProviderContext;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Twilio's wire shapes (from its API reference) and the configuration the tests share. */
final class Fixtures {

    static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    static final String AUTH_TOKEN = "test-auth-token-1f2e3d4c5b6a";
    /** The Authorization header Twilio expects on every request: Basic, the account SID and the Auth Token. */
    static final String BASIC_AUTH = "Basic " + Base64.getEncoder()
            .encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
    static final String CALL_SID = "CAa1b2c3d4e5f60718293a4b5c6d7e8f90";
    static final String CALLS_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json";
    static final String CALL_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls/" + CALL_SID + ".json";
    static final String TO = "+14155551212";
    static final String FROM = "+15017122661";
    static final URI CALLBACK = URI.create("https://hooks.example.com/calls/twilio?callId=call-42");

    private Fixtures() {
    }

    static Map<String, String> baseConfig(String baseUrl) {
        Map<String, String> m = new HashMap<>();
        m.put("twilio.account-sid", ACCOUNT_SID);
        m.put("twilio.auth-token", AUTH_TOKEN);
        m.put("twilio.base-url", baseUrl);
        m.put("twilio.from-number", FROM);
        m.put("twilio.read-timeout", "PT5S");   // roomy: a loaded CI machine must not turn a stub reply into a timeout
        m.put("twilio.connect-timeout", "PT5S");
        return m;
    }

    static TwilioProvider provider(String baseUrl, ProviderContext context) {
        return provider(baseConfig(baseUrl), context);
    }

    static TwilioProvider provider(Map<String, String> config, ProviderContext context) {
        return new TwilioProvider(TwilioConfig.from(ProviderConfig.of(config)), context);
    }

    static OutboundCall voipCall() {
        return OutboundCall.builder("call-42", CallCategory.INTERNET_VOIP,
                CallRequest.to(TO).answerUrl("https://app.example.com/twiml/connect").build())
                .statusCallbackUrl(CALLBACK).build();
    }

    static OutboundCall aiCall(String text) {
        return OutboundCall.builder("call-42", CallCategory.AI_AUTOMATED,
                CallRequest.to(TO).language("hi-IN").voice("Polly.Aditi").script("ignored: the core renders it").build())
                .spokenText(text).statusCallbackUrl(CALLBACK).build();
    }

    /** A form body as ordered name/value pairs, repeated names kept. */
    static List<Map.Entry<String, String>> formPairs(String body) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.add(new AbstractMap.SimpleEntry<>(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
        }
        return out;
    }

    static Map.Entry<String, String> pair(String name, String value) {
        return new AbstractMap.SimpleEntry<>(name, value);
    }

    static String call(String status) {
        return """
                {"account_sid": "%s", "annotation": null, "answered_by": null, "api_version": "2010-04-01",
                 "caller_name": null, "date_created": "Wed, 01 May 2024 10:00:05 +0000",
                 "date_updated": "Wed, 01 May 2024 10:00:05 +0000", "direction": "outbound-api", "duration": null,
                 "end_time": null, "forwarded_from": null, "from": "%s", "from_formatted": "(501) 712-2661",
                 "group_sid": null, "parent_call_sid": null, "phone_number_sid": "PN0123456789abcdef0123456789abcdef",
                 "price": null, "price_unit": "USD", "sid": "%s", "start_time": null, "status": "%s",
                 "subresource_uris": {"notifications": "/2010-04-01/Accounts/%s/Calls/%s/Notifications.json",
                   "recordings": "/2010-04-01/Accounts/%s/Calls/%s/Recordings.json"},
                 "to": "%s", "to_formatted": "(415) 555-1212", "trunk_sid": null,
                 "uri": "/2010-04-01/Accounts/%s/Calls/%s.json", "queue_time": "0"}
                """.formatted(ACCOUNT_SID, FROM, CALL_SID, status, ACCOUNT_SID, CALL_SID, ACCOUNT_SID, CALL_SID, TO,
                ACCOUNT_SID, CALL_SID);
    }

    static String completedCall() {
        return """
                {"account_sid": "%s", "answered_by": "human", "api_version": "2010-04-01",
                 "date_created": "Wed, 01 May 2024 10:00:05 +0000", "date_updated": "Wed, 01 May 2024 10:02:10 +0000",
                 "direction": "outbound-api", "duration": "117", "end_time": "Wed, 01 May 2024 10:02:09 +0000",
                 "from": "%s", "price": "-0.01300", "price_unit": "USD", "sid": "%s",
                 "start_time": "Wed, 01 May 2024 10:00:12 +0000", "status": "completed", "to": "%s",
                 "uri": "/2010-04-01/Accounts/%s/Calls/%s.json", "queue_time": "0"}
                """.formatted(ACCOUNT_SID, FROM, CALL_SID, TO, ACCOUNT_SID, CALL_SID);
    }

    static String error(int code, String message, int status) {
        return """
                {"code": %d, "message": "%s", "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}
                """.formatted(code, message, code, status);
    }
}
