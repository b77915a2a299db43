package io.globalcalling.examples.spring;

import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.core.GlobalCallingManager;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** {@code POST /calls?to=+919876543210} places a call; {@code GET /calls/{callId}} shows how it stands. */
@RestController
class CallsController {

    private final GlobalCallingManager calling;

    CallsController(GlobalCallingManager calling) {
        this.calling = calling;
    }

    @PostMapping("/calls")
    ResponseEntity<CallView> place(@RequestParam String to, @RequestParam(required = false) String category) {
        CallRequest.Builder request = CallRequest.to(to);
        if (category != null) request.category(category);
        return ResponseEntity.status(HttpStatus.CREATED).body(CallView.of(calling.call(request.build())));
    }

    @GetMapping("/calls/{callId}")
    ResponseEntity<CallView> find(@PathVariable String callId) {
        return ResponseEntity.of(calling.calls().find(callId).map(CallView::of));
    }

    /** Bad input (a malformed number, an unknown category): the SDK's message names the field and the value. */
    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badInput(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    /** What the example shows of a call. */
    record CallView(String callId, String category, String status, String providerId, boolean simulated) {
        static CallView of(CallRecord r) {
            return new CallView(r.callId(), r.category().wireName(), r.status().name(), r.providerId(), r.simulated());
        }
    }
}
