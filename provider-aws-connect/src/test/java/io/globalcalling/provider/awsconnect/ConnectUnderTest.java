package io.globalcalling.provider.awsconnect;

import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.connect.ConnectClient;

/**
 * The provider under test on the tests' Connect at a base URL (a WireMock), with the base configuration, its own
 * context and AWS client. Registered on an instance field it is closed after each test; elsewhere the test closes it.
 */
final class ConnectUnderTest implements AfterEachCallback, AutoCloseable {

    private final TestProviderContext context = Fixtures.context();
    private final ConnectClient connect;
    private final AwsConnectProvider provider;

    ConnectUnderTest(String baseUrl) {
        this.connect = Fixtures.connect(baseUrl);
        this.provider = Fixtures.provider(Fixtures.baseConfig(), context, connect);
    }

    AwsConnectProvider provider() {
        return provider;
    }

    TestProviderContext context() {
        return context;
    }

    @Override
    public void afterEach(ExtensionContext test) {
        close();
    }

    @Override
    public void close() {
        provider.close();
        connect.close();
        context.close();
    }
}
