/**
 * Places human-agent calls through Amazon Connect with the AWS SDK for Java v2; found by
 * {@link java.util.ServiceLoader} as the provider {@code aws-connect}. Only {@code io.globalcalling.provider.awsconnect}
 * is exported. The AWS SDK's jars are automatic modules, named by their manifests.
 */
module io.globalcalling.provider.awsconnect {
    requires io.globalcalling.spi;
    requires static org.jspecify;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires transitive software.amazon.awssdk.services.connect;
    requires transitive software.amazon.awssdk.services.sqs;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.retries;
    requires software.amazon.awssdk.retries.api;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.urlconnection;

    exports io.globalcalling.provider.awsconnect;

    provides io.globalcalling.spi.CallingProviderFactory with io.globalcalling.provider.awsconnect.AwsConnectProviderFactory;
}
