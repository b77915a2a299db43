package io.globalcalling.spring.api;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The API's OpenAPI 3.1 document, written by hand beside the controllers and tested against their mappings. */
@RestController
@RequestMapping(CallingApiController.BASE)
public class OpenApiController {

    /** Where the document lives on the class path. */
    public static final String DOCUMENT = "io/globalcalling/spring/api/openapi.json";

    @GetMapping(path = "/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Resource> openApi() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(new ClassPathResource(DOCUMENT));
    }
}
