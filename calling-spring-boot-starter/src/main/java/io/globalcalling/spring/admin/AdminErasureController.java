package io.globalcalling.spring.admin;

import io.globalcalling.Endpoint;
import io.globalcalling.spring.api.ApiConflictException;
import io.globalcalling.spring.api.ApiInputException;
import io.globalcalling.store.jdbi.ErasureResult;
import io.globalcalling.store.jdbi.JdbiCallStore;
import io.globalcalling.store.jdbi.JdbiCallingDatabase;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A data-subject request from the dashboard: {@code POST /admin/calling/api/erasures} erases a number as
 * {@link JdbiCallStore#erase} does, behind the admin login and its CSRF token like every POST of the page. The
 * deletions it queues at the providers, and the calls it defers until they are settled, are carried on by the
 * starter's retention job. Erasure lives in the JDBI store: without it, or without an erasure key, the answer is a
 * 409 saying what to configure.
 */
@RestController
@RequestMapping(path = AdminApiController.API, produces = MediaType.APPLICATION_JSON_VALUE)
public class AdminErasureController {

    private final @Nullable JdbiCallingDatabase database;

    /** @param database the JDBI store's database, or null when calls are kept in memory */
    public AdminErasureController(@Nullable JdbiCallingDatabase database) {
        this.database = database;
    }

    /** The number to erase, as the admin typed it. */
    public record ErasureRequest(@Nullable String number) {
    }

    /** Erases the number, written as stored (E.164, sip:, URL or imei:); 409 when no erasure key is configured. */
    @PostMapping("/erasures")
    public ErasureResult erase(@RequestBody ErasureRequest request) {
        String number = request.number() == null ? "" : request.number().trim();
        if (number.isEmpty()) throw new ApiInputException("number", request.number(), "give the number to erase");
        Endpoint endpoint = ApiInputException.parse("number", number, Endpoint::parse);
        if (database == null) {
            throw new ApiConflictException("erasure needs the JDBI store: give the application a DataSource");
        }
        if (database.settings().erasureKey().isEmpty()) {
            throw new ApiConflictException("erasure needs an erasure key: set calling.store.erasure-key");
        }
        return database.callStore().erase(endpoint.value());
    }
}
