package io.berth.common.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint (or every endpoint of a resource class) as internal to the platform: only the
 * platform admin and the Berth services (the service token) call it; a team member gets a 403
 * problem, whatever their role. For endpoints whose answer spans every team and cannot be cut to
 * one (the agent's instances by id, HAProxy's own state). {@link PlatformOnlyFilter} enforces it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface PlatformOnly {
}
