package io.globalcalling.load;

/** The load's throwaway credentials: they open only the simulator and the host a run starts and stops itself. */
final class LoadDefaults {

    static final String ACCOUNT_SID = "AC18000000000000000000000000000018";
    static final String AUTH_TOKEN = "load-test-auth-token-18";
    static final String FROM = "+15017122661";
    /** Each load customer's API key is this followed by its number. */
    static final String API_KEY_PREFIX = "load-test-key-";
    static final String CUSTOMER_PREFIX = "load-";

    private LoadDefaults() {
    }
}
