package io.globalcalling.spring.admin;

import io.globalcalling.spring.api.ApiProblems;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.time.Clock;

/** The REST API's problem documents (400 naming the field and value, 404, 409, 422, ...) for the dashboard's JSON. */
@RestControllerAdvice(basePackageClasses = AdminProblems.class)
public class AdminProblems extends ApiProblems {

    public AdminProblems(Clock clock) {
        super(clock);
    }
}
