/**
 * Amazon Connect as a calling provider: {@code human_agent} calls placed with {@code StartOutboundVoiceContact}
 * through the AWS SDK for Java v2, routed to agents by skill (a queue per skill, or routing criteria) and by
 * priority, followed through Connect's contact events (an EventBridge API destination posting to the webhook, or an
 * SQS queue this provider polls). Found through {@link java.util.ServiceLoader} as factory {@code aws-connect};
 * configured with {@link io.globalcalling.provider.awsconnect.AwsConnectConfig}.
 */
@NullMarked
package io.globalcalling.provider.awsconnect;

import org.jspecify.annotations.NullMarked;
