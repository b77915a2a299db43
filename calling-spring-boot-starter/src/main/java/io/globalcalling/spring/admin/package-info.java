/**
 * The admin dashboard, mounted by {@code calling.admin.enabled=true} in a servlet application with Spring Security:
 * one page at {@code /admin/calling} behind its own form login, with coverage figures, provider health, call and
 * campaign forms, the latest calls and campaigns updating live, and charts, all served by the application.
 */
@NullMarked
package io.globalcalling.spring.admin;

import org.jspecify.annotations.NullMarked;
