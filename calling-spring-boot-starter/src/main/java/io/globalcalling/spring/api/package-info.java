/**
 * The calling REST API, mounted by {@code calling.api.enabled=true}: JSON over HTTP under {@code /api/calling},
 * each request authenticated by an API key that names the customer whose limits and budgets apply, errors as RFC
 * 7807 problem documents, and an OpenAPI document at {@code /api/calling/openapi.json}. Every bean backs off when
 * the application defines its own.
 */
@NullMarked
package io.globalcalling.spring.api;

import org.jspecify.annotations.NullMarked;
