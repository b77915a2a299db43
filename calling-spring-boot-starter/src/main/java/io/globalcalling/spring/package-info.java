/**
 * Spring Boot auto-configuration of the Global Calling SDK: a {@link io.globalcalling.core.GlobalCallingManager}
 * configured from {@code calling.*} and the providers' own keys, its store on the application's
 * {@link javax.sql.DataSource}, the webhook route, an Actuator health indicator and info contributor. Every
 * bean backs off when the application defines its own.
 */
@NullMarked
package io.globalcalling.spring;

import org.jspecify.annotations.NullMarked;
