package io.berth.identity.member;

import java.time.OffsetDateTime;

/** A member of a team and the role it has there. */
public record MemberView(String team, String user, String role, OffsetDateTime since, OffsetDateTime updatedAt) {
    public static MemberView of(Membership m) {
        return new MemberView(m.team, m.userName, m.role, m.createdAt, m.updatedAt);
    }
}
