package io.globalcalling.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application that places calls with the Global Calling SDK. The starter builds the
 * {@code GlobalCallingManager} from application.properties, keeps the calls in the application's database (H2 in
 * a file by default; PostgreSQL with {@code spring.profiles.active=postgres}) and mounts the providers' webhook
 * route at {@code /calling/webhooks/{provider}}. With no provider configured the sandbox simulates every call.
 */
@SpringBootApplication
public class CallingApplication {

    public static void main(String[] args) {
        SpringApplication.run(CallingApplication.class, args);
    }
}
