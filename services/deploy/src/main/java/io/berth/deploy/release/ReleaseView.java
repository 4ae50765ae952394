package io.berth.deploy.release;

import java.time.OffsetDateTime;

/** A release as the API shows it: secret env values masked. */
public record ReleaseView(String app, int version, ReleaseSpec spec, String createdBy, OffsetDateTime createdAt) {
}
